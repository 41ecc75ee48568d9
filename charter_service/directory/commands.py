"""`flask directory rebuild`: the directory recomputed from the commitments."""

import click
from flask.cli import AppGroup

from ..extensions import db
from ..register.readmodel.sync import bump_pages_generation
from . import sync

directory_cli = AppGroup("directory", help="Annuaire des engagements publics.")


@directory_cli.command("rebuild")
def rebuild_command() -> None:
    """Recalcule tout l'annuaire à partir des engagements publics (après une reprise de
    données faite hors de l'application, par exemple)."""
    total = sync.rebuild()
    bump_pages_generation(db.session.connection())  # the cached pages showed the old rows
    db.session.commit()
    click.echo(f"Annuaire recalculé. Engagements publics : {total}.")
