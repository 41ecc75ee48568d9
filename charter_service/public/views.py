from flask import Blueprint, render_template
from sqlalchemy import func, select

from ..charters.services import current_version
from ..extensions import db
from ..register.readmodel.cache import cached
from ..register.readmodel.models import RegisterEntry

bp = Blueprint("public", __name__)


@bp.get("/")
def home():
    approved, regions = cached("home", compute=_signatory_counts)
    return render_template("public/home.html", version=current_version(), approved=approved,
                           regions=regions)


def _signatory_counts() -> tuple[int, int]:
    """Signatories and the régions they are in: the register's rows (one per organisation with
    an approved signature), counted once per register generation."""
    return tuple(db.session.execute(select(
        func.count(), func.count(func.distinct(RegisterEntry.region_code)))).one())
