from flask import Blueprint

bp = Blueprint("signatures", __name__, url_prefix="/espace/organisations")


@bp.route("/<int:organisation_id>/signer", methods=["GET", "POST"])
def sign(organisation_id: int):
    return "todo"
