from flask import Blueprint

bp = Blueprint("register", __name__)
