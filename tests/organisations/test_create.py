"""Creating an organisation: identifiers, address checks, duplicates, slugs."""

import pytest
from sqlalchemy import select

from charter_service.extensions import db
from charter_service.organisations import services
from charter_service.organisations.identifiers import slugify
from charter_service.organisations.models import MemberRole, Organisation

from .helpers import CREATE_URL, only_organisation, organisation_count, organisation_form, text

CONTACT = "moderation@fondation-territoires.example.org"


@pytest.fixture
def owner(make, login):
    user = make.user("fondatrice@example.org")
    login(user)
    return user


@pytest.mark.parametrize("kind,identifier,rna,siren,siret,stored_rna", [
    ("entreprise", "732 829 320", "", "732829320", None, None),
    ("entreprise", "732829320 00074", "", "732829320", "73282932000074", None),
    ("association", "", "w69 123 4567", None, None, "W691234567"),
    ("association", "552 100 554", "W691234567", "552100554", None, "W691234567"),
    ("association", "", "W2A1000123", None, None, "W2A1000123"),
    ("autre", "", "", None, None, None),
])
def test_create_with_each_kind_of_identifier(client, owner, kind, identifier, rna, siren, siret,
                                             stored_rna):
    response = client.post(CREATE_URL, data=organisation_form(
        kind=kind, identifier=identifier, rna=rna))
    organisation = only_organisation()
    assert response.status_code == 302
    assert response.headers["Location"] == f"/espace/organisations/{organisation.id}"
    assert (organisation.siren, organisation.siret, organisation.rna) == (siren, siret,
                                                                         stored_rna)
    assert organisation.kind.value == kind
    assert (organisation.departement_code, organisation.region_code) == ("69", "84")
    assert organisation.role_of(owner) == MemberRole.OWNER
    assert organisation.slug == "les-amis-du-rhone"
    page = text(client.get(response.headers["Location"]))
    assert "Les Amis du Rhône" in page and "Auvergne-Rhône-Alpes" in page


def test_region_is_derived_from_the_departement_not_typed(client, owner):
    client.post(CREATE_URL, data=organisation_form(
        postcode="20000", commune="Ajaccio", departement="2A", region_code="11"))
    assert (only_organisation().departement_code, only_organisation().region_code) == ("2A", "94")


@pytest.mark.parametrize("overrides,message", [
    ({"identifier": "732 829 321", "rna": "", "kind": "entreprise"},
     "Ce numéro SIREN n’est pas valide"),
    ({"identifier": "73282932000075", "rna": "", "kind": "entreprise"},
     "Ce numéro SIRET n’est pas valide"),
    ({"identifier": "7328293", "rna": ""}, "Saisissez 9 chiffres (SIREN) ou 14 chiffres"),
    ({"identifier": "73282932A", "rna": ""}, "ne contient que des chiffres"),
    ({"rna": "W12345"}, "Le numéro RNA commence par la lettre W"),
    ({"rna": "X691234567"}, "Le numéro RNA commence par la lettre W"),
    ({"rna": "", "identifier": "", "kind": "association"},
     "un identifiant est obligatoire, sauf pour le type « Autre »"),
    ({"postcode": "13001"}, "Ce code postal ne correspond pas au département Rhône"),
    ({"postcode": "20000", "departement": "971"},
     "Ce code postal ne correspond pas au département Guadeloupe"),
    ({"postcode": "6900"}, "Le code postal compte 5 chiffres"),
    ({"departement": "20"}, "Département"),
    ({"departement": ""}, "Choisissez le département."),
    ({"kind": "ong"}, "N'est pas un choix valide"),
    ({"name": "   "}, "Indiquez le nom de l’organisation."),
    ({"website": "javascript:alert(1)"}, "commençant par https://"),
    ({"website": "ftp://example.org"}, "commençant par https://"),
    ({"description": "x" * 2001}, "ne doit pas dépasser 2000 caractères"),
])
def test_wrong_fields_get_a_french_message_and_nothing_is_created(client, owner, overrides,
                                                                   message):
    response = client.post(CREATE_URL, data=organisation_form(**overrides))
    assert response.status_code == 200
    page = text(response)
    assert message in page
    assert "Le formulaire contient des erreurs" in page
    assert organisation_count() == 0


def test_form_keeps_what_was_typed_after_an_error(client, owner):
    page = text(client.post(CREATE_URL, data=organisation_form(postcode="13001")))
    assert 'value="Les Amis du Rhône"' in page and 'value="W691234567"' in page
    assert '<option data-region="84" selected value="69">' in page


