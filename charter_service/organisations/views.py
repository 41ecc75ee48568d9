from flask import Blueprint

bp = Blueprint("organisations", __name__, url_prefix="/espace")


@bp.get("/")
def space():
    return "todo"
