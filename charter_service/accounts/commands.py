import click
from flask import current_app
from flask.cli import AppGroup

from .. import text
from ..extensions import db
from . import services
from .models import Role
from .roles import LastAdmin, change_role, record_new_account_role

users_cli = AppGroup("users", help="users commands")


def _check_password(password: str, email: str, full_name: str) -> None:
    problem = services.password_problem(password, email, full_name)
    if problem is services.PasswordProblem.TOO_SHORT:
        minimum = current_app.config["PASSWORD_MIN_LENGTH"]
        raise click.ClickException(f"Password too short: at least {minimum} characters.")
    if problem is services.PasswordProblem.SAME_AS_EMAIL:
        raise click.ClickException("Password must not be the e-mail address.")
    if problem is not None:
        raise click.ClickException(f"Password too easy to guess ({problem.value}).")


def _full_name(_ctx, _param, value: str | None) -> str | None:
    try:
        return text.clean(value, text.TextKind.NAME)[:120] if value else value
    except text.UnsafeText as exc:
        raise click.BadParameter(str(exc), param_hint="--name") from None


@users_cli.command("create")
@click.argument("email")
@click.option("--role", required=True, type=click.Choice([role.value for role in Role]),
              help="Role of the account (an existing account only gets this role).")
@click.option("--name", callback=_full_name,
              help="Full name (default: the part of the address before @).")
@click.option("--password", help="Password of a new account (prompted for when omitted).")
def create(email: str, role: str, name: str | None, password: str | None) -> None:
    """Create a confirmed account, or change the role of an existing one."""
    address = services.normalise_email(email)
    if address is None:
        raise click.BadParameter("not a valid e-mail address.", param_hint="EMAIL")
    user = services.find_user_by_email(address)
    if user is not None:
        try:
            change_role(user, Role(role), actor=None)
        except LastAdmin:
            raise click.ClickException(
                f"{address} is the last admin: make another account admin first.") from None
        if name:
            user.full_name = name
        db.session.commit()
        click.echo(f"Existing account {address}: role is now {role}.")
        return
    if password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    full_name = (name or address.split("@")[0]).strip()[:120]
    _check_password(password, address, full_name)
    user = services.create_confirmed_user(address, full_name, password, Role(role))
    record_new_account_role(user, actor=None)
    db.session.commit()
    click.echo(f"Created confirmed account {address} with role {role}.")
