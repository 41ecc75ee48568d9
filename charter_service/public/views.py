from flask import Blueprint, render_template
from sqlalchemy import func, select

from ..charters.services import current_version
from ..extensions import db
from ..organisations.models import Organisation
from ..signatures.models import Signature, SignatureStatus

bp = Blueprint("public", __name__)


@bp.get("/")
def home():
    version = current_version()
    approved = db.session.scalar(
        select(func.count(func.distinct(Signature.organisation_id))).where(
            Signature.status == SignatureStatus.APPROVED
        )
    )
    regions = db.session.scalar(
        select(func.count(func.distinct(Organisation.region_code)))
        .join(Signature, Signature.organisation_id == Organisation.id)
        .where(Signature.status == SignatureStatus.APPROVED)
    )
    return render_template("public/home.html", version=version, approved=approved, regions=regions)
