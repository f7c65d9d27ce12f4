"""Settings come from the environment; bad values stop start-up and name the variable."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from config import settings as project_settings

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "x7!kq2vZ9m@Lr4pT8sWb#Nc6yHj3uE5gDf1aQoI0tYwRzXeVlKsMnBpCdGhJ-prod",
    "DJANGO_ALLOWED_HOSTS": "bk.example.sch.id",
    "DJANGO_CSRF_TRUSTED_ORIGINS": "https://bk.example.sch.id",
}


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    clean.pop("DATABASE_URL", None)
    clean["DJANGO_SETTINGS_MODULE"] = "config.settings"
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


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
