from flask import Blueprint

bp = Blueprint("signatures", __name__, url_prefix="/espace/signature")
