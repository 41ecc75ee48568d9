import click
from flask.cli import AppGroup

from .services import deliver_due

mail_cli = AppGroup("mail", help="Outgoing e-mail.")


@mail_cli.command("retry")
@click.pass_context
def retry(ctx: click.Context) -> None:
    """Send every recorded message that is due; exit 1 only if the SMTP server is unreachable."""
    delivery = deliver_due()
    click.echo(f"{delivery.sent} message(s) envoyé(s), {delivery.deferred} en attente d’un "
               f"nouvel essai, {delivery.failed} en échec définitif.")
    if delivery.unreachable:
        click.echo(f"Serveur SMTP injoignable ({delivery.unreachable}) : les messages restent "
                   f"dans la file, rien n’est perdu.", err=True)
        ctx.exit(1)
