import logging
from datetime import timedelta
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from flask_babel import force_locale

from ..dates import french_date
from . import issuing, keys, report_documents
from .services import public_revocation
from .verification import Verdict, looks_like_pdf, verify_pdf

keys_cli = AppGroup("keys", help="Clés de signature des attestations.")
certificates_cli = AppGroup("certificates", help="Attestations signées.")


@keys_cli.command("generate")
@click.option("--force", is_flag=True, help="Remplacer une paire de développement existante.")
def generate(force: bool) -> None:
    """Crée une autorité et un certificat de signature de développement sous instance/."""
    directory = Path(current_app.config.get("SIGNING_DIR")
                     or Path(current_app.instance_path) / "signing")
    if not keys.generate(directory, force=force):
        click.echo(f"Une paire de développement existe déjà dans {directory} "
                   "(--force pour la remplacer).")
        return
    click.echo(f"Paire de développement créée dans {directory} :")
    for name in (keys.CA_FILE, keys.CERT_FILE, keys.KEY_FILE):
        click.echo(f"  {directory / name}")
    click.echo("Les attestations signées avec cette clé indiquent qu’elles n’ont aucune valeur "
               "officielle. En production, définissez SIGNING_KEY et SIGNING_CERT.")


@certificates_cli.command("verify")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def verify(path: Path) -> None:
    """Vérifie un fichier PDF d'attestation (code de sortie 0 : authentique et valide)."""
    data = path.read_bytes()
    # pyHanko logs each failed check with a traceback; the verdict below says it in French.
    logging.getLogger("pyhanko").setLevel(logging.CRITICAL)
    if not looks_like_pdf(data):
        click.echo("Ce fichier n’est pas un PDF.")
        raise SystemExit(1)
    with force_locale("fr"):
        result = verify_pdf(data)
        click.echo(result.label)
    certificate = result.certificate
    if certificate is not None:
        click.echo(f"Numéro : {certificate.number}")
        click.echo(f"Émise le : {french_date(certificate.issued_at)}")
        if certificate.revoked_at:
            with force_locale("fr"):
                click.echo(f"Révoquée le : {french_date(certificate.revoked_at)} – "
                           f"{public_revocation(certificate)}")
        if certificate.superseded_by:
            click.echo(f"Remplacée par : {certificate.superseded_by.number}")
    if result.report is not None:
        click.echo(f"Rapport annuel d’alliance n°\u202f: {result.report.number} "
                   f"(période {result.report.period})")
        click.echo(f"Émis le\u202f: {french_date(result.report.issued_at)}")
        if result.report.superseded_by:
            click.echo(f"Remplacé par\u202f: {result.report.superseded_by.number}")
    if result.signature is not None:
        click.echo("Signature électronique : " + (
            f"valide ({result.signature.signer})" if result.signature.authentic
            else "invalide ou non reconnue"))
        if result.signature.timestamp:
            click.echo(f"Horodatage : {result.signature.timestamp.isoformat()}")
    click.echo(f"SHA-256 du fichier : {result.sha256}")
    raise SystemExit(0 if result.verdict in (Verdict.AUTHENTIC_VALID,
                                             Verdict.REPORT_AUTHENTIC_VALID) else 1)


@certificates_cli.command("finish")
@click.option("--older-than", type=click.IntRange(min=0), default=120, show_default=True,
              help="Ne reprendre que les attestations en cours depuis ce nombre de secondes.")
def finish(older_than: int) -> None:
    """Émet les attestations et les rapports annuels d’alliance restés en cours de préparation
    (cron, sur chaque machine)."""
    stored, failed = issuing.finish(timedelta(seconds=older_than))
    click.echo(f"Attestations émises : {stored} ; en échec : {failed}.")
    reports, reports_failed = report_documents.finish(timedelta(seconds=older_than))
    if reports or reports_failed:
        click.echo(f"Rapports annuels d’alliance émis\u202f: {reports}\u202f; "
                   f"en échec\u202f: {reports_failed}.")
    raise SystemExit(1 if failed or reports_failed else 0)
