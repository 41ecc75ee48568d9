"""Locale choice: an explicit ?lang= choice, then the user's preference, then the browser."""

from urllib.parse import quote, urlencode

from flask import Flask, current_app, has_request_context, request, session
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup, escape

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


def switch_url(language: str) -> str:
    """This page in `language`: same path, same query, ?lang= replaced; always a same-origin
    relative URL (a path such as //host or /\\host is not let through as one)."""
    query = [(name, value) for name, value in request.args.items(multi=True) if name != "lang"]
    path = "/" + quote(request.path, safe="/%:@!$&'()*+,;=-._~").lstrip("/")
    return f"{request.script_root}{path}?{urlencode(query + [('lang', language)])}"


def _page_is_french() -> bool:
    locale = get_locale()
    return locale is None or locale.language == "fr"


def french_lang() -> Markup:
    """` lang="fr"` for an element holding French content (charter, descriptions, commitments,
    moderators' public texts) on a page in another language; nothing on a French page."""
    return Markup("") if _page_is_french() else Markup(' lang="fr"')


def french_text(value) -> Markup:
    """The `fr` filter: an inline French text, in a <span lang="fr"> off French pages."""
    if _page_is_french() or not value:
        return escape(value or "")
    return Markup('<span lang="fr">%s</span>') % value


def french_note() -> Markup:
    """Once per page or block of French content: « (available in French only) », off French
    pages."""
    if _page_is_french():
        return Markup("")
    return Markup('<p class="meta french-only">%s</p>') % _("(en français uniquement)")


def register(app: Flask) -> None:
    app.before_request(_remember_choice)
    app.jinja_env.globals["get_locale"] = get_locale
    app.jinja_env.globals["switch_url"] = switch_url
    app.jinja_env.globals.update(french_lang=french_lang, french_note=french_note)
    app.add_template_filter(french_text, "fr")
    app.add_template_filter(dates.written_date, "date")
    app.add_template_filter(dates.written_datetime, "datetime")
    app.add_template_filter(dates.written_month, "month")
