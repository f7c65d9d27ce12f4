"""Settings come from the environment; bad values stop start-up and name the variable."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from config import settings as project_settings

ROOT = Path(__file__).resolve().parents[2]
# The variables the settings read; the subprocesses start without the ones of this shell.
OURS = ("DJANGO_", "DATABASE_", "REDIS_URL")

PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "x7!kq2vZ9m@Lr4pT8sWb#Nc6yHj3uE5gDf1aQoI0tYwRzXeVlKsMnBpCdGhJ-prod",
    "DJANGO_ALLOWED_HOSTS": "bk.example.sch.id",
    "DJANGO_CSRF_TRUSTED_ORIGINS": "https://bk.example.sch.id",
}


def run_python(*args: str, **env: str) -> subprocess.CompletedProcess:
    """Python in a fresh process, started with `env` and none of this shell's settings."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(OURS)}
    clean["DJANGO_SETTINGS_MODULE"] = "config.settings"
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    return run_python("manage.py", *args, **env)


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"DJANGO_DEBUG": "maybe"}, "DJANGO_DEBUG"),
        ({"DJANGO_DEBUG": "0", "DJANGO_ALLOWED_HOSTS": "x"}, "DJANGO_SECRET_KEY"),
        ({**PRODUCTION, "DJANGO_ALLOWED_HOSTS": ""}, "DJANGO_ALLOWED_HOSTS"),
        ({"DATABASE_URL": "nosuchdb://somewhere/db"}, "DATABASE_URL"),
        ({"DJANGO_CSRF_TRUSTED_ORIGINS": "bk.example.sch.id"}, "DJANGO_CSRF_TRUSTED_ORIGINS"),
        ({**PRODUCTION, "DJANGO_SECURE_HSTS_SECONDS": "a year"}, "DJANGO_SECURE_HSTS_SECONDS"),
        ({"DJANGO_EMAIL_URL": "pigeon://loft"}, "DJANGO_EMAIL_URL"),
    ],
)
def test_settings_refuse_bad_values_naming_the_variable(env, named):
    result = run_manage("check", **env)
    assert result.returncode != 0
    assert named in result.stderr


def test_check_deploy_is_clean_under_production_variables():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr + result.stdout


def test_check_deploy_stays_clean_behind_a_tls_proxy_without_redirect():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        **PRODUCTION,
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_BEHIND_TLS_PROXY="1",
    )
    assert result.returncode == 0, result.stderr + result.stdout


def test_check_deploy_warns_when_hsts_is_switched_off():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        **PRODUCTION,
        DJANGO_SECURE_HSTS_SECONDS="0",
    )
    assert result.returncode != 0
    assert "security.W004" in result.stderr + result.stdout


