"""Configuration: safe defaults, then the environment, then the caller's mapping."""

import os
import secrets
from pathlib import Path

from flask import Flask


def _instance_secret(app: Flask) -> str:
    """Generate the secret once and keep it under instance/, readable by the owner only."""
    path = Path(app.instance_path) / "secret_key"
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(value)
    return value


def _database_url(app: Flask) -> str:
    url = os.environ.get("DATABASE_URL")
    if url:
        if url.startswith("postgres://"):
            url = "postgresql+psycopg://" + url.removeprefix("postgres://")
        elif url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
        return url
    return "sqlite:///" + str(Path(app.instance_path) / "charter.sqlite3")


DEFAULTS = {
    "ENV_NAME": "production",
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    # A remembered browser stays logged in 30 days; a server-side session unused for as long
    # ends (accounts/sessions.py).
    "REMEMBER_COOKIE_DURATION": 30 * 24 * 3600,
    "LOGIN_SESSION_MAX_IDLE": 30 * 24 * 3600,
    "MAX_CONTENT_LENGTH": 8 * 1024 * 1024,
    "MAX_FORM_MEMORY_SIZE": 1024 * 1024,
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    "WTF_CSRF_TIME_LIMIT": 6 * 3600,
    "BABEL_DEFAULT_LOCALE": "fr",
    "BABEL_DEFAULT_TIMEZONE": "Europe/Paris",
    "LANGUAGES": ("fr", "en"),
    "PUBLIC_BASE_URL": "http://127.0.0.1:5000",
    "MAIL_SERVER": "",
    "MAIL_PORT": 25,
    "MAIL_USE_TLS": False,
    "MAIL_USE_SSL": False,
    "MAIL_USERNAME": "",
    "MAIL_PASSWORD": "",
    "MAIL_TIMEOUT": 10,
    "MAIL_SENDER": "Charte du faire alliance <ne-pas-repondre@charte.example.org>",
    "MAIL_MAX_ATTEMPTS": 8,
    "CONTACT_EMAIL": "moderation@fondation-territoires.example.org",
    "RATELIMIT_HEADERS_ENABLED": True,
    # Log-in is limited per address (IP) and, counting failed attempts only, per account.
    "RATELIMIT_LOGIN": "10 per minute;50 per hour",
    "RATELIMIT_LOGIN_ACCOUNT": "5 per minute;20 per hour",
    "RATELIMIT_SIGNUP": "5 per minute;30 per hour",
    "RATELIMIT_PASSWORD_RESET": "5 per minute;20 per hour",
    "RATELIMIT_INVITATION": "20 per hour;100 per day",
    "PASSWORD_MIN_LENGTH": 12,
    "CONFIRM_TOKEN_MAX_AGE": 3 * 24 * 3600,
    "RESET_TOKEN_MAX_AGE": 2 * 3600,
    "INVITATION_MAX_AGE": 14 * 24 * 3600,
    "REPRESENTATIVE_LINK_MAX_AGE": 14 * 24 * 3600,
    "LOGO_MAX_BYTES": 2 * 1024 * 1024,
    "LOGO_MAX_PIXELS": 4000 * 4000,
    "DELIBERATION_MAX_BYTES": 5 * 1024 * 1024,
    # The annual reporting campaign (/bilans): it ends on « MM-DD », by default the charter's
    # anniversary (its first publication), and opens this many days before.
    "REPORTING_CAMPAIGN_END": None,
    "REPORTING_CAMPAIGN_DAYS": 60,
    # Seconds a worker trusts its copy of the register's generation (the key of its cached
    # pages) before reading it again; its own commits refresh it at once.
    "REGISTER_GENERATION_TTL": 1.0,
    # Reporting (commitments/reporting.py): months between two reports, per organisation kind.
    # « autre » reports yearly like a company: nothing says it is a public or non-profit body
    # whose reporting follows a two-year cycle, and the yearly rhythm is the peers' default
    # (UN Global Compact). A change applies to the register after `flask register rebuild`.
    "REPORTING_CADENCE_MONTHS": {"entreprise": 12, "collectivite": 24, "association": 24,
                                 "fondation": 24, "academique": 24, "autre": 12},
    # « non communicant » this many months after the due date without a report.
    "REPORTING_NON_COMMUNICATING_MONTHS": 12,
    # « bilan attendu » from this many days before the due date (the due day included).
    "REPORTING_DUE_WINDOW_DAYS": 30,
    # Background jobs (charter_service/jobs): "thread" in the web process, "rq" on Redis, "sync".
    "JOBS_BACKEND": "thread",
    # Enough that a register PDF or an attestation being rendered does not hold the e-mails
    # queued after it (`make run`; production runs its jobs in RQ workers).
    "JOBS_THREADS": 4,
    "JOBS_QUEUE": "charter",
    "JOBS_TIMEOUT": 1800,
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    # A Redis that does not answer (stopped, or its machine unreachable and the packets lost)
    # costs a request half a second, not the system's TCP timeout: the rate limits then answer
    # the French 503 of errors.py, a job that cannot be queued says so. (The cache's: below.)
    "RATELIMIT_STORAGE_OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    "JOBS_REDIS_OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    # A register PDF of more rows than this is rendered by a background job.
    "EXPORT_PDF_INLINE_ROWS": 200,
    # The legal pages (public/legal_views.py): demonstration values, to set in production.
    "LEGAL_PUBLISHER": "Fondation des Territoires (valeur de démonstration)",
    "LEGAL_PUBLISHER_ADDRESS": "1 place de l’Exemple, 75000 Paris",
    "LEGAL_PUBLISHER_IDENTIFIER": "SIREN 000 000 000",
    "LEGAL_DIRECTOR": "Camille Exemple, directrice générale (valeur de démonstration)",
    "LEGAL_HOST": "Hébergeur de démonstration SAS",
    "LEGAL_HOST_ADDRESS": "2 rue de l’Exemple, 69000 Lyon",
    "PRIVACY_CONTACT_EMAIL": "donnees-personnelles@fondation-territoires.example.org",
    "ACCESSIBILITY_CONTACT_EMAIL": "accessibilite@fondation-territoires.example.org",
    # The day the accessibility statement was established (ISO date).
    "ACCESSIBILITY_STATEMENT_DATE": "2026-12-01",
}

