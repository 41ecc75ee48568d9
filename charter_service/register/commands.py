"""`flask register export`: the register's selection written to a file, offline."""

import sys
from pathlib import Path

import click
from flask.cli import AppGroup
from flask_babel import force_locale

from . import queries
from .exports import streams
from .selection import SelectionSchema, parse_selection

register_cli = AppGroup("register", help="Registre des signataires.")


def _with_filters(command):
    """One option per argument of the register's selection, named as in /registre's URL."""
    for field in reversed(SelectionSchema().fields.values()):
        name = field.data_key or field.name
        command = click.option(f"--{name.replace('_', '-')}", name, default="",
                               help=field.metadata["description"])(command)
    return command


@register_cli.command("export")
@click.option("--format", "fmt", type=click.Choice(["csv", "json", "pdf"]), required=True,
              help="Format du fichier.")
@click.option("--output", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
              required=True, help="Fichier à écrire (« - » : la sortie standard, sauf PDF).")
@_with_filters
def export(fmt: str, output: Path, **filters: str) -> None:
    """Exporte la sélection du registre (mêmes filtres que /registre) en CSV, JSON ou PDF."""
    with force_locale("fr"):
        selection, errors = parse_selection(filters)
        if errors:
            raise click.UsageError(" ".join(errors))
        if fmt == "pdf":
            _export_pdf(selection, output)
            return
        chunks = streams.csv_lines(selection) if fmt == "csv" else streams.json_chunks(selection)
        if str(output) == "-":
            for chunk in chunks:
                sys.stdout.write(chunk)
            return
        with output.open("w", encoding="utf-8", newline="") as handle:
            for chunk in chunks:
                handle.write(chunk)
    click.echo(f"Export {fmt.upper()} écrit dans {output}.", err=True)


def _export_pdf(selection: "queries.Selection", output: Path) -> None:
    from .exports.export_jobs import source_url
    from .exports.pdf import render_selection

    if str(output) == "-":
        raise click.UsageError("Le PDF doit être écrit dans un fichier (--output FICHIER).")

    def progress(done: int, total: int) -> None:
        click.echo(f"PDF : {done} / {total} lignes", err=True)

    data = render_selection(selection, source_url=source_url(selection), progress=progress)
    output.write_bytes(data)
    click.echo(f"Export PDF écrit dans {output} ({len(data) // 1024} Kio).", err=True)


@register_cli.command("rebuild")
def rebuild_command() -> None:
    """Recalcule tout le registre à partir des signatures approuvées (après une reprise de
    données faite hors de l'application, par exemple)."""
    from ..extensions import db
    from .readmodel.sync import rebuild

    total = rebuild()
    db.session.commit()
    click.echo(f"Registre recalculé. Signataires au registre : {total}.")
