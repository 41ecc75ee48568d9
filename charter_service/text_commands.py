"""`flask text check`: the stored rows that the text guard (`text.py`) would refuse today, so that
moderators can find and correct text written before the guard, or behind the forms' back."""

from collections.abc import Iterator

import click
from flask.cli import AppGroup
from sqlalchemy import select

from .accounts.models import User
from .charters.models import Charter, CharterVersion, Principle
from .commitments.models import Commitment, CommitmentPartner, Indicator, ProgressUpdate
from .extensions import db
from .organisations.models import Organisation
from .signatures.models import Signature
from .text import TextKind, TextProblem, find_problem, normalise

LINE, NAME, MULTILINE = TextKind.LINE, TextKind.NAME, TextKind.MULTILINE
# (model, column, kind) of every free text people write, as their forms guard it.
GUARDED_COLUMNS = [
    (Organisation, "name", NAME), (Organisation, "commune", NAME),
    (Organisation, "address", LINE), (Organisation, "website", LINE),
    (Organisation, "description", MULTILINE),
    (Signature, "signatory_name", NAME), (Signature, "signatory_function", NAME),
    (Signature, "reason", MULTILINE),
    (User, "full_name", NAME),
    (Commitment, "title", LINE), (Commitment, "description", MULTILINE),
    (Commitment, "hidden_reason", MULTILINE),
    (Indicator, "name", LINE), (Indicator, "unit", LINE),
    (CommitmentPartner, "outside_name", NAME),
    (ProgressUpdate, "text", MULTILINE), (ProgressUpdate, "evidence_url", LINE),
    (ProgressUpdate, "hidden_reason", MULTILINE),
    (Charter, "title", LINE), (CharterVersion, "title", LINE),
    (CharterVersion, "preamble", MULTILINE),
    (Principle, "title", LINE), (Principle, "text", MULTILINE),
]
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
        click.echo(f"{found} texte(s) à corriger : chacun contient un caractère que les "
                   f"formulaires refusent désormais.", err=True)
        ctx.exit(1)
    click.echo("Aucun texte enregistré ne contient de caractère refusé.")
