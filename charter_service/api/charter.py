from flask_smorest import Blueprint

blp = Blueprint("api_charter", __name__, description="La charte en vigueur")
