"""charter-service: sign the « Charte du faire alliance », moderate signatories, publish the
register."""

from flask import Flask
from werkzeug.routing import IntegerConverter

from . import (
    accounts,
    admin,
    api,
    certificates,
    charters,
    cli,
    commitments,
    directory,
    errors,
    i18n,
    models,  # noqa: F401
    moderation,
    organisations,
    page_cache,
    public,
    register,
    security,
    signatures,
    typography,
)
from .extensions import babel, cache, csrf, db, limiter, login_manager, migrate
from .paths import MIGRATIONS_DIR, TEMPLATES_DIR

# Each package wires its own blueprints, filters and globals: lowest layer first.
PACKAGES = (accounts, charters, organisations, signatures, certificates, commitments, moderation,
            register, directory, public, api, admin)


def create_app(config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True, template_folder=str(TEMPLATES_DIR))
    from .config import load_config

    load_config(app, config)
    page_cache.install(app)  # inside the proxy fix: it must see the client's scheme and host
    if app.config.get("TRUSTED_PROXIES"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = int(app.config["TRUSTED_PROXIES"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    app.url_map.converters["int"] = BoundedIntConverter
    db.init_app(app)
    migrate.init_app(app, db, directory=app.config.get("MIGRATIONS_DIR", str(MIGRATIONS_DIR)))
    login_manager.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    cache.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale)

    for package in PACKAGES:
        package.register(app)

    errors.register(app)
    security.register(app)
    i18n.register(app)
    typography.register(app)
    cli.register(app)
    return app


class BoundedIntConverter(IntegerConverter):
    """Ids beyond a 32-bit integer cannot exist: answer 404 instead of overflowing the database."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(map, *args, **kwargs)

