"""Outside development the service refuses to start on per-machine defaults: each machine would
draw its own secret, audit key and signing authority, count rate limits alone and run jobs in
its web processes."""

import os
import subprocess
import sys

import pytest
from flask import Flask

from charter_service import create_app
from charter_service.config import ConfigurationError, load_config

# The name each missing setting is reported under, and what leaves it out.
SETTINGS = {
    "SECRET_KEY": ("SECRET_KEY",),
    "AUDIT_KEY": ("AUDIT_KEY",),
    "SIGNING_KEY et SIGNING_CERT": ("SIGNING_KEY",),
    "RATELIMIT_STORAGE_URI ou REDIS_URL": ("RATELIMIT_STORAGE_URI",),
    "JOBS_BACKEND=rq": ("JOBS_BACKEND",),
}
_ENVIRONMENT = ("ENV_NAME", "SECRET_KEY", "AUDIT_KEY", "SIGNING_KEY", "SIGNING_CERT",
                "RATELIMIT_STORAGE_URI", "REDIS_URL", "JOBS_BACKEND")


@pytest.fixture(autouse=True)
def _no_settings_from_the_environment(monkeypatch):
    for name in _ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)


def _load(tmp_path, settings: dict) -> Flask:
    bare = Flask(__name__, instance_path=str(tmp_path))
    load_config(bare, settings)
    return bare


def test_production_without_any_shared_setting_names_each_one(tmp_path):
    with pytest.raises(ConfigurationError) as refused:
        _load(tmp_path, {"ENV_NAME": "production"})
    message = str(refused.value)
    assert message.startswith("Démarrage refusé : ENV_NAME=production")
    for name in SETTINGS:
        assert f"  - {name} " in message
    assert not (tmp_path / "secret_key").exists()  # nothing generated on the way


@pytest.mark.parametrize("reported,left_out", SETTINGS.items())
def test_each_missing_setting_alone_is_named(tmp_path, production_settings, reported, left_out):
    settings = {name: value for name, value in production_settings.items()
                if name not in left_out}
    with pytest.raises(ConfigurationError) as refused:
        _load(tmp_path, {**settings, "ENV_NAME": "staging"})
    listed = [line for line in str(refused.value).splitlines() if line.startswith("  - ")]
    assert len(listed) == 1 and listed[0].startswith(f"  - {reported} ")


def test_a_rate_limit_store_in_memory_is_not_shared(tmp_path, production_settings):
    with pytest.raises(ConfigurationError, match="RATELIMIT_STORAGE_URI ou REDIS_URL"):
        _load(tmp_path, {**production_settings, "ENV_NAME": "production",
                         "RATELIMIT_STORAGE_URI": "memory://"})


def test_shared_settings_may_come_from_the_environment(tmp_path, production_settings,
                                                       monkeypatch):
    for name, value in production_settings.items():
        if name != "RATELIMIT_STORAGE_URI":
            monkeypatch.setenv(name, value)
    monkeypatch.setenv("REDIS_URL", "redis://cache.internal:6379/0")
    app = _load(tmp_path, {"ENV_NAME": "production"})
    assert app.config["SECRET_KEY"] == production_settings["SECRET_KEY"]
    assert app.config["RATELIMIT_STORAGE_URI"] == "redis://cache.internal:6379/0"


def test_a_complete_production_configuration_starts(database_url, production_settings):
    app = create_app({**production_settings, "ENV_NAME": "production",
                      "SQLALCHEMY_DATABASE_URI": database_url})
    assert app.config["JOBS_BACKEND"] == "rq"
    assert app.config["SECRET_KEY"] == production_settings["SECRET_KEY"]


def test_development_keeps_its_generated_defaults(tmp_path):
    app = _load(tmp_path, {"ENV_NAME": "development"})
    assert app.config["SECRET_KEY"] == (tmp_path / "secret_key").read_text().strip()
    assert app.config["RATELIMIT_STORAGE_URI"] == "memory://"
    assert app.config["JOBS_BACKEND"] == "thread"


def test_the_command_line_stops_with_the_message_and_no_traceback(tmp_path):
    environment = {name: value for name, value in os.environ.items()
                   if name not in _ENVIRONMENT}
    done = subprocess.run([sys.executable, "-m", "flask", "--app", "charter_service", "routes"],
                          cwd=tmp_path, env=environment | {"ENV_NAME": "production"},
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert done.stderr.startswith("Démarrage refusé : ENV_NAME=production")
    assert "Traceback" not in done.stderr
    assert "  - SIGNING_KEY et SIGNING_CERT (" in done.stderr
