"""Every route of the URL map, tried by every role: the matrix below is the access policy.

A route that is added without an entry here fails `test_every_route_is_in_the_matrix`.
"""

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from flask import url_for
from werkzeug.routing import IntegerConverter

from charter_service import jobs
from charter_service.accounts.models import Role
from charter_service.certificates.models import Certificate
from charter_service.certificates.report_documents import issue_report_document
from charter_service.charters.models import VersionStatus
from charter_service.commitments import partners, progress
from charter_service.commitments import services as commitments
from charter_service.commitments.annual import services as annual
from charter_service.commitments.annual.models import (
    AnnualReport,
    AnnualReportStatus,
    ReportMode,
    ReportSection,
)
from charter_service.commitments.models import Category, Scale, Visibility
from charter_service.commitments.services import CommitmentData
from charter_service.db_types import utcnow
from charter_service.extensions import db
from charter_service.organisations.models import Membership
from charter_service.signatures.models import SignatureStatus
from charter_service.signatures.workflow import Transition, apply
from tests.certificates.report_data import report_data

ROLES = ("visitor", "member_b", "member_a", "moderator", "admin", "owner_a")

# Who may use a route; anybody else gets the answer in brackets.
PUBLIC = {r: "ok" for r in ROLES}
LOGGED_IN = {**PUBLIC, "visitor": "login"}
MEMBER_A = {"visitor": "login", "member_b": "404", "member_a": "ok", "moderator": "404",
            "admin": "404", "owner_a": "ok"}
OWNER_A = {**MEMBER_A, "member_a": "403"}
MODERATOR = {"visitor": "login", "member_b": "403", "member_a": "403", "moderator": "ok",
             "admin": "ok", "owner_a": "403"}
ADMIN = {**MODERATOR, "moderator": "403"}
# The world's progress update was written by owner_a: only its author may correct it.
AUTHOR_A = {**MEMBER_A, "member_a": "403"}

