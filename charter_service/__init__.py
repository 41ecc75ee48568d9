"""charter-service: sign the « Charte du faire alliance », moderate signatories, publish the
register."""

from flask import Flask
from werkzeug.routing import IntegerConverter

from . import cli, errors, i18n, models, security  # noqa: F401
from .accounts import auth as _auth  # noqa: F401  (registers the user loader)
from .accounts import bp as accounts_bp
from .admin import bp as admin_bp
from .api import register_api
from .certificates import register as register_certificates
from .charters import bp as charters_bp
from .commitments import bp as commitments_bp
from .commitments import public_bp as signatories_bp
from .extensions import babel, cache, csrf, db, limiter, login_manager, migrate
from .mailing import services as mailing
from .moderation import register as register_moderation
from .organisations import bp as organisations_bp
from .paths import MIGRATIONS_DIR, TEMPLATES_DIR
from .public import bp as public_bp
from .register import register as register_register
from .signatures import register as register_signatures


def create_app(config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True, template_folder=str(TEMPLATES_DIR))
    from .config import load_config

    load_config(app, config)
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

    app.register_blueprint(public_bp)
    app.register_blueprint(accounts_bp)
    app.register_blueprint(charters_bp)
    app.register_blueprint(organisations_bp)
    register_signatures(app)
    register_certificates(app)
    app.register_blueprint(commitments_bp)
    app.register_blueprint(signatories_bp)
    register_moderation(app)
    app.register_blueprint(admin_bp)
    register_register(app)
    register_api(app)

    errors.register(app)
    security.register(app)
    i18n.register(app)
    cli.register(app)
    mailing.register(app)
    return app


class BoundedIntConverter(IntegerConverter):
    """Ids beyond a 32-bit integer cannot exist: answer 404 instead of overflowing the database."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(map, *args, **kwargs)

