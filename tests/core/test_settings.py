"""Settings: strict parsing, safe production defaults, Argon2 first."""

from __future__ import annotations

import os
import secrets
import string
import subprocess
import sys
from pathlib import Path

import pytest

import jianfu.settings as real_settings

JIANFU = str(Path(sys.executable).with_name("jianfu"))


def clean_env(tmp_path, **values: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JIANFU_", "DATABASE_URL", "DJANGO_"))}
    env["JIANFU_VAR_DIR"] = str(tmp_path / "var")
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'x.sqlite3'}"
    env.update(values)
    return env


def jianfu(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([JIANFU, *args], env=env, capture_output=True, text=True, timeout=120)


def production_env(tmp_path, **values: str) -> dict[str, str]:
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    production = {"JIANFU_ENV": "production",
                  "JIANFU_SECRET_KEY": "".join(secrets.choice(alphabet) for _ in range(60)),
                  "JIANFU_ALLOWED_HOSTS": "jianfu.example.gov.cn",
                  "JIANFU_AUDIT_KEY": "".join(secrets.choice(alphabet) for _ in range(48))}
    return clean_env(tmp_path, **{**production, **values})


def test_argon2_is_the_first_password_hasher():
    """The test suite swaps in a fast hasher; the settings module itself puts Argon2 first."""
    assert real_settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_session_and_csrf_cookies_are_http_only():
    assert real_settings.SESSION_COOKIE_HTTPONLY is True
    assert real_settings.CSRF_COOKIE_HTTPONLY is True


def test_check_deploy_is_clean_under_production_settings(tmp_path):
    # PostgreSQL, as production runs (on SQLite the deploy check warns, jianfu.W001); it does not connect.
    env = production_env(tmp_path, DATABASE_URL="postgres://jianfu@127.0.0.1:5432/jianfu")
    done = jianfu(["check", "--deploy", "--fail-level", "WARNING"], env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


@pytest.mark.parametrize(("variable", "value"), [
    ("JIANFU_ENV", "banana"),
    ("JIANFU_LOCKOUT_FAILURES", "abc"),
    ("JIANFU_LOCKOUT_FAILURES", "0"),
    ("JIANFU_DEBUG", "maybe"),
    ("JIANFU_TASK_MAX_ATTEMPTS", "-1"),
    ("DATABASE_URL", "mysql://jianfu@127.0.0.1/jianfu"),
    ("DATABASE_URL", "not a url"),
])
def test_a_bad_environment_value_stops_start_up_naming_the_variable(tmp_path, variable, value):
    done = jianfu(["check"], clean_env(tmp_path, **{variable: value}))
    assert done.returncode == 2
    assert variable in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(("missing", "values"), [
    ("JIANFU_SECRET_KEY", {"JIANFU_SECRET_KEY": ""}),
    ("JIANFU_SECRET_KEY", {"JIANFU_SECRET_KEY": "too-short"}),
    ("JIANFU_ALLOWED_HOSTS", {"JIANFU_ALLOWED_HOSTS": ""}),
])
def test_production_refuses_to_start_without_a_secret_key_and_host_names(tmp_path, missing, values):
    done = jianfu(["check"], production_env(tmp_path, **values))
    assert done.returncode != 0
    assert missing in done.stderr
