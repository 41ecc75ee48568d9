import click
from flask.cli import AppGroup

from .services import retry_due

mail_cli = AppGroup("mail", help="Outgoing e-mail.")


@mail_cli.command("retry")
def retry() -> None:
    """Send again every recorded message that has not gone out yet."""
    sent, failed = retry_due()
    click.echo(f"{sent} message(s) sent, {failed} still failing.")