MATRIX = {
    "static": PUBLIC, "public.home": PUBLIC, "charters.current": PUBLIC,
    "charters.version": PUBLIC, "transparency.transparency": PUBLIC,
    "signatories.page": PUBLIC, "signatories.logo": PUBLIC,
    "certificates.verify": PUBLIC, "certificates.status": PUBLIC,
    "certificates.public_copy": PUBLIC,
    "api-docs.openapi_json": PUBLIC, "api_charter.current": PUBLIC,
    "api_certificates.certificate": PUBLIC, "api_commitments.list_commitments": PUBLIC,
    "register.index": PUBLIC, "register.statistics": PUBLIC, "register.campaign": PUBLIC,
    "register.open_data": PUBLIC, "register.table_schema": PUBLIC,
    "register.changes_feed": PUBLIC,
    "api_signatories.list_signatories": PUBLIC, "api_signatories.signatory": PUBLIC,
    "register.export_csv": PUBLIC, "register.export_json": PUBLIC,
    "register.export_pdf": PUBLIC,
    "directory.index": PUBLIC, "directory.export_csv": PUBLIC, "directory.export_json": PUBLIC,
    "directory.table_schema": PUBLIC,
    # An export's page and file are public to whoever holds its unguessable token (see
    # tests/register/test_export_jobs.py); a made-up token is unknown to everybody.
    "register.export_job": {role: "404" for role in ROLES},
    "register.export_file": {role: "404" for role in ROLES},
    "accounts.signup": PUBLIC, "accounts.login": PUBLIC, "accounts.confirm": PUBLIC,
    "accounts.resend_confirmation": PUBLIC, "accounts.forgot_password": PUBLIC,
    "accounts.reset_password": PUBLIC,
    "accounts.logout": PUBLIC, "accounts.settings": LOGGED_IN,
    "accounts.export": LOGGED_IN, "accounts.delete": LOGGED_IN,
    "legal.notice": PUBLIC, "legal.privacy": PUBLIC, "legal.accessibility": PUBLIC,
    "organisations.space": LOGGED_IN, "organisations.create": LOGGED_IN,
    # The token is checked first (a bad one gets 400 for everybody), then the log-in.
    "organisations.accept_invitation": PUBLIC,
    "organisations.detail": MEMBER_A, "organisations.members": MEMBER_A,
    "organisations.edit": OWNER_A, "organisations.invite": OWNER_A,
    "organisations.change_role": OWNER_A, "organisations.remove_member": OWNER_A,
    "organisations.remove_logo": OWNER_A,
    "signatures.sign": OWNER_A, "signatures.resubmit": OWNER_A, "signatures.withdraw": OWNER_A,
    "signatures.prepare": OWNER_A, "signatures.resend_link": OWNER_A,
    "signatures.change_representative": OWNER_A,
    # The representative's page: the signed link is the credential (a made-up one gets 400
    # for everybody); no log-in, and being logged in as someone else does not help.
    "representative.page": PUBLIC, "representative.confirm": PUBLIC,
    "representative.decline": PUBLIC,
    "signatures.hand_over": OWNER_A, "signatures.resend_handover": OWNER_A,
    "signatures.cancel_handover": OWNER_A,
    # The successor's page: the same kind of link as the representative's.
    "handover.page": PUBLIC, "handover.confirm": PUBLIC, "handover.decline": PUBLIC,
    "moderation.contest_handover": MODERATOR,
    "signatures.deliberation": MEMBER_A, "certificates.member_download": MEMBER_A,
    "certificates.member_report_download": MEMBER_A,
    "commitments.index": MEMBER_A, "commitments.create": MEMBER_A,
    "commitments.detail": MEMBER_A, "commitments.edit": MEMBER_A,
    "commitments.partners": MEMBER_A, "commitments.add_outside_partner": MEMBER_A,
    "commitments.remove_partner": MEMBER_A, "commitments.progress": MEMBER_A,
    "commitments.confirm_update": MEMBER_A,
    "commitments.amend_update": AUTHOR_A, "commitments.delete_update": AUTHOR_A,
    "commitments.confirm_partnership": OWNER_A, "commitments.decline_partnership": OWNER_A,
    "commitments.annual_current": MEMBER_A, "commitments.annual_report": MEMBER_A,
    "commitments.annual_open": MEMBER_A, "commitments.annual_save_section": MEMBER_A,
    "commitments.annual_upload": MEMBER_A, "commitments.annual_document": MEMBER_A,
    "commitments.annual_back_to_form": MEMBER_A, "commitments.annual_evidence": MEMBER_A,
    "commitments.annual_preview": MEMBER_A, "commitments.annual_submit": MEMBER_A,
    # The partner's page of another organisation's report; `organisation_id` is the partner's.
    "commitments.partner_report": MEMBER_A, "commitments.partner_confirm_section": MEMBER_A,
    "commitments.moderation_reports": MODERATOR, "commitments.moderation_report": MODERATOR,
    "commitments.moderation_report_document": MODERATOR,
    "commitments.moderation_report_evidence": MODERATOR,
    "moderation.queue": MODERATOR, "moderation.signature": MODERATOR,
    "moderation.decide": MODERATOR, "moderation.deliberation": MODERATOR,
    "moderation.journal": MODERATOR, "moderation.integrity": MODERATOR,
    "moderation.merge_organisations": MODERATOR, "moderation.preferences": MODERATOR,
    "moderation.record_paper": MODERATOR,
    "moderation.missing_reports": MODERATOR,
    "moderation.suspend_for_missing_report_view": MODERATOR,
    "moderation.accounts": MODERATOR, "moderation.account": MODERATOR,
    "moderation.export_account": MODERATOR, "moderation.erase_account": MODERATOR,
    "certificates.moderation_download": MODERATOR,
    "certificates.moderation_report_download": MODERATOR,
    "commitments.moderation_index": MODERATOR, "commitments.moderation_detail": MODERATOR,
    "commitments.hide_commitment": MODERATOR, "commitments.unhide_commitment": MODERATOR,
    "commitments.hide_update": MODERATOR, "commitments.unhide_update": MODERATOR,
    "admin.index": ADMIN, "admin.roles": ADMIN, "admin.change_role": ADMIN,
    "admin.versions": ADMIN, "admin.new_version": ADMIN, "admin.copy_version": ADMIN,
    "admin.upload_version": ADMIN, "admin.edit_version": ADMIN, "admin.add_principle": ADMIN,
    "admin.edit_principle": ADMIN, "admin.remove_principle": ADMIN, "admin.publish": ADMIN,
    "admin.archive": ADMIN, "admin.diff": ADMIN,
}