def test_postgres_url_gets_persistent_connections_and_health_checks():
    code = (
        "from django.conf import settings as s; d = s.DATABASES['default'];"
        "print(d['ENGINE'], d['NAME'], d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'])"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env={
            **clean,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": "postgres://bk:pw@db.internal:5432/ruangbk",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.split() == ["django.db.backends.postgresql", "ruangbk", "60", "True"]


def test_passwords_are_hashed_with_argon2_and_need_ten_characters():
    # Read the module itself: the test suite swaps in a fast hasher.
    assert project_settings.PASSWORD_HASHERS[0] == (
        "django.contrib.auth.hashers.Argon2PasswordHasher"
    )
    from django.contrib.auth.hashers import Argon2PasswordHasher

    assert Argon2PasswordHasher().encode("bk-demo-2026", "garam-acak-123").startswith("argon2")
    lengths = [
        v["OPTIONS"]["min_length"]
        for v in settings.AUTH_PASSWORD_VALIDATORS
        if v["NAME"].endswith("MinimumLengthValidator")
    ]
    assert lengths == [10]


# Running past one machine: cache, sessions, uploaded files, a read replica.


def settings_under(expression: str, **env: str):
    """Evaluate `expression` (over `s`, the settings, and `storages`) in a fresh process
    started with `env`, and return its JSON value."""
    code = (
        "import json, django; django.setup();"
        "from django.conf import settings as s; from django.core.files.storage import storages;"
        f"print(json.dumps({expression}, default=str))"
    )
    result = run_python("-c", code, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


S3 = {
    "DJANGO_MEDIA_STORAGE": "s3",
    "DJANGO_S3_BUCKET": "ruangbk-berkas",
    "DJANGO_S3_ACCESS_KEY_ID": "AKIAUJI",
    "DJANGO_S3_SECRET_ACCESS_KEY": "rahasia-uji",
}
REDIS = {"REDIS_URL": "redis://:sandi@cache.internal:6379/2"}
REPLICA = {
    "DATABASE_URL": "postgres://bk:pw@db-primary.internal:5432/ruangbk",
    "DATABASE_REPLICA_URL": "postgres://bk_read:pw@db-replica.internal:5432/ruangbk",
}


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"REDIS_URL": "http://cache.internal:6379"}, "REDIS_URL"),
        ({"REDIS_URL": "redis://"}, "REDIS_URL"),
        ({"REDIS_URL": "redis://cache.internal:6379/sessions"}, "REDIS_URL"),
        ({"DJANGO_SESSION_STORE": "files"}, "DJANGO_SESSION_STORE"),
        ({"DJANGO_SESSION_STORE": "cache"}, "REDIS_URL"),
        ({"DJANGO_SESSION_STORE": "cached_db"}, "REDIS_URL"),
        ({"DJANGO_MEDIA_STORAGE": "ftp"}, "DJANGO_MEDIA_STORAGE"),
        ({**S3, "DJANGO_S3_BUCKET": ""}, "DJANGO_S3_BUCKET"),
        ({**S3, "DJANGO_S3_SECRET_ACCESS_KEY": ""}, "DJANGO_S3_SECRET_ACCESS_KEY"),
        ({**S3, "DJANGO_S3_ENDPOINT_URL": "minio.internal:9000"}, "DJANGO_S3_ENDPOINT_URL"),
        ({**S3, "DJANGO_S3_ADDRESSING_STYLE": "sideways"}, "DJANGO_S3_ADDRESSING_STYLE"),
        ({"DATABASE_REPLICA_URL": "nosuchdb://somewhere/db"}, "DATABASE_REPLICA_URL"),
        # A replica of a PostgreSQL primary beside the SQLite default: not a replica of it.
        ({"DATABASE_REPLICA_URL": REPLICA["DATABASE_REPLICA_URL"]}, "DATABASE_REPLICA_URL"),
        ({**REPLICA, "DATABASE_REPLICA_MAX_LAG": "soon"}, "DATABASE_REPLICA_MAX_LAG"),
        ({"DJANGO_QUERY_COUNT_HEADER": "perhaps"}, "DJANGO_QUERY_COUNT_HEADER"),
    ],
)
def test_new_settings_refuse_bad_values_naming_the_variable(env, named):
    result = run_manage("check", **env)
    assert result.returncode != 0
    assert named in result.stderr


def test_a_bad_redis_url_is_not_repeated_with_its_password():
    result = run_manage("check", REDIS_URL="http://ruangbk:s3kr1t-sandi@cache.internal")
    assert "REDIS_URL" in result.stderr
    assert "s3kr1t-sandi" not in result.stderr


