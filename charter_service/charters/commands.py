import click
from flask.cli import AppGroup

charter_cli = AppGroup("charter", help="charter commands")