def test_every_route_is_in_the_matrix(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints - MATRIX.keys() == set(), "routes without an access rule"
    assert MATRIX.keys() - endpoints == set(), "rules for routes that no longer exist"


@dataclass
class World:
    sessions: dict  # role -> the id of a log-in session of that role's user
    values: dict


@pytest.fixture
def app_config(signing_pair_config):
    return signing_pair_config


@pytest.fixture
def world(reusable_world, make, small_logo):
    """world() → the World as built: built once per worker, and again after a request that
    changed it (a success of a POST: removing the member, the logo, a principle...)."""
    return lambda: reusable_world(lambda app: _build_world(make, small_logo))


def _build_world(make, small_logo) -> World:
    """Organisation A (owner + member) approved with an attestation, a commitment with progress
    and an outside partner; organisation B inviting A to its commitment; a draft version 2."""
    users = {"owner_a": make.user(), "member_a": make.user(), "member_b": make.user(),
             "moderator": make.user(role=Role.MODERATOR), "admin": make.user(role=Role.ADMIN)}
    version = make.version(principles=3)
    draft = make.version(status=VersionStatus.DRAFT, principles=2)
    org_a = make.organisation(owner=users["owner_a"], members=[users["member_a"]],
                              siren="732829320")
    org_a.logo, org_a.logo_mime = small_logo, "image/png"
    org_b = make.organisation(owner=users["member_b"], siren="552100554")
    signature = make.signature(org_a, version)
    signature.deliberation_pdf, signature.deliberation_filename = b"%PDF-1.4\n%%EOF", "d.pdf"
    apply(signature, Transition.APPROVE, actor=users["moderator"])
    make.signature(org_b, version, status=SignatureStatus.APPROVED,
                   decided_by=users["moderator"])
    commitment = _commitment(org_a, version, users["owner_a"])
    outside = partners.add_outside_partner(commitment, "Lycée agricole", users["owner_a"])
    update = progress.add_progress(commitment, progress.ProgressData(
        reported_on=date(2026, 1, 10), text="Premier bilan"), users["owner_a"])
    commitment_b = _commitment(org_b, version, users["member_b"])
    partners.invite_partner(commitment_b, org_a.id, users["member_b"])
    joint = _commitment(org_b, version, users["member_b"])
    partners.decide(partners.invite_partner(joint, org_a.id, users["member_b"]), True,
                    users["owner_a"])
    joint_update = progress.add_progress(joint, progress.ProgressData(
        reported_on=date(2026, 2, 1), text="Bilan commun"), users["member_b"])
    # The attestation's job (a thread in tests/test_no_commit_in_get.py) appends to the audit
    # log: let it finish before the reports' submission appends too, from a fresh transaction.
    db.session.commit()
    jobs.wait_for_threads()
    reports = _annual_reports(org_a, org_b, commitment, joint, users)
    report = issue_report_document(org_a, period=2026, data=report_data(org_a.name),
                                   actor=users["owner_a"])
    db.session.commit()
    certificate = db.session.scalars(db.select(Certificate).where(
        Certificate.signature_id == signature.id)).one()
    member_a = db.session.scalars(db.select(Membership).where(
        Membership.user_id == users["member_a"].id)).one()
    values = {
        "organisation_id": org_a.id, "slug": org_a.slug, "signature_id": signature.id,
        "number": certificate.number, "commitment_id": commitment.id, "update_id": update.id,
        "partner_id": outside.id, "membership_id": member_a.id, "user_id": users["member_a"].id,
        "principle_id": draft.principles[0].id, "decision": "suspendre", "token": "jeton",
        "filename": "app.css", "report_number": report.number,
    }
    sessions = {role: make.login_session(user) for role, user in users.items()}
    return World(sessions, values | {"_draft": draft.number, "_version": version.number,
                                  "_commitment_b": commitment_b.id, "_joint": joint.id,
                                  "_joint_update": joint_update.id, "_org_b": org_b.id,
                                  **reports})


def _annual_reports(org_a, org_b, commitment, joint, users) -> dict:
    """A's draft for this year (a section with a PDF proof) and its report of last year,
    submitted with a document; B's report, submitted, with a section on the joint
    commitment that A, its partner, confirms."""
    pdf = b"%PDF-1.4\n%%EOF"
    year = paris_today().year
    draft = AnnualReport(organisation_id=org_a.id, period=year,
                         document_pdf=pdf, document_filename="r.pdf", document_sha256="0" * 64)
    draft.sections.append(ReportSection(commitment=commitment, evidence_pdf=pdf,
                                        evidence_filename="p.pdf", evidence_sha256="0" * 64))
    last_year = AnnualReport(organisation_id=org_a.id, period=year - 1, mode=ReportMode.UPLOAD,
                             status=AnnualReportStatus.SUBMITTED, submitted_at=utcnow(),
                             document_pdf=pdf, document_filename="r.pdf",
                             document_sha256="0" * 64)
    last_year.sections.append(ReportSection(commitment=commitment, evidence_pdf=pdf,
                                            evidence_filename="p.pdf",
                                            evidence_sha256="0" * 64))
    db.session.add_all([draft, last_year])
    report_b = annual.open_report(org_b, year, users["member_b"])
    db.session.flush()
    joint_section = next(s for s in report_b.sections if s.commitment_id == joint.id)
    annual.save_section(joint_section, annual.SectionData(revision=0, text="Fait ensemble"),
                        users["member_b"])
    annual.submit(report_b, users["member_b"])
    db.session.flush()
    return {"period": year, "section_id": draft.sections[0].id, "report_id": report_b.id,
            "_last_year": year - 1, "_last_year_section": last_year.sections[0].id,
            "_joint_section": joint_section.id}


def paris_today():
    return datetime.now(ZoneInfo("Europe/Paris")).date()


def _commitment(organisation, version, user):
    data = CommitmentData(title="Achats locaux", description="Acheter local.",
                          category=Category.PRATIQUES_RESPONSABLES,
                          principle_ids=[version.principles[0].id], scale=Scale.LOCAL,
                          start_on=date(2025, 1, 1), visibility=Visibility.PUBLIC, sdgs=[8])
    return commitments.create_commitment(organisation, data, user)


@pytest.fixture
def small_logo():
    from io import BytesIO

    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (4, 4), "navy").save(buffer, "PNG")
    return buffer.getvalue()


