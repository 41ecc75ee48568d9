from flask import Blueprint

bp = Blueprint("accounts", __name__, url_prefix="/compte")


@bp.route("/connexion", methods=["GET", "POST"])
def login():
    return "todo"


@bp.route("/inscription", methods=["GET", "POST"])
def signup():
    return "todo"


@bp.post("/deconnexion")
def logout():
    return "todo"
