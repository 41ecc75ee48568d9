"""Rate limits: log-in per account as well as per address (IP), one count shared by every
process through Redis (the default outside development), and a way out on the 429 page."""

import pytest
from flask import Flask

from charter_service import create_app
from charter_service.config import load_config
from charter_service.extensions import db

from .helpers import text

FORGOT_LINK = '<a href="/compte/mot-de-passe-oublie">Mot de passe oublié ?</a>'
WRONG = "pas le bon mot de passe"


def _attempt(client, email, password=WRONG, ip="192.0.2.1"):
    return client.post("/compte/connexion", data={"email": email, "password": password},
                       environ_base={"REMOTE_ADDR": ip})


class TestPerAccount:
    @pytest.fixture
    def app_config(self):
        return {"RATELIMIT_ENABLED": True, "RATELIMIT_LOGIN": "100 per minute",
                "RATELIMIT_LOGIN_ACCOUNT": "3 per minute"}

    def test_an_attacker_rotating_addresses_hits_the_account_limit(self, client, make):
        victim = make.user("membre@example.org")
        other = make.user("autre@example.org")
        for n, spelling in enumerate(["membre@example.org", "Membre@Example.org",
                                      " MEMBRE@example.ORG "]):
            assert _attempt(client, spelling, ip=f"198.51.100.{n}").status_code == 200
        refused = _attempt(client, victim.email, make.password, ip="203.0.113.9")
        assert refused.status_code == 429
        page = text(refused)
        assert "Trop de tentatives" in page and FORGOT_LINK in page
        # Another account, from the same address, is not affected.
        assert _attempt(client, other.email, make.password, ip="203.0.113.9").status_code == 302

    def test_successful_log_ins_do_not_count(self, app, make):
        user = make.user("membre@example.org")
        for _ in range(5):
            assert _attempt(app.test_client(), user.email, make.password).status_code == 302

    def test_the_429_page_offers_a_new_password_except_on_that_page(self, app, client):
        app.config.update(RATELIMIT_LOGIN="1 per minute", RATELIMIT_PASSWORD_RESET="1 per minute")
        _attempt(client, "x@example.org")
        refused = _attempt(client, "y@example.org")
        assert refused.status_code == 429 and FORGOT_LINK in text(refused)
        client.post("/compte/mot-de-passe-oublie", data={"email": "x@example.org"})
        refused = client.post("/compte/mot-de-passe-oublie", data={"email": "x@example.org"})
        assert refused.status_code == 429 and FORGOT_LINK not in text(refused)


class TestSharedStore:
    @pytest.fixture
    def app_config(self, redis_url):
        from redis import Redis

        Redis.from_url(redis_url).flushdb()
        return {"RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": redis_url,
                "RATELIMIT_LOGIN": "3 per minute", "RATELIMIT_LOGIN_ACCOUNT": "100 per minute"}

    def test_two_app_instances_count_together_in_redis(self, app, make, redis_url):
        from redis import Redis

        make.user("membre@example.org")
        other = create_app(dict(app.config))  # a second worker or machine
        try:
            first, second = app.test_client(), other.test_client()
            assert _attempt(first, "membre@example.org").status_code == 200
            assert _attempt(second, "membre@example.org").status_code == 200
            assert _attempt(first, "membre@example.org").status_code == 200
            assert _attempt(second, "membre@example.org").status_code == 429
            assert _attempt(first, "membre@example.org").status_code == 429
            Redis.from_url(redis_url).flushdb()  # the count lives in Redis, not in a process
            assert _attempt(second, "membre@example.org").status_code == 200
        finally:
            with other.app_context():
                db.engine.dispose()


@pytest.mark.parametrize("environment,overrides,expected", [
    ({}, {"ENV_NAME": "production"}, "redis://cache.internal:6379/2"),
    ({"ENV_NAME": "staging"}, {}, "redis://cache.internal:6379/2"),
    ({}, {"ENV_NAME": "development"}, "memory://"),
    ({}, {"ENV_NAME": "testing"}, "memory://"),
    ({"RATELIMIT_STORAGE_URI": "memcached://cache.internal:11211"}, {"ENV_NAME": "production"},
     "memcached://cache.internal:11211"),
])
def test_the_limits_are_shared_outside_development(tmp_path, monkeypatch, environment,
                                                   overrides, expected):
    monkeypatch.delenv("RATELIMIT_STORAGE_URI", raising=False)
    monkeypatch.delenv("ENV_NAME", raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    bare = Flask(__name__, instance_path=str(tmp_path))
    shared = {"SECRET_KEY": "x", "AUDIT_KEY": "y", "SIGNING_KEY": "k.pem", "SIGNING_CERT": "c.pem",
              "JOBS_BACKEND": "rq"}
    load_config(bare, {**shared, "REDIS_URL": "redis://cache.internal:6379/2", **overrides})
    assert bare.config["RATELIMIT_STORAGE_URI"] == expected