_ENV_KEYS = ("SECRET_KEY", "PUBLIC_BASE_URL", "MAIL_SERVER", "MAIL_USERNAME", "MAIL_PASSWORD",
             "MAIL_SENDER", "CONTACT_EMAIL", "RATELIMIT_STORAGE_URI", "SIGNING_KEY",
             "SIGNING_CERT", "TSA_URL", "ENV_NAME", "AUDIT_KEY", "SIGNING_DIR",
             "SIGNING_TRUSTED_CERTS", "JOBS_BACKEND", "JOBS_QUEUE", "REDIS_URL", "CACHE_TYPE",
             "CACHE_REDIS_URL", "LEGAL_PUBLISHER", "LEGAL_PUBLISHER_ADDRESS",
             "LEGAL_PUBLISHER_IDENTIFIER", "LEGAL_DIRECTOR", "LEGAL_HOST", "LEGAL_HOST_ADDRESS",
             "PRIVACY_CONTACT_EMAIL", "ACCESSIBILITY_CONTACT_EMAIL",
             "ACCESSIBILITY_STATEMENT_DATE")
_ENV_INTS = ("MAIL_PORT", "MAIL_TIMEOUT", "PASSWORD_MIN_LENGTH", "TRUSTED_PROXIES", "JOBS_THREADS",
             "EXPORT_PDF_INLINE_ROWS")
_ENV_BOOLS = ("MAIL_USE_TLS", "MAIL_USE_SSL")


def _secure_cookies(app: Flask, overrides: dict) -> None:
    """Outside development the session and remember cookies travel over HTTPS only. (Flask's
    own defaults already hold SESSION_COOKIE_SECURE = False, so setdefault would do nothing.)"""
    development = app.config["ENV_NAME"] in ("development", "testing")
    for key in ("SESSION_COOKIE_SECURE", "REMEMBER_COOKIE_SECURE"):
        if key not in overrides:
            app.config[key] = not development


class ConfigurationError(SystemExit):
    """The configuration cannot run this service safely; the message says what to set.

    A SystemExit, so that `flask`, gunicorn and `rq worker` stop with the message alone rather
    than a traceback."""


