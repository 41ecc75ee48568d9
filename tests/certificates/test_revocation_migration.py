"""Revocations written before the public wording existed: after the upgrade, the free text a
moderator or an organisation wrote is private, and each attestation shows the neutral wording of
the transition that revoked it."""

import html
import json
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest
from flask_migrate import upgrade
from sqlalchemy import MetaData, create_engine, make_url, select, text

from charter_service import create_app
from charter_service.certificates.models import Certificate
from charter_service.extensions import db

from ..conftest import _base_config, _signing_dir

BEFORE = "c8f4b2d0e3a5"
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
ALLEGATION = "La présidente est soupçonnée de fraude (plainte déposée)"
ORGANISATION_TEXT = "Désaccord avec le nouveau bureau de la Fondation"
SECOND_SUSPENSION = "Rapport d’un tiers non vérifié sur le chantier de Vénissieux"
OLD_DEFAULT = "Signature suspendue par la commission de modération."

# certificate id → (signature id, status, free text stored in revocation_reason)
CERTIFICATES = {
    1: (1, "revoked", ALLEGATION),            # suspended by a moderator
    2: (2, "revoked", ORGANISATION_TEXT),     # withdrawn by its organisation
    3: (3, "revoked", SECOND_SUSPENSION),     # suspended, then reinstated ...
    4: (3, "revoked", ""),                    # ... and the new one withdrawn
    5: (4, "revoked", OLD_DEFAULT),           # no transition in the log (demo data)
    6: (5, "valid", ""),
}
SIGNATURES = {1: "suspended", 2: "withdrawn", 3: "withdrawn", 4: "suspended", 5: "approved"}
# seq → (action, object id): each revocation follows the transition that caused it.
AUDIT = {1: ("signature.suspend", 1), 2: ("certificate.revoke", 1),
         3: ("signature.withdraw", 2), 4: ("certificate.revoke", 2),
         5: ("signature.suspend", 3), 6: ("certificate.revoke", 3),
         7: ("signature.reinstate", 3), 8: ("certificate.issue", 4),
         9: ("signature.withdraw", 3), 10: ("certificate.revoke", 4),
         11: ("certificate.revoke", 5)}
WORDINGS = {"suspended": "Signature suspendue par la Fondation des Territoires le",
            "withdrawn_at_request": "Signature retirée à la demande de l’organisation le"}
EXPECTED = {1: ("suspended", ALLEGATION), 2: ("withdrawn_at_request", ORGANISATION_TEXT),
            3: ("suspended", SECOND_SUSPENSION), 4: ("withdrawn_at_request", ""),
            5: ("suspended", OLD_DEFAULT), 6: (None, "")}


@pytest.fixture
def empty_database(database_url, tmp_path):
    """A database of its own, on the engine under test, for migrating from an old revision."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        yield f"sqlite:///{tmp_path / 'before.sqlite3'}"
        return
    name = f"charter_migration_{uuid4().hex[:8]}"
    server = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield url.set(database=name).render_as_string(hide_password=False)
    with server.connect() as connection:
        connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    server.dispose()


@pytest.fixture
def old_app(empty_database, tmp_path, tmp_path_factory):
    app = create_app(_base_config(empty_database, tmp_path / "outbox")
                     | {"SIGNING_DIR": str(_signing_dir(tmp_path_factory))})
    with app.app_context():
        upgrade(revision=BEFORE)
        yield app
        db.session.remove()
        db.engine.dispose()


def _write_rows_as_before(connection) -> None:
    tables = MetaData()
    tables.reflect(bind=connection)
    assert "revocation_label" not in tables.tables["certificates"].c
    connection.execute(tables.tables["charters"].insert(),
                       [{"id": 1, "slug": "faire-alliance", "title": "Charte"}])
    connection.execute(tables.tables["charter_versions"].insert(), [{
        "id": 1, "charter_id": 1, "number": 1, "status": "published", "title": "Version 1",
        "preamble": "", "is_demonstration": True, "created_at": T0, "published_at": T0}])
    connection.execute(tables.tables["organisations"].insert(), [_organisation(n) for n in
                                                                 SIGNATURES])
    connection.execute(tables.tables["signatures"].insert(), [
        _signature(n, status) for n, status in SIGNATURES.items()])
    connection.execute(tables.tables["certificates"].insert(), [
        _certificate(n, *row) for n, row in CERTIFICATES.items()])
    connection.execute(tables.tables["audit_entries"].insert(), [
        _audit_entry(seq, action, object_id) for seq, (action, object_id) in AUDIT.items()])


def _organisation(n: int) -> dict:
    return {"id": n, "name": f"Organisation {n}", "slug": f"organisation-{n}",
            "kind": "association", "address": "1 rue de la Paix", "postcode": "69001",
            "commune": "Lyon", "departement_code": "69", "region_code": "84", "website": "",
            "description": "", "created_at": T0, "updated_at": T0}


def _signature(n: int, status: str) -> dict:
    return {"id": n, "organisation_id": n, "charter_version_id": 1, "status": status,
            "signatory_name": "Dominique Durand", "signatory_function": "Présidente",
            "signatory_email": "d@example.org", "authority_attested": True,
            "principles_accepted": True, "version_sha256": "0" * 64, "signed_at": T0,
            "decided_at": T0 + timedelta(days=n), "reason": "", "lock_version": 1}


def _certificate(n: int, signature_id: int, status: str, reason: str) -> dict:
    facts = {"name": f"Organisation {signature_id}", "slug": f"organisation-{signature_id}",
             "kind": "Association", "kind_code": "association", "identifier_label": "RNA",
             "identifier": "W691234567", "commune": "Lyon", "departement_code": "69",
             "departement_name": "Rhône"}
    rendered_from = {"organisation": facts, "approved_at": T0.isoformat(),
                     "approved_on": "2 mars 2026", "issued_on": "2 mars 2026",
                     "charter": {"version": 1, "title": "Version 1", "sha256": "0" * 64}}
    return {"id": n, "number": f"CFA-2026-{n:06d}", "signature_id": signature_id, "year": 2026,
            "serial": n, "status": status, "issued_at": T0,
            "revoked_at": T0 + timedelta(days=n) if status == "revoked" else None,
            "revocation_reason": reason, "pdf": b"%PDF-1.7", "sha256": f"{n:064d}",
            "rendered_from": json.dumps(rendered_from), "signed_with_dev_key": True}


def _audit_entry(seq: int, action: str, object_id: int) -> dict:
    return {"id": seq, "seq": seq, "created_at": T0 + timedelta(hours=seq), "action": action,
            "object_type": action.split(".")[0], "object_id": str(object_id), "before": "{}",
            "after": "{}", "reason": "", "actor_digest": "0" * 64, "prev_hash": "0" * 64,
            "entry_hash": f"{seq:064d}"}


def test_the_upgrade_makes_every_stored_reason_private(old_app):
    with db.engine.begin() as connection:
        _write_rows_as_before(connection)
    upgrade()

    stored = {c.id: (c.revocation_label.value if c.revocation_label else None,
                     c.revocation_message) for c in db.session.scalars(select(Certificate))}
    assert stored == EXPECTED
    client = old_app.test_client()
    for n, (_, _, reason) in CERTIFICATES.items():
        number = f"CFA-2026-{n:06d}"
        page = html.unescape(client.get(f"/verifier/{number}").get_data(as_text=True))
        api = client.get(f"/api/v1/certificates/{number}").get_json()
        assert reason == "" or reason not in page + json.dumps(api, ensure_ascii=False), number
        label = EXPECTED[n][0]
        assert api["revocation_label"] == label
        assert label is None or WORDINGS[label] in page
