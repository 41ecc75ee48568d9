"""The register's page and count caches on Redis: one copy for every worker and machine, a change
made through one node seen by the others, and a cache that is down costs nothing but time."""

import pytest
from sqlalchemy import update

from charter_service import create_app
from charter_service.extensions import db
from charter_service.register.readmodel.models import RegisterEntry

from .register_world import World
from .test_register_page import names


@pytest.fixture
def app_config(redis_url):
    from redis import Redis

    Redis.from_url(redis_url).flushdb()
    return {"CACHE_TYPE": "RedisCache", "CACHE_REDIS_URL": redis_url}


@pytest.fixture
def node_b(app):
    """A second web node: another app, on the same database and the same Redis."""
    other = create_app(dict(app.config))
    yield other.test_client()
    with other.app_context():
        db.engine.dispose()


def _rename_behind_the_registers_back(name: str) -> None:
    db.session.execute(update(RegisterEntry).values(name=name))
    db.session.commit()


def test_a_page_rendered_on_one_node_is_served_from_redis_on_the_other(client, node_b, make,
                                                                       redis_url):
    from redis import Redis

    World(make).signatory("Élan Solidaire")
    assert names(client.get("/registre")) == ["Élan Solidaire"]
    assert Redis.from_url(redis_url).keys("charter:register:*")
    # The row changes without the register knowing: node B still shows what node A cached.
    _rename_behind_the_registers_back("Renommée en douce")
    assert names(node_b.get("/registre")) == ["Élan Solidaire"]


def test_a_change_made_through_one_node_shows_on_the_other(app, client, node_b, make):
    world = World(make)
    world.signatory("Élan Solidaire")
    assert names(node_b.get("/registre")) == ["Élan Solidaire"]
    world.signatory("Atelier Commun")  # a real change: the generation moves
    assert names(node_b.get("/registre")) == ["Atelier Commun", "Élan Solidaire"]
    assert "2 signataires" in node_b.get("/registre").get_data(as_text=True)


def test_the_register_is_served_when_redis_is_down(app, make):
    World(make).signatory("Élan Solidaire")
    down = create_app({**app.config, "CACHE_REDIS_URL": "redis://127.0.0.1:1/0"})
    try:
        client = down.test_client()
        assert names(client.get("/registre")) == ["Élan Solidaire"]
        assert names(client.get("/registre?q=elan")) == ["Élan Solidaire"]
    finally:
        with down.app_context():
            db.engine.dispose()


def test_development_keeps_the_cache_in_the_process(database_url, tmp_path):
    app = create_app({"ENV_NAME": "development", "SECRET_KEY": "x",
                      "SQLALCHEMY_DATABASE_URI": database_url, "SIGNING_DIR": str(tmp_path)})
    assert app.config["CACHE_TYPE"] == "charter_service.memory_cache.MemoryCache"
