import click
from flask.cli import AppGroup
from flask_babel import force_locale

from ..charters.services import CharterError
from ..extensions import db
from .loader import DEMO_PASSWORD, DemoError, DemoReport, load_demo, organisations_exist

demo_cli = AppGroup("demo", help="Données de démonstration (fictives).")


@demo_cli.command("load")
@click.option("--if-empty", is_flag=True,
              help="Ne rien charger si une organisation existe déjà (utilisé par `make run`).")
def load(if_empty: bool) -> None:
    """Charge la charte de démonstration, des organisations fictives, leurs signatures et leurs
    engagements."""
    if if_empty and organisations_exist():
        click.echo("Des organisations existent déjà : données de démonstration non chargées.")
        return
    with force_locale("fr"):
        try:
            report = load_demo()
        except (DemoError, CharterError) as exc:
            db.session.rollback()
            raise click.ClickException(str(exc)) from exc
        db.session.commit()
        _print_report(report)


def _print_report(report: DemoReport) -> None:
    version = report.charter_version
    if report.charter_created:
        click.echo(f"Charte de démonstration importée et publiée (version {version.number}).")
    else:
        click.echo(f"Signatures rattachées à la version publiée {version.number} de la charte.")
    click.echo(f"Créés : {report.organisations} organisations, {report.users} comptes, "
               f"{report.signatures} signatures.")
    click.echo(f"Engagements créés : {report.commitments}.")
    click.echo("\nComptes de démonstration (mot de passe commun : " + DEMO_PASSWORD + ") :")
    width = max(len(email) for _, email in report.logins)
    for label, email in report.logins:
        click.echo(f"  {email.ljust(width)}  {label}")
