"""Every link in every e-mail starts with PUBLIC_BASE_URL, whatever Host the request claimed."""

import re
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from flask import template_rendered
from pypdf import PdfWriter
from sqlalchemy import select

from charter_service.accounts.models import ModerationAlerts, Role, User
from charter_service.charters.models import VersionStatus
from charter_service.dates import local_date
from charter_service.db_types import utcnow
from charter_service.extensions import db
from charter_service.mailing.models import OutboxMessage
from charter_service.mailing.services import ForeignLink, queue
from charter_service.signatures import handover
from charter_service.signatures import representative as representative_services
from charter_service.signatures.models import Signature, SignatureStatus
from charter_service.signatures.workflow import Transition, apply
from tests.signatures.conftest import form_data

BASE = "https://charte.example.org"
# Anonymous requests claim another Host; a logged-in browser's cookie is bound to the real
# host, so its requests are poisoned through the proxy header (TRUSTED_PROXIES=1).
POISON = {"Host": "evil.example", "X-Forwarded-Host": "evil.example"}
PROXIED = {"X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "https"}
MAIL_TEMPLATES = Path(__file__).parents[1] / "templates" / "mail"
# Written out by hand: a new e-mail with a link must be added here and triggered below.
WITH_LINKS = {"account_confirm", "account_exists", "account_reset", "organisation_invitation",
              "moderation_new_signature", "moderation_digest", "signature_approved",
              "signature_changes_requested", "commitment_invitation", "reminder_due",
              "reminder_late",
              "charter_new_version", "signature_received", "representative_link",
              "signature_declined", "paper_signature_invitation", "handover_link",
              "handover_declined", "moderation_handover", "annual_report_partner"}
WITHOUT_LINKS = {"signature_rejected", "signature_suspended",
                 "signature_reinstated", "signature_withdrawn", "test_message"}
URL = re.compile(r"https?://[^\s<>\"')]+")


@pytest.fixture
def app_config():
    return {"PUBLIC_BASE_URL": BASE, "TRUSTED_PROXIES": 1}


@pytest.fixture
def rendered(app):
    names = set()

    def _record(sender, template, context, **extra):
        if template.name.startswith("mail/") and template.name.endswith(".txt") \
                and not template.name.endswith(".subject.txt"):
            names.add(template.name.removeprefix("mail/").removesuffix(".txt"))

    template_rendered.connect(_record, app)
    yield names
    template_rendered.disconnect(_record, app)


def _accounts(client, make):
    signup = {"full_name": "Eve Dupont", "email": "eve@example.org",
              "password": "une phrase de passe assez longue", "password_confirm":
              "une phrase de passe assez longue", "locale": "fr", "terms": "y"}
    client.post("/compte/inscription", data=signup, headers=POISON)
    client.post("/compte/inscription", data=signup, headers=POISON)  # account_exists
    client.post("/compte/renvoyer-confirmation", data={"email": "eve@example.org"},
                headers=POISON)
    make.user("known@example.org")
    client.post("/compte/mot-de-passe-oublie", data={"email": "known@example.org"},
                headers=POISON)


def _signature_journey(client, login, make):
    moderator = make.user("moderatrice@fondation.example.org", role=Role.MODERATOR)
    moderator.moderation_alerts = ModerationAlerts.IMMEDIATE
    db.session.commit()
    owner = make.user("maire@mairie.example.org")
    version = make.version(number=1)
    first, second, third = (make.organisation(owner=owner) for _ in range(3))
    make.user("adjoint@mairie.example.org")  # opens the invitation logged in, below
    login(owner)
    client.post(f"/espace/organisations/{first.id}/membres/inviter",
                data={"email": "adjoint@mairie.example.org", "role": "member"}, headers=PROXIED)
    for organisation in (first, second, third):  # the third waits for the daily digest
        client.post(f"/espace/organisations/{organisation.id}/signer",
                    data=form_data(version), headers=PROXIED)
    _prepared_and_declined(client, make.organisation(owner=owner), version)
    signatures = db.session.scalars(select(Signature).where(
        Signature.status == SignatureStatus.PENDING).order_by(Signature.id)).all()
    assert len(signatures) == 3
    login(moderator)
    _decide(client, signatures[0], "demander-des-modifications",
            message="Précisez la fonction.")
    _decide(client, signatures[1], "approuver", confirm="1")
    db.session.refresh(signatures[1])
    assert signatures[1].status is SignatureStatus.APPROVED
    _paper_signature(client, make.organisation(), version)
    login(owner)
    _handed_over(client, signatures[1])
    return version


def _handed_over(client, signature):
    """The owner names a successor, who declines; then another, who confirms (moderators
    with immediate alerts are told)."""
    for name, email in (("Paul Lefèvre", "paul@mairie.example.org"),
                        ("Inès Moreau", "ines@mairie.example.org")):
        db.session.refresh(signature)
        client.post(f"/espace/organisations/{signature.organisation_id}/signatures/"
                    f"{signature.id}/passation", headers=PROXIED, data={
                        "signatory_name": name, "signatory_function": "Maire",
                        "signatory_email": email, "lock_version": str(signature.lock_version)})
        db.session.refresh(signature)
        assert signature.successor_email == email
        step = handover.decline if email.startswith("paul") else handover.confirm
        step(signature, signature.lock_version)
        db.session.commit()


def _paper_signature(client, organisation, version):
    """Recorded by the moderator from paper: its future owner is invited."""
    writer, proof = PdfWriter(), BytesIO()
    writer.add_blank_page(width=200, height=200)
    writer.write(proof)
    proof.seek(0)
    client.post("/moderation/signatures/hors-ligne", headers=PROXIED,
                content_type="multipart/form-data", data={
                    "organisation": str(organisation.id), "version": str(version.id),
                    "channel": "letter", "signed_on": local_date(utcnow()).isoformat(),
                    "signatory_name": "Jeanne Martin", "signatory_function": "Maire",
                    "proof": (proof, "courrier.pdf"),
                    "owner_emails": "secretariat@papier.example.org"})
    assert db.session.scalar(select(Signature).where(
        Signature.organisation_id == organisation.id)) is not None


def _prepared_and_declined(client, organisation, version):
    """A representative is sent a link (the GET below must not use it), declines another."""
    representative = {"signatory_name": "Karim Benali", "signatory_function": "Président",
                      "signatory_email": "karim@asso.example.org"}
    client.post(f"/espace/organisations/{organisation.id}/signer/preparer",
                data=representative, headers=PROXIED)
    declined = db.session.scalars(select(Signature).order_by(Signature.id.desc())).first()
    representative_services.decline(declined, declined.lock_version)
    db.session.commit()
    client.post(f"/espace/organisations/{organisation.id}/signer/preparer",
                data=representative, headers=PROXIED)


def _decide(client, signature, decision, **fields):
    db.session.refresh(signature)
    data = {f"{decision}-lock_version": str(signature.lock_version)}
    data.update({f"{decision}-{name}": value for name, value in fields.items()})
    client.post(f"/moderation/signatures/{signature.id}/{decision}", data=data, headers=PROXIED)


def _commitments_and_charter(app, client, login, make, version):
    from charter_service.organisations.models import OrganisationKind
    from tests.commitments.helpers import Signatories, add_commitment

    signatories = Signatories(make, version)
    alpha = signatories.new(name="Alpha Coopérative", kind=OrganisationKind.ENTREPRISE,
                            decided_at=datetime(2024, 1, 10, 12, tzinfo=UTC))
    beta = signatories.new(name="Béta Solidaire")
    commitment = add_commitment(alpha)
    login(alpha.owner)
    client.post(f"{alpha.base}/{commitment.id}/partenaires",
                data={"organisation_id": str(beta.id)}, headers=PROXIED)
    runner = app.test_cli_runner()
    assert runner.invoke(args=["reminders", "send", "--today", "2024-12-11"]).exit_code == 0
    assert runner.invoke(args=["reminders", "send", "--today", "2025-02-09"]).exit_code == 0
    _annual_report_with_partner(client, alpha, beta, commitment)
    daily = make.user("quotidien@fondation.example.org", role=Role.MODERATOR)
    daily.moderation_alerts = ModerationAlerts.DAILY
    db.session.commit()
    assert runner.invoke(args=["moderation", "digest"]).exit_code == 0
    make.version(number=2, status=VersionStatus.DRAFT)
    login(make.user("admin@example.org", role=Role.ADMIN))
    client.post("/admin/charte/v/2/publier", headers=PROXIED)


def _annual_report_with_partner(client, alpha, beta, commitment):
    """beta confirms the partnership; alpha's annual report asks it to confirm its section."""
    from charter_service.commitments import partners
    from charter_service.commitments.annual.models import ReportSection

    partners.decide(commitment.partners[0], True, beta.owner)
    db.session.commit()
    base = f"/espace/organisations/{alpha.id}/bilan/{local_date(utcnow()).year}"
    client.post(f"{base}/ouvrir", headers=PROXIED)
    section = db.session.scalars(select(ReportSection)).one()
    client.post(f"{base}/sections/{section.id}", headers=PROXIED, data={
        f"s{section.id}-revision": "0", f"s{section.id}-text": "Fait ensemble.",
        f"s{section.id}-status_change": ""})
    assert client.post(f"{base}/deposer", data={"confirm": "y"},
                       headers=PROXIED).status_code == 302


def test_every_link_in_every_mail_comes_from_public_base_url_and_a_get_changes_nothing(
        app, client, login, make, rendered):
    _accounts(client, make)
    version = _signature_journey(client, login, make)
    _commitments_and_charter(app, client, login, make, version)

    bodies = db.session.scalars(select(OutboxMessage.body_text)).all()
    _links_are_ours(bodies, rendered)
    _opening_links_changes_nothing(app, login, make)


def _links_are_ours(bodies, rendered):
    links = [link for body in bodies for link in URL.findall(body)]
    assert links and all(link.startswith(BASE + "/") for link in links), links
    assert not [body for body in bodies if "evil.example" in body]
    assert WITH_LINKS <= rendered, WITH_LINKS - rendered
    on_disk = {path.name.removesuffix(".txt") for path in MAIL_TEMPLATES.glob("*.txt")
               if not path.name.endswith(".subject.txt") and not path.name.startswith("_")}
    assert on_disk == WITH_LINKS | WITHOUT_LINKS, "list the new e-mail template above"


def _snapshot() -> dict[str, list[str]]:
    """Every row of every table, but the sessions' own bookkeeping (opened to log in here)."""
    db.session.expire_all()
    return {table.name: sorted(map(repr, db.session.execute(select(table)).all()))
            for table in db.metadata.sorted_tables if table.name != "login_sessions"}


def _opening_links_changes_nothing(app, login, make):
    """What a mail gateway does: GET every link of every e-mail, as nobody and as the
    recipient; no row changes (the confirmation link, for one, only shows a button)."""
    messages = db.session.execute(select(OutboxMessage.recipient, OutboxMessage.body_text)).all()
    before = _snapshot()
    opened = 0
    for recipient, body in messages:
        account = db.session.scalar(select(User).where(User.email == recipient))
        browsers = [app.test_client()]
        if account is not None and account.is_active:
            browsers.append(login(account, app.test_client()))
        for link in URL.findall(body):
            parts = urlsplit(link)
            for browser in browsers:
                status = browser.get(parts.path, query_string=parts.query).status_code
                assert status in (200, 302, 403, 404, 410), (link, status)
                opened += 1
    assert opened > 30
    assert _snapshot() == before


def test_the_mail_layer_refuses_a_link_to_another_site(app, make):
    with pytest.raises(ForeignLink):
        queue("someone@example.org", "account_reset", name="Eve", hours=2,
              reset_url="https://evil.example/compte/reinitialiser/token")
    with app.test_request_context(headers=POISON):
        queue("someone@example.org", "account_reset", name="Eve", hours=2,
              reset_url=f"{BASE}/compte/reinitialiser/token")



def test_api_links_ignore_the_host_the_request_claims(client, make):
    version = make.version(number=1)
    apply(make.signature(make.organisation(), version), Transition.APPROVE,
          actor=make.user(role=Role.MODERATOR))
    db.session.commit()

    response = client.get("/api/v1/signatories", query_string={"per_page": 1}, headers=POISON)

    assert response.status_code == 200
    assert response.json["items"][0]["url"].startswith(BASE + "/organisations/")
    assert response.headers["Link"].startswith(f"<{BASE}/api/v1/signatories?")
