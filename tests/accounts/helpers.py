"""Helpers for the account tests: cheap argon2 parameters and links read from received e-mails."""

import re

# The parameters of tests/factories.py, so logging in a factory user needs no rehash.
NEW_PASSWORD = "une phrase de passe toute neuve"  # noqa: S105
SHORT_PASSWORD = "court"  # noqa: S105


def link_in(message, path_prefix: str) -> str:
    """The absolute link to path_prefix in a received e-mail, as a path for the test client."""
    body = message.get_content()
    found = re.search(r"http://localhost(" + re.escape(path_prefix) + r"\S+)", body)
    assert found, body
    return found.group(1)


def log_in(client, email, password, **extra):
    return client.post("/compte/connexion", data={"email": email, "password": password, **extra})


def is_logged_in(client) -> bool:
    return client.get("/compte/").status_code == 200


def text(response) -> str:
    return response.get_data(as_text=True)
