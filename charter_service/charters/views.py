from flask import Blueprint

bp = Blueprint("charters", __name__, url_prefix="/charte")


@bp.get("/")
def current():
    return "todo"
