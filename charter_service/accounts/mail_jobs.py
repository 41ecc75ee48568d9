"""Account e-mails asked for by address (password reset, confirmation link again): the page only
hands the address to a background job, which looks the account up, writes and sends the e-mail,
so the answer does the same work and takes the same time whether the address has an account.

With JOBS_BACKEND=sync (tests only) the job runs inside the request and that guarantee is lost.
"""

from flask import current_app

from .. import jobs
from ..extensions import db
from . import services


def ask_password_reset(email: str) -> None:
    jobs.enqueue("charter_service.accounts.mail_jobs:send_password_reset", email)


def ask_confirmation(email: str) -> None:
    jobs.enqueue("charter_service.accounts.mail_jobs:send_confirmation", email)


def send_password_reset(email: str) -> None:
    """The job: a reset link to the account of this address, if there is one."""
    with _public_request():
        services.request_password_reset(email)
        db.session.commit()


def send_confirmation(email: str) -> None:
    """The job: a new confirmation link to the unconfirmed account of this address, if any."""
    with _public_request():
        services.resend_confirmation(email)
        db.session.commit()


def _public_request():
    """A request context on PUBLIC_BASE_URL: the e-mail's links are built from the configured
    address; the mail queued here is delivered by a job of its own once committed."""
    return current_app.test_request_context(base_url=current_app.config["PUBLIC_BASE_URL"])

