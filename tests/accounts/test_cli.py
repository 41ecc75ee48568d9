"""`flask users create`: confirmed staff accounts from the command line."""

from sqlalchemy import select

from charter_service.accounts.models import Role, User
from charter_service.extensions import db

from .helpers import NEW_PASSWORD, log_in


def _run(app, *args, input=None):
    return app.test_cli_runner().invoke(args=["users", "create", *args], input=input)


def _user(email) -> User | None:
    db.session.expire_all()
    return db.session.scalar(select(User).where(User.email == email))


def test_creates_a_confirmed_moderator_who_can_log_in(app, client):
    result = _run(app, "Modo@Example.org", "--role", "moderator", "--name", "Dominique Modo",
                  "--password", NEW_PASSWORD)
    assert result.exit_code == 0, result.output
    assert "Created confirmed account modo@example.org with role moderator." in result.output
    user = _user("modo@example.org")
    assert user.role is Role.MODERATOR and user.confirmed_at is not None
    assert user.full_name == "Dominique Modo" and user.password_hash.startswith("$argon2id$")
    assert log_in(client, "modo@example.org", NEW_PASSWORD).status_code == 302


def test_prompts_for_the_password_twice_without_echo(app):
    result = _run(app, "admin@example.org", "--role", "admin",
                  input=f"{NEW_PASSWORD}\n{NEW_PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert NEW_PASSWORD not in result.output
    user = _user("admin@example.org")
    assert user.role is Role.ADMIN and user.full_name == "admin"


def test_refuses_a_short_password_and_creates_nothing(app):
    result = _run(app, "admin@example.org", "--role", "admin", "--password", "court")
    assert result.exit_code != 0
    assert "Password too short: at least 12 characters." in result.output
    assert _user("admin@example.org") is None


def test_refuses_the_address_as_password(app):
    result = _run(app, "admin@example.org", "--role", "admin", "--password", "Admin@Example.org")
    assert result.exit_code != 0 and "must not be the e-mail address" in result.output
    assert _user("admin@example.org") is None


def test_changes_the_role_of_an_existing_account(app, make):
    user = make.user("membre@example.org")
    hash_before = user.password_hash
    result = _run(app, "MEMBRE@example.org", "--role", "admin")
    assert result.exit_code == 0, result.output
    assert "Existing account membre@example.org: role is now admin." in result.output
    user = _user("membre@example.org")
    assert user.role is Role.ADMIN and user.password_hash == hash_before


def test_refuses_bad_addresses_and_roles(app):
    password = ["--password", NEW_PASSWORD]
    assert _run(app, "pas-une-adresse", "--role", "admin", *password).exit_code == 2
    assert _run(app, "a@example.org", "--role", "king", *password).exit_code == 2
    assert _run(app, "a@example.org", *password).exit_code == 2
    assert db.session.scalar(select(User)) is None
