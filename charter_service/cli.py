"""Command-line entry points (`flask --app charter_service ...`), one group per domain."""

from flask import Flask


def register(app: Flask) -> None:
    from .accounts.commands import users_cli
    from .audit.commands import audit_cli
    from .certificates.commands import certificates_cli, keys_cli
    from .charters.commands import charter_cli
    from .commitments.commands import reminders_cli
    from .demo.commands import demo_cli
    from .directory.commands import directory_cli
    from .mailing.commands import mail_cli
    from .moderation.commands import moderation_cli
    from .register.commands import register_cli
    from .text_commands import text_cli

    for group in (users_cli, charter_cli, demo_cli, mail_cli, audit_cli, moderation_cli,
                  reminders_cli, keys_cli, certificates_cli, register_cli, directory_cli,
                  text_cli):
        app.cli.add_command(group)
