from flask import abort
from flask_smorest import Blueprint

from ..charters.models import CharterVersion
from ..charters.services import current_version
from .schemas import ApiErrorSchema, CharterVersionSchema

blp = Blueprint("api_charter", __name__, description="La charte en vigueur")


def version_payload(version: CharterVersion) -> dict:
    return {
        "charter_title": version.charter.title,
        "number": version.number,
        "title": version.title,
        "published_at": version.published_at,
        "sha256": version.sha256(),
        "demonstration": version.is_demonstration,
        "preamble": version.preamble,
        "principles": [
            {"code": p.code, "section": p.section.value, "title": p.title, "text": p.text}
            for p in version.principles
        ],
    }


@blp.route("", strict_slashes=False)
@blp.response(200, CharterVersionSchema)
@blp.alt_response(404, schema=ApiErrorSchema, description="Aucune version publiée")
def current():
    """La version de la charte ouverte à la signature, avec ses principes."""
    version = current_version()
    if version is None:
        abort(404)
    return version_payload(version)
