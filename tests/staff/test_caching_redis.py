"""The per-school cache tests of tests/staff/test_caching.py, against a real Redis.

They run when RUANGBK_TEST_REDIS_URL names a Redis server (CI starts one and sets it, as
redis://127.0.0.1:6379/15); otherwise they are skipped with the reason, and with
RUANGBK_NO_SKIP=1 the skip is a failure. Every run uses its own key prefix and removes only its
own keys (never FLUSHDB: the server may be shared).
"""

import os
import uuid

import pytest
import redis
from django.core.cache import cache
from django.test import override_settings

from tests.staff.test_caching import *  # noqa: F403 (the same tests, collected here again)
from tests.system import skip_or_fail

REDIS_URL_VARIABLE = "RUANGBK_TEST_REDIS_URL"


def _redis_url() -> str:
    url = os.environ.get(REDIS_URL_VARIABLE, "")
    if not url:
        skip_or_fail(
            f"{REDIS_URL_VARIABLE} is not set: no Redis to run the cache tests against",
            whole_module=True,
        )
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        skip_or_fail(f"Redis at {REDIS_URL_VARIABLE} does not answer: {exc}", whole_module=True)
    return url


REDIS_URL = _redis_url()


@pytest.fixture
def redis_url():
    return REDIS_URL


@pytest.fixture(autouse=True)
def redis_key_prefix(redis_url):
    prefix = f"ruangbk-test-{uuid.uuid4().hex}"
    caches = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": prefix,
        }
    }
    with override_settings(CACHES=caches):
        yield prefix
    client = redis.Redis.from_url(redis_url)
    keys = list(client.scan_iter(match=f"{prefix}:*"))
    if keys:
        client.delete(*keys)


def test_these_tests_really_use_redis(redis_url, redis_key_prefix):
    cache.set("probe", {"a": 1})
    stored = redis.Redis.from_url(redis_url).keys(f"{redis_key_prefix}:*")
    assert [key.decode().rsplit(":", 1)[-1] for key in stored] == ["probe"]
