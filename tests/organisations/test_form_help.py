"""The organisation form helps: the postcode gives the département, the région narrows the
list (checked on the server when the script is absent), a bare web host gets https://."""

import pytest

from charter_service.organisations import geo

from .helpers import CREATE_URL, only_organisation, organisation_count, organisation_form, text


@pytest.fixture
def owner(make, login):
    user = make.user("fondatrice@example.org")
    login(user)
    return user


@pytest.mark.parametrize("postcode,departement", [
    ("69002", "69"), ("01000", "01"), ("20000", "2A"), ("20190", "2A"), ("20200", "2B"),
    ("20600", "2B"), ("97110", "971"), ("97200", "972"), ("97600", "976"), ("75001", "75"),
    ("97500", None), ("98000", None), ("00100", None), ("6900", None), ("690021", None),
    ("٦٩٠٠٢", None), ("", None), (None, None),
])
def test_the_postcode_gives_the_departement(postcode, departement):
    assert geo.departement_for_postcode(postcode) == departement


def test_corsica_is_told_apart_by_postcode(client, owner):
    response = client.post(CREATE_URL, data=organisation_form(
        postcode="20200", commune="Bastia", departement="2A"))
    assert "Ce code postal ne correspond pas au département Corse-du-Sud." in text(response)
    response = client.post(CREATE_URL, data=organisation_form(
        postcode="20200", commune="Bastia", departement="2B"))
    assert response.status_code == 302 and only_organisation().region_code == "94"


def test_the_form_ships_each_departements_region_and_its_script(client, owner):
    page = text(client.get(CREATE_URL))
    assert '<option data-region="84" value="69">69 – Rhône</option>' in page
    assert '<option data-region="94" value="2B">2B – Haute-Corse</option>' in page
    assert 'id="region" name="region"><option value="">Toutes les régions</option>' in page
    assert '<script src="/static/organisation-form.js" defer></script>' in page


def test_a_region_that_does_not_hold_the_departement_is_refused(client, owner):
    response = client.post(CREATE_URL, data=organisation_form(region="53"))
    assert response.status_code == 200 and organisation_count() == 0
    assert "Le département Rhône n’est pas dans la région Bretagne." in text(response)
    response = client.post(CREATE_URL, data=organisation_form(region="84"))
    assert response.status_code == 302 and only_organisation().region_code == "84"


def test_an_unknown_region_is_a_field_error_not_a_500(client, owner):
    response = client.post(CREATE_URL, data=organisation_form(region="99"))
    assert response.status_code == 200 and organisation_count() == 0


@pytest.mark.parametrize("typed,stored", [
    ("www.exemple.fr", "https://www.exemple.fr"),
    ("  mairie-montclair.fr/contact?x=1 ", "https://mairie-montclair.fr/contact?x=1"),
    ("www.café-des-arts.fr", "https://www.café-des-arts.fr"),
    ("http://asso.example.org", "http://asso.example.org"),
])
def test_a_bare_web_host_gets_https(client, owner, typed, stored):
    response = client.post(CREATE_URL, data=organisation_form(website=typed))
    assert response.status_code == 302 and only_organisation().website == stored


@pytest.mark.parametrize("typed,message", [
    ("pas de site", "commençant par https://"),
    ("http//exemple", "commençant par https://"),
    ("javascript:alert(1)", "commençant par https://"),
    ("https://mairie", "Cette adresse ne désigne pas un site web : indiquez par exemple "
                       "www.exemple.fr."),
    ("https://exemple.123", "Cette adresse ne désigne pas un site web"),
])
def test_junk_is_still_refused_with_a_clear_message(client, owner, typed, message):
    response = client.post(CREATE_URL, data=organisation_form(website=typed))
    assert response.status_code == 200 and organisation_count() == 0
    assert message in text(response)


def test_the_edit_form_starts_from_the_organisations_region(client, owner, make):
    organisation = make.organisation(owner=owner)
    page = text(client.get(f"/espace/organisations/{organisation.id}/modifier"))
    assert '<option selected value="84">Auvergne-Rhône-Alpes</option>' in page


def test_an_existing_slug_never_changes(client, owner, make):
    organisation = make.organisation(owner=owner, name="Les Amis du Rhône")
    slug = organisation.slug
    response = client.post(f"/espace/organisations/{organisation.id}/modifier",
                           data=organisation_form(name="Ассоциация «Надежда»"))
    assert response.status_code == 302
    assert only_organisation().name == "Ассоциация «Надежда»" and only_organisation().slug == slug
