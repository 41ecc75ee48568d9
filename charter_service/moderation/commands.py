import click
from flask.cli import AppGroup

from ..db_types import utcnow
from ..mailing.services import retry_due
from .alerts import send_digests

moderation_cli = AppGroup("moderation", help="Moderation: alerts to moderators.")


@moderation_cli.command("digest")
def digest() -> None:
    """Send the daily digest to the moderators who chose it (run it daily, e.g. from cron)."""
    sent = send_digests(utcnow())
    delivered, failed = retry_due()
    click.echo(f"{sent} digest(s) queued; {delivered} e-mail(s) sent, {failed} still failing.")