@pytest.mark.parametrize("overrides", [
    {"identifier": "732 829 320", "rna": ""},
    {"identifier": "73282932000074", "rna": ""},
    {"identifier": "732829320 00082", "rna": ""},
])
def test_a_second_organisation_with_the_same_siren_is_refused(client, owner, make, overrides):
    make.organisation(siren="732829320", name="Première inscrite")
    response = client.post(CREATE_URL, data=organisation_form(kind="entreprise", **overrides))
    page = text(response)
    assert response.status_code == 200
    assert "Une organisation avec ce numéro SIREN est déjà inscrite" in page
    assert CONTACT in page and "responsables de vous inviter" in page
    assert organisation_count() == 1


def test_a_second_organisation_with_the_same_rna_is_refused(client, owner, make):
    make.organisation(rna="W691234567")
    page = text(client.post(CREATE_URL, data=organisation_form(rna="w691234567")))
    assert "Une organisation avec ce numéro RNA est déjà inscrite" in page and CONTACT in page
    assert organisation_count() == 1


@pytest.mark.parametrize("column,overrides,message", [
    ("siren", {"identifier": "73282932000074", "rna": ""}, "numéro SIREN est déjà inscrite"),
    ("rna", {"rna": "W691234567"}, "numéro RNA est déjà inscrite"),
])
def test_the_unique_constraint_refuses_a_duplicate_that_raced_past_the_check(
        client, owner, make, monkeypatch, column, overrides, message):
    make.organisation(**{column: "732829320" if column == "siren" else "W691234567"})
    monkeypatch.setattr(services, "holder_of", lambda *args, **kwargs: None)
    response = client.post(CREATE_URL, data=organisation_form(**overrides))
    page = text(response)
    assert response.status_code == 200 and message in page and CONTACT in page
    assert 'value="Les Amis du Rhône"' in page
    assert organisation_count() == 1
    # The session is usable again: a valid organisation goes through at once.
    response = client.post(CREATE_URL, data=organisation_form(rna="W699999999", identifier=""))
    assert response.status_code == 302 and organisation_count() == 2


@pytest.mark.parametrize("name,slug", [
    ("Café des Sciences — Lyon", "cafe-des-sciences-lyon"),
    ("Œuvre d’Entraide 🤝 Solidaire", "oeuvre-d-entraide-solidaire"),
    ("Straße & Søn", "strasse-son"),
    ("Association \u200fالأمل\u200e Lyon", "association-lml-lyon"),
    ("جمعية الأمل", "jm-y-lml"),
    ("Ассоциация «Надежда»", "assotsiatsiia-nadezhda"),
    ("Σύλλογος Φιλίας Ελλάδας", "sullogos-philias-elladas"),
    ("東京 2024", "dong-jing-2024"),
    ("🤝🌍", "organisation"),
    ("2024", "organisation-2024"),
    ("  --Fondation   Été--  ", "fondation-ete"),
    ("Association pour la promotion des jardins partagés et de l’agriculture urbaine dans la "
     "métropole de Lyon",
     "association-pour-la-promotion-des-jardins-partages-et-de-l-agriculture-urbaine"),
    ("A" * 120, "a" * 80),
])
def test_slugify(name, slug):
    assert slugify(name) == slug


def test_slugs_are_unique_and_suffixed(client, owner):
    for rna in ("W691000001", "W691000002", "W691000003"):
        assert client.post(CREATE_URL, data=organisation_form(
            name="Café Solidaire", rna=rna)).status_code == 302
    for name in ("Ассоциация", "🤝", "🤝 🌍"):
        client.post(CREATE_URL, data=organisation_form(name=name, kind="autre", rna=""))
    slugs = db.session.scalars(select(Organisation.slug).order_by(Organisation.id)).all()
    assert slugs == ["cafe-solidaire", "cafe-solidaire-2", "cafe-solidaire-3",
                     "assotsiatsiia", "organisation", "organisation-2"]


def test_long_names_give_slugs_that_fit(client, owner):
    name = "Association " + "très " * 60
    client.post(CREATE_URL, data=organisation_form(name=name[:200]))
    slug = only_organisation().slug
    assert len(slug) <= 80 and slug.startswith("association-tres-tres-")
    assert slug.endswith("-tres")  # cut between words


def test_creating_requires_being_logged_in(client):
    response = client.get(CREATE_URL)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/compte/connexion?next=")
    assert client.post(CREATE_URL, data=organisation_form()).status_code == 302
    assert organisation_count() == 0
