"""The stored name key and its bigrams follow the name everywhere it is written: the edit form,
a moderator's merge, the migration that back-fills the organisations already there."""

from datetime import UTC, datetime

from flask_migrate import upgrade
from sqlalchemy import MetaData, select

from charter_service.accounts.models import Role
from charter_service.extensions import db
from charter_service.organisations.models import Organisation, OrganisationNameGram
from charter_service.organisations.names import bigrams

# Fixtures: a database of its own, migrated to an old revision.
from ..certificates.test_revocation_migration import empty_database, old_app  # noqa: F401
from .helpers import organisation_form

BEFORE = "c9246086be96"
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _index_of(organisation_id: int) -> tuple[str, list[tuple[str, str, int]]]:
    key = db.session.scalar(select(Organisation.name_key)
                            .where(Organisation.id == organisation_id))
    rows = db.session.execute(
        select(OrganisationNameGram.gram, OrganisationNameGram.departement_code,
               OrganisationNameGram.name_length)
        .where(OrganisationNameGram.organisation_id == organisation_id)).all()
    return key, sorted(tuple(row) for row in rows)


def _expected(key: str, departement: str) -> tuple[str, list[tuple[str, str, int]]]:
    return key, sorted((gram, departement, len(key)) for gram in bigrams(key))


def test_an_edit_re_keys_the_name_and_moves_its_bigrams(client, login, make):
    owner = make.user("responsable@example.org")
    organisation = make.organisation(owner=owner, name="Mairie de Lyon", siren="732829320")
    assert _index_of(organisation.id) == _expected("lyon", "69")
    login(owner)
    client.post(f"/espace/organisations/{organisation.id}/modifier", data=organisation_form(
        name="Théâtre de la Croix-Rousse", kind="collectivite", identifier="732 829 320",
        rna="", postcode="13001", commune="Marseille", departement="13"))
    db.session.expire_all()
    assert _index_of(organisation.id) == _expected("theatre croix rousse", "13")


def test_a_merge_keeps_the_kept_name_and_drops_the_removed_one(client, login, make):
    kept = make.organisation(name="Jardins partagés de Lyon")
    removed = make.organisation(name="Les Jardins Partages de Lyon !")
    removed_id = removed.id
    login(make.user("moderatrice@example.org", role=Role.MODERATOR))
    response = client.post(f"/moderation/organisations/fusion?a={kept.id}&b={removed.id}",
                           data={"keep": str(kept.id)})
    assert response.status_code == 302
    db.session.expire_all()
    assert _index_of(kept.id) == _expected("jardins partages lyon", "69")
    assert db.session.scalars(select(OrganisationNameGram).where(
        OrganisationNameGram.organisation_id == removed_id)).all() == []


NAMES = {1: ("Association Les Amis de Gap", "05"), 2: ("SARL Menuiserie Faure", "69"),
         3: ("Ville de Y", "69"), 4: ("Straße Müller & Fils", "67")}


def test_the_migration_back_fills_keys_and_bigrams(old_app):  # noqa: F811
    upgrade(revision=BEFORE)
    with db.engine.begin() as connection:
        tables = MetaData()
        tables.reflect(bind=connection)
        connection.execute(tables.tables["organisations"].insert(), [{
            "id": n, "name": name, "slug": f"organisation-{n}", "kind": "association",
            "address": "", "postcode": "", "commune": "", "departement_code": departement,
            "region_code": "84", "website": "", "description": "", "created_at": T0,
            "updated_at": T0} for n, (name, departement) in NAMES.items()])
    upgrade()
    expected = {1: "amis gap", 2: "menuiserie faure", 3: "y", 4: "strasse muller fils"}
    for n, key in expected.items():
        assert _index_of(n) == _expected(key, NAMES[n][1])