def _missing_for_production(config: dict, overrides: dict) -> list[str]:
    """What a deployment outside development must set, because the generated defaults differ
    from one machine to the next."""
    missing = []
    if not config.get("SECRET_KEY"):
        missing.append("SECRET_KEY (sinon chaque machine tire la sienne : les sessions et les "
                       "liens envoyés par e-mail ne valent que sur la machine qui les a émis)")
    if not config.get("AUDIT_KEY"):
        missing.append("AUDIT_KEY (sinon chaque machine dérive sa propre clé du journal "
                       "d’audit, et `flask audit verify` conclut à une falsification)")
    if not (config.get("SIGNING_KEY") and config.get("SIGNING_CERT")):
        missing.append("SIGNING_KEY et SIGNING_CERT (sinon chaque machine crée sa propre "
                       "autorité de développement et ses attestations paraissent douteuses "
                       "sur les autres)")
    shared = ("RATELIMIT_STORAGE_URI" in os.environ or "REDIS_URL" in os.environ
              or "RATELIMIT_STORAGE_URI" in overrides or "REDIS_URL" in overrides)
    if config.get("RATELIMIT_ENABLED", True) and (
            not shared or config["RATELIMIT_STORAGE_URI"].startswith("memory://")):
        missing.append("RATELIMIT_STORAGE_URI ou REDIS_URL vers un stockage partagé (sinon "
                       "chaque processus compte les tentatives de son côté)")
    if config.get("JOBS_BACKEND") != "rq":
        missing.append("JOBS_BACKEND=rq (sinon les tâches de fond tournent dans chaque "
                       "processus web et meurent avec lui)")
    return missing


def _refuse_per_machine_defaults(app: Flask, overrides: dict) -> None:
    missing = _missing_for_production(app.config, overrides)
    if missing:
        lines = "\n".join(f"  - {item}" for item in missing)
        raise ConfigurationError(
            f"Démarrage refusé : ENV_NAME={app.config['ENV_NAME']} (hors développement) "
            f"exige une configuration commune à toutes les machines. À définir :\n{lines}\n"
            "Sur un poste de développement, lancez avec ENV_NAME=development (make run).")


def _cache_config(config: dict, development: bool) -> None:
    """The register's computed pages and counts: shared by every worker and machine on Redis
    outside development, kept in each process's memory in it (Flask-Caching either way)."""
    if development:
        config.setdefault("CACHE_TYPE", "charter_service.memory_cache.MemoryCache")
    else:
        config.setdefault("CACHE_TYPE", "RedisCache")
        config.setdefault("CACHE_REDIS_URL", config["REDIS_URL"])
    if config["CACHE_TYPE"].rsplit(".", 1)[-1] == "RedisCache":  # also when set in development
        # A Redis that does not answer costs a page half a second, then it is computed.
        config.setdefault("CACHE_OPTIONS", {"socket_connect_timeout": 0.5, "socket_timeout": 0.5})
    config.setdefault("CACHE_KEY_PREFIX", "charter:")
    # What the in-process cache holds before it forgets the least recently used entries.
    config.setdefault("CACHE_MEMORY_BYTES", 64 * 1024 * 1024)
    # Entries are keyed by the register's generation, so an old one is never read again; the
    # timeout only bounds what a shared cache holds.
    config.setdefault("CACHE_DEFAULT_TIMEOUT", 24 * 3600)


def load_config(app: Flask, overrides: dict | None) -> None:
    app.config.update(DEFAULTS)
    for key in _ENV_KEYS:
        if key in os.environ:
            app.config[key] = os.environ[key]
    for key in _ENV_INTS:
        if key in os.environ:
            app.config[key] = int(os.environ[key])
    for key in _ENV_BOOLS:
        if key in os.environ:
            app.config[key] = os.environ[key].lower() in ("1", "true", "yes", "on")
    app.config.update(overrides or {})
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = _database_url(app)
    development = app.config["ENV_NAME"] in ("development", "testing")
    # Counted once for every worker and machine: the shared Redis, outside development.
    app.config.setdefault("RATELIMIT_STORAGE_URI",
                          "memory://" if development else app.config["REDIS_URL"])
    _cache_config(app.config, development)
    if not development:
        _refuse_per_machine_defaults(app, overrides or {})
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret(app)
    _secure_cookies(app, overrides or {})
    app.config.setdefault("OUTBOX_DIR", str(Path(app.instance_path) / "outbox"))
