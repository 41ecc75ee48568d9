from datetime import date

import click
from flask.cli import AppGroup

from ..mailing.services import retry_due
from .progress import local_today
from .reporting import send_reminders

reminders_cli = AppGroup("reminders", help="Annual progress reporting reminders.")


def _parse_day(_ctx, _param, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter("format attendu : AAAA-MM-JJ") from exc


@reminders_cli.command("send")
@click.option("--today", callback=_parse_day, metavar="YYYY-MM-DD",
              help="Run as if on this day (default: today).")
def send(today: date | None) -> None:
    """Send the 30-day and 7-day reminders due today (run daily; never sends one twice)."""
    reminded = send_reminders(today or local_today())
    delivered, failed = retry_due()
    click.echo(f"{reminded} organisation(s) relancée(s) ; {delivered} e-mail(s) envoyé(s), "
               f"{failed} en échec (nouvel essai par `flask mail retry`).")