def test_without_new_variables_one_server_needs_nothing_else():
    chosen = settings_under(
        "[s.CACHES['default']['BACKEND'], s.SESSION_ENGINE, s.STORAGES['default']['BACKEND'],"
        " sorted(s.DATABASES), s.DATABASE_ROUTERS, s.SCHOOL_CACHE_SETTLE_SECONDS,"
        " 'staff.middleware.QueryCountHeaderMiddleware' in s.MIDDLEWARE, s.SCHOOL_CACHE_TIMEOUT]"
    )
    assert chosen == [
        "django.core.cache.backends.locmem.LocMemCache",
        "django.contrib.sessions.backends.db",
        "django.core.files.storage.FileSystemStorage",
        ["default"],
        ["staff.replica.ReportingReadsRouter"],
        0,
        False,
        # Other worker processes learn of a change only when their copy expires.
        60,
    ]


@pytest.mark.parametrize(
    ("store", "engine"),
    [
        ("db", "django.contrib.sessions.backends.db"),
        ("cache", "django.contrib.sessions.backends.cache"),
        ("cached_db", "django.contrib.sessions.backends.cached_db"),
    ],
)
def test_redis_url_gives_a_shared_cache_and_may_hold_the_sessions(store, engine):
    cache, session_engine, timeout = settings_under(
        "[s.CACHES['default'], s.SESSION_ENGINE, s.SCHOOL_CACHE_TIMEOUT]",
        **REDIS,
        DJANGO_SESSION_STORE=store,
    )
    assert cache["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert cache["LOCATION"] == REDIS["REDIS_URL"]
    assert cache["KEY_PREFIX"] == "ruangbk"
    assert session_engine == engine
    assert timeout == 60 * 60


def test_s3_media_storage_is_a_private_bucket_with_short_signed_urls():
    storage = settings_under(
        "(lambda m: dict(cls=type(m).__name__, bucket=m.bucket_name, acl=m.default_acl,"
        " signed=m.querystring_auth, expire=m.querystring_expire, overwrite=m.file_overwrite,"
        " endpoint=m.endpoint_url, region=m.region_name, key=m.access_key,"
        " style=m.addressing_style))(storages['default'])",
        **S3,
        DJANGO_S3_ENDPOINT_URL="https://s3.example.id",
        DJANGO_S3_REGION="id-jkt-1",
        DJANGO_S3_ADDRESSING_STYLE="path",
    )
    assert storage == {
        "cls": "PrivateS3Storage",
        "bucket": "ruangbk-berkas",
        "acl": "private",
        "signed": True,
        "expire": 300,
        "overwrite": False,
        "endpoint": "https://s3.example.id",
        "region": "id-jkt-1",
        "key": "AKIAUJI",
        "style": "path",
    }


def test_s3_without_keys_leaves_credentials_to_the_server():
    options = settings_under(
        "s.STORAGES['default']['OPTIONS']",
        DJANGO_MEDIA_STORAGE="s3",
        DJANGO_S3_BUCKET="ruangbk-berkas",
    )
    assert options == {"bucket_name": "ruangbk-berkas"}


def test_a_replica_url_adds_a_replica_that_tests_mirror():
    replica, lag = settings_under(
        "[s.DATABASES['replica'], s.SCHOOL_CACHE_SETTLE_SECONDS]",
        **REPLICA,
        DATABASE_REPLICA_MAX_LAG="3",
    )
    assert (replica["HOST"], replica["USER"]) == ("db-replica.internal", "bk_read")
    assert replica["TEST"]["MIRROR"] == "default"
    assert (replica["CONN_MAX_AGE"], replica["CONN_HEALTH_CHECKS"]) == (60, True)
    assert lag == 3


def test_the_query_count_header_is_opt_in_and_counts_everything():
    middleware = settings_under("s.MIDDLEWARE", DJANGO_QUERY_COUNT_HEADER="1")
    assert middleware[0] == "staff.middleware.QueryCountHeaderMiddleware"


def test_check_deploy_is_clean_with_every_shared_service():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        **PRODUCTION,
        **REDIS,
        **S3,
        DJANGO_SESSION_STORE="cached_db",
        DATABASE_REPLICA_URL="sqlite:///replica.sqlite3",
    )
    assert result.returncode == 0, result.stderr + result.stdout
