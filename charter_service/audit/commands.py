import re

import click
from flask.cli import AppGroup

from . import services

audit_cli = AppGroup("audit", help="Tamper-evident audit log.")


def _parse_anchor(_ctx, _param, value: str | None) -> tuple[int, str] | None:
    if value is None:
        return None
    match = re.fullmatch(r"(\d+):([0-9a-f]{64})", value.strip())
    if not match:
        raise click.BadParameter("format attendu : NUMÉRO:EMPREINTE (64 caractères hexadécimaux)")
    return int(match[1]), match[2]


@audit_cli.command("verify")
@click.option("--anchor", callback=_parse_anchor, metavar="SEQ:HASH",
              help="A head published earlier by `flask audit head`; detects a truncated log.")
@click.pass_context
def verify(ctx: click.Context, anchor: tuple[int, str] | None) -> None:
    """Check the whole chain; exit 1 and name the first broken entry if it was tampered with."""
    result = services.verify(anchor)
    if result.ok:
        click.echo(f"Journal d’audit intègre : {result.checked} entrées vérifiées.")
        return
    click.echo(f"Journal d’audit corrompu à l’entrée n° {result.first_broken_seq} : "
               f"{result.problem}", err=True)
    ctx.exit(1)


@audit_cli.command("head")
def head() -> None:
    """Print SEQ:HASH of the last entry, to publish or store outside the database."""
    last = services.head()
    if last is None:
        click.echo("Journal d’audit vide.")
        return
    click.echo(f"{last[0]}:{last[1]}")
