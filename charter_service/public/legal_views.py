"""The pages a French public body owes its visitors: legal notice, privacy notice and
accessibility statement (RGAA), from the configuration and the limits the code applies."""

from datetime import date, timedelta

from flask import Blueprint, current_app, render_template

bp = Blueprint("legal", __name__)


@bp.get("/mentions-legales")
def notice():
    return render_template("public/legal_notice.html")


def _days(key: str) -> int:
    return int(timedelta(seconds=current_app.config[key]).days)


def retention() -> dict[str, int]:
    """The periods the service applies, as the privacy notice states them."""
    config = current_app.config
    return {"session_days": _days("LOGIN_SESSION_MAX_IDLE"),
            "remember_days": _days("REMEMBER_COOKIE_DURATION"),
            "confirm_days": _days("CONFIRM_TOKEN_MAX_AGE"),
            "reset_hours": int(config["RESET_TOKEN_MAX_AGE"]) // 3600,
            "invitation_days": _days("INVITATION_MAX_AGE")}


@bp.get("/donnees-personnelles")
def privacy():
    return render_template("public/legal_privacy.html", **retention())


@bp.get("/accessibilite")
def accessibility():
    established = date.fromisoformat(current_app.config["ACCESSIBILITY_STATEMENT_DATE"])
    return render_template("public/legal_accessibility.html", established=established)
