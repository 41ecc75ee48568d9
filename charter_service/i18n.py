"""Locale choice: an explicit ?lang= choice, then the user's preference, then the browser."""

from flask import Flask, current_app, has_request_context, request, session
from flask_babel import get_locale
from flask_login import current_user

from . import dates


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        return languages[0]
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    return request.accept_languages.best_match(languages) or languages[0]


def _remember_choice() -> None:
    lang = request.args.get("lang")
    if lang in current_app.config["LANGUAGES"]:
        session["lang"] = lang


def register(app: Flask) -> None:
    app.before_request(_remember_choice)
    app.jinja_env.globals["get_locale"] = get_locale
    app.add_template_filter(dates.written_date, "date")
    app.add_template_filter(dates.written_datetime, "datetime")
    app.add_template_filter(dates.written_month, "month")
