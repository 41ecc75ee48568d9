"""`flask charter import FILE.yaml` and `flask charter publish N`."""

from pathlib import Path

import click
from flask.cli import AppGroup
from flask_babel import force_locale

from ..extensions import db
from ..mailing.services import retry_due
from .publishing import publish_and_invite
from .services import CharterError, import_version
from .yamlfile import read_charter_file

charter_cli = AppGroup("charter", help="Versions de la charte : import et publication.")


class CommandError(click.ClickException):
    def show(self, file=None) -> None:
        click.echo(f"Erreur : {self.format_message()}", err=True)


def _apply(action):
    """Run a service in French; commit on success, roll back and exit 1 on a CharterError."""
    with force_locale("fr"):
        try:
            result = action()
        except CharterError as exc:
            db.session.rollback()
            raise CommandError(str(exc)) from exc
    db.session.commit()
    return result


@charter_cli.command("import", help="Importe FILE (YAML) comme nouvelle version brouillon.")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_command(file: Path) -> None:
    version = _apply(lambda: import_version(read_charter_file(file)))
    click.echo(f"Version {version.number} importée (brouillon) : {version.title}, "
               f"{len(version.principles)} principes.")


@charter_cli.command("publish", help="Publie la version brouillon NUMBER et archive la "
                                     "version qu’elle remplace.")
@click.argument("number", type=int)
@click.option("--charter", "charter_slug", help="Identifiant de la charte, s’il y en a plusieurs.")
def publish_command(number: int, charter_slug: str | None) -> None:
    version, invited = _apply(lambda: publish_and_invite(number, None, charter_slug))
    click.echo(f"Version {version.number} publiée ; elle est désormais ouverte à la signature.")
    if invited:
        sent, failed = retry_due()  # the outbox keeps what fails, for `flask mail retry`
        click.echo(f"{invited} invitation(s) à signer la nouvelle version ; messages envoyés : "
                   f"{sent}, en échec : {failed}.")
