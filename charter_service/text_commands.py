"""`flask text check`: the stored rows that the text guard (`text.py`) would refuse today, so that
moderators can find and correct text written before the guard, or behind the forms' back."""

from collections.abc import Iterator

import click
from flask.cli import AppGroup
from sqlalchemy import select

from .extensions import db
from .text import TextProblem, find_problem, normalise
from .text_columns import GUARDED_COLUMNS

BATCH = 1000

text_cli = AppGroup("text", help="Free text stored in the database.")


def refused_values() -> Iterator[tuple[str, int, str, TextProblem]]:
    """(table, id, column, problem) of every stored value the guard would refuse."""
    for model, column, kind in GUARDED_COLUMNS:
        rows = db.session.execute(
            select(model.id, getattr(model, column)).order_by(model.id)
            .execution_options(yield_per=BATCH))
        for row_id, value in rows:
            problem = find_problem(normalise(value, kind), kind) if value else None
            if problem is not None:
                yield model.__tablename__, row_id, column, problem


@text_cli.command("check")
@click.pass_context
def check(ctx: click.Context) -> None:
    """List the stored texts the guard would refuse (table, id, field, problem); exit 1 if any."""
    found = 0
    for table, row_id, column, problem in refused_values():
        found += 1
        click.echo(f"{table}\t{row_id}\t{column}\t{problem.describe()}")
    if found:
        click.echo(f"{found} texte(s) à corriger : chacun contient un caractère que les "
                   f"formulaires refusent désormais.", err=True)
        ctx.exit(1)
    click.echo("Aucun texte enregistré ne contient de caractère refusé.")
