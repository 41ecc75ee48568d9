import json
import re
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from stdnum.fr import siren as siren_number
from stdnum.fr import siret as siret_number

from charter_service.accounts.models import Role, User
from charter_service.audit.models import AuditEntry
from charter_service.charters.models import CharterVersion, VersionStatus
from charter_service.charters.services import current_version
from charter_service.db_types import utcnow
from charter_service.demo.loader import DEMO_PASSWORD
from charter_service.extensions import db
from charter_service.organisations.identifiers import parse_rna
from charter_service.organisations.models import (
    MemberRole,
    Membership,
    Organisation,
    OrganisationKind,
)
from charter_service.signatures.models import Signature, SignatureStatus

GEO_FILE = Path(__file__).resolve().parents[2] / "charter_service" / "data" / "insee_geo.json"
COUNTED = (User, Organisation, Membership, Signature, CharterVersion, AuditEntry)


def demo_load(app, *args):
    result = app.test_cli_runner().invoke(args=["demo", "load", *args])
    assert result.exit_code == 0, result.output
    return result.output


def counts() -> dict[str, int]:
    return {model.__name__: db.session.scalar(select(func.count()).select_from(model))
            for model in COUNTED}


@pytest.fixture
def organisations(read_only_world):
    """The demo, loaded once for the tests of this module that only read it."""
    read_only_world(demo_load)
    return list(db.session.scalars(select(Organisation)))


def test_loading_twice_creates_nothing_new(app):
    first = demo_load(app)
    after_first = counts()
    second = demo_load(app)

    assert counts() == after_first
    assert after_first["Organisation"] >= 30
    assert "Créés : 0 organisations, 0 comptes, 0 signatures." in second
    for output in (first, second):
        assert DEMO_PASSWORD in output
        assert "moderateur@demo.example.org" in output
        assert "admin@demo.example.org" in output


def test_if_empty_loads_an_empty_database(app):
    demo_load(app, "--if-empty")
    assert counts()["Organisation"] >= 30


def test_if_empty_does_nothing_once_an_organisation_exists(app, make):
    make.organisation(owner=make.user())
    before = counts()

    output = demo_load(app, "--if-empty")

    assert counts() == before
    assert "non chargées" in output


def test_the_demo_charter_is_published_and_signed(app, organisations):
    version = current_version()
    assert version is not None and version.is_demonstration
    assert version.status == VersionStatus.PUBLISHED
    assert len(version.principles) > 0
    for signature in db.session.scalars(select(Signature)):
        assert signature.charter_version_id == version.id
        assert signature.version_sha256 == version.sha256()


def test_an_existing_published_version_is_signed_instead_of_importing(app, make):
    version = make.version()

    demo_load(app)

    assert db.session.scalar(select(func.count()).select_from(CharterVersion)) == 1
    assert set(db.session.scalars(select(Signature.charter_version_id))) == {version.id}


def test_without_a_published_version_nothing_is_loaded(app, make):
    make.version(status=VersionStatus.DRAFT)

    result = app.test_cli_runner().invoke(args=["demo", "load"])

    assert result.exit_code == 1
    assert "Aucune version de la charte n’est publiée" in result.output
    assert counts()["Organisation"] == 0 and counts()["User"] == 0


def test_every_signature_status_and_every_kind_is_present(organisations):
    statuses = set(db.session.scalars(select(Signature.status)))
    assert statuses == set(SignatureStatus)
    assert {o.kind for o in organisations} == set(OrganisationKind)


def test_signatories_span_at_least_eight_regions(organisations):
    assert len({o.region_code for o in organisations}) >= 8
    approved_regions = db.session.scalar(
        select(func.count(func.distinct(Organisation.region_code)))
        .join(Signature, Signature.organisation_id == Organisation.id)
        .where(Signature.status == SignatureStatus.APPROVED))
    assert approved_regions >= 8


def test_legal_identifiers_are_valid_and_unique(organisations):
    sirens = [o.siren for o in organisations if o.siren]
    rnas = [o.rna for o in organisations if o.rna]
    assert all(siren_number.is_valid(s) for s in sirens), sirens
    assert len(set(sirens)) == len(sirens)
    assert all(re.fullmatch(r"W\d{9}", r) and parse_rna(r) == r for r in rnas), rnas
    assert len(set(rnas)) == len(rnas)
    for organisation in organisations:
        assert organisation.siren or organisation.rna, organisation.slug
        if organisation.siret:
            assert siret_number.is_valid(organisation.siret)
            assert organisation.siret.startswith(organisation.siren)
        if organisation.kind == OrganisationKind.ASSOCIATION:
            assert organisation.rna, organisation.slug


def test_places_are_coherent_with_insee_codes(organisations):
    geo = json.loads(GEO_FILE.read_text(encoding="utf-8"))
    region_of = {d["code"]: d["region"] for d in geo["departements"]}
    for o in organisations:
        assert region_of[o.departement_code] == o.region_code, o.slug
        postcode_prefix = "20" if o.departement_code in ("2A", "2B") else o.departement_code
        assert re.fullmatch(r"\d{5}", o.postcode) and o.postcode.startswith(postcode_prefix), o.slug
        assert o.commune and o.address and o.description
        assert re.fullmatch(r"https://[a-z0-9-]+\.example\.org", o.website), o.website


def test_signature_dates_and_reasons_tell_a_plausible_story(organisations):
    now = utcnow()
    for s in db.session.scalars(select(Signature)):
        assert now - timedelta(days=549) < s.signed_at < now
        assert s.signatory_name and s.signatory_function and "@" in s.signatory_email
        if s.status in (SignatureStatus.PENDING, SignatureStatus.AWAITING_REPRESENTATIVE):
            assert s.decided_at is None and s.decided_by is None
        else:
            assert s.signed_at < s.decided_at <= now
            # A representative who declines has no account: no one « decided ».
            assert (s.decided_by is None) == (s.status == SignatureStatus.DECLINED)
        if s.status in (SignatureStatus.REJECTED, SignatureStatus.CHANGES_REQUESTED,
                        SignatureStatus.SUSPENDED, SignatureStatus.WITHDRAWN):
            assert len(s.reason) > 20, s.status
    spread = db.session.execute(select(func.min(Signature.signed_at),
                                       func.max(Signature.signed_at))).one()
    assert spread[1] - spread[0] > timedelta(days=365)


def test_each_organisation_has_one_owner_and_some_have_a_second_member(organisations):
    for organisation in organisations:
        owners = [m for m in organisation.memberships if m.role == MemberRole.OWNER]
        assert len(owners) == 1, organisation.slug
    assert any(len(o.memberships) > 1 for o in organisations)


def test_staff_and_members_can_log_in_with_the_printed_password(app, client):
    demo_load(app)  # logging in writes: not on the read-only world
    organisations = list(db.session.scalars(select(Organisation)))
    users = list(db.session.scalars(select(User)))
    assert all(u.confirmed_at is not None for u in users)
    roles = {u.email: u.role for u in users}
    assert roles["moderateur@demo.example.org"] == Role.MODERATOR
    assert roles["admin@demo.example.org"] == Role.ADMIN
    assert len({u.password_hash for u in users}) == 1

    for email, landing in (("admin@demo.example.org", "/moderation/"),
                           (organisations[0].memberships[0].user.email, "/espace/")):
        response = client.post("/compte/connexion",
                               data={"email": email, "password": DEMO_PASSWORD})
        assert response.status_code == 302, email
        assert response.headers["Location"].endswith(landing)
        client.post("/compte/deconnexion")