def _url(app, rule, world: World) -> str:
    values = dict(world.values)
    if rule.endpoint.startswith("admin.") or rule.endpoint == "charters.version":
        values["number"] = world.values["_draft" if rule.endpoint.startswith("admin.")
                                        else "_version"]
    if rule.endpoint in ("commitments.confirm_partnership", "commitments.decline_partnership"):
        values["commitment_id"] = world.values["_commitment_b"]
    if rule.endpoint == "commitments.confirm_update":
        values["commitment_id"], values["update_id"] = (world.values["_joint"],
                                                        world.values["_joint_update"])
    if rule.endpoint == "commitments.partner_confirm_section":
        values["section_id"] = world.values["_joint_section"]
    if rule.endpoint.startswith("commitments.moderation_report"):
        values["period"] = world.values["_last_year"]
        values["section_id"] = world.values["_last_year_section"]
    arguments = {name: values[name] for name in rule.arguments}
    if rule.endpoint == "moderation.merge_organisations":
        arguments |= {"a": values["organisation_id"], "b": values["_org_b"]}
    with app.test_request_context():
        return url_for(rule.endpoint, **arguments)


def client_as(app, world: World, role: str):
    """A test client logged in as `role` with the world's session of that role's user."""
    client = app.test_client()
    if role != "visitor":
        with client.session_transaction() as session:
            session["_user_id"], session["_fresh"] = world.sessions[role], True
    return client


def _outcome(response) -> str:
    if response.status_code in (302, 303) and "/compte/connexion" in response.location:
        return "login"
    if response.status_code in (403, 404):
        return str(response.status_code)
    assert response.status_code < 500, response.status_code
    return "ok"


@pytest.mark.parametrize("endpoint", sorted(MATRIX))
def test_each_role_gets_what_the_matrix_says(app, world, endpoint):
    rules = [rule for rule in app.url_map.iter_rules() if rule.endpoint == endpoint]
    if not rules:
        pytest.fail(f"{endpoint} is in the matrix but not in the URL map")
    failures = []
    # A GET changes nothing (tests/test_no_commit_in_get.py); after a POST, the world is
    # checked, and built again if the POST changed it.
    current, wrote = world(), False
    for rule in rules:
        for method in sorted(rule.methods & {"GET", "POST"}):
            for role in ROLES:
                if wrote:
                    current = world()
                wrote = method == "POST"
                url = _url(app, rule, current)
                client = client_as(app, current, role)
                response = client.open(url, method=method, data={})
                response.close()
                got, expected = _outcome(response), MATRIX[endpoint][role]
                if got != expected:
                    failures.append(f"{method} {url} as {role}: {got}, expected {expected}")
    assert not failures, "\n".join(failures)


def test_int_ids_are_bounded(app):
    for rule in app.url_map.iter_rules():
        for converter in rule._converters.values():
            if isinstance(converter, IntegerConverter):
                assert converter.max == 2**31 - 1, rule.rule
