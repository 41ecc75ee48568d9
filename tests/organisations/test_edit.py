"""Editing an organisation, and every /espace/organisations/<id>/... route refusing strangers."""

import pytest
from sqlalchemy import func, select

from charter_service.extensions import db
from charter_service.organisations.models import Invitation, MemberRole, Membership, Organisation

from .helpers import organisation_form, png, text, upload


@pytest.fixture
def organisation(make):
    owner = make.user("responsable@example.org")
    member = make.user("membre@example.org")
    return make.organisation(owner=owner, members=[member], siren="732829320",
                             name="Mairie de Lyon")


def _owner(organisation):
    return next(m.user for m in organisation.memberships if m.role == MemberRole.OWNER)


def _member(organisation):
    return next(m.user for m in organisation.memberships if m.role == MemberRole.MEMBER)


def _edit_url(organisation):
    return f"/espace/organisations/{organisation.id}/modifier"


def test_owner_sees_the_form_filled_in_and_saves_changes(client, login, organisation):
    login(_owner(organisation))
    page = text(client.get(_edit_url(organisation)))
    assert 'value="Mairie de Lyon"' in page and 'value="732 829 320"' in page
    response = client.post(_edit_url(organisation), data=organisation_form(
        name="Ville de Marseille", kind="collectivite", identifier="732 829 320", rna="",
        postcode="13001", commune="Marseille", departement="13"))
    assert response.status_code == 302
    assert response.headers["Location"] == f"/espace/organisations/{organisation.id}"
    db.session.expire_all()
    edited = db.session.get(Organisation, organisation.id)
    assert (edited.name, edited.commune, edited.departement_code, edited.region_code) == (
        "Ville de Marseille", "Marseille", "13", "93")
    assert edited.siren == "732829320" and edited.slug == organisation.slug


def test_siret_is_shown_grouped_and_kept_on_save(client, login, organisation):
    organisation.siret = "73282932000074"
    db.session.commit()
    login(_owner(organisation))
    page = text(client.get(_edit_url(organisation)))
    assert 'value="732 829 320 00074"' in page
    client.post(_edit_url(organisation), data=organisation_form(
        kind="collectivite", identifier="732 829 320 00074", rna=""))
    db.session.expire_all()
    assert db.session.get(Organisation, organisation.id).siret == "73282932000074"


def test_owner_cannot_take_another_organisations_siren(client, login, make, organisation):
    make.organisation(siren="552100554")
    login(_owner(organisation))
    page = text(client.post(_edit_url(organisation), data=organisation_form(
        kind="entreprise", identifier="55210055400013", rna="")))
    assert "numéro SIREN est déjà inscrite" in page
    db.session.expire_all()
    assert db.session.get(Organisation, organisation.id).siren == "732829320"


def test_member_gets_403_and_changes_nothing(client, login, organisation):
    login(_member(organisation))
    assert client.get(_edit_url(organisation)).status_code == 403
    response = client.post(_edit_url(organisation), data=organisation_form(name="Piratée"))
    assert response.status_code == 403 and "Accès refusé" in text(response)
    db.session.expire_all()
    assert db.session.get(Organisation, organisation.id).name == "Mairie de Lyon"


def test_member_sees_the_organisation_without_the_edit_link(client, login, organisation):
    login(_member(organisation))
    page = text(client.get(f"/espace/organisations/{organisation.id}"))
    assert "Mairie de Lyon" in page and "SIREN 732 829 320" in page
    assert _edit_url(organisation) not in page


def test_stranger_gets_404(client, login, make, organisation):
    login(make.user())
    assert client.get(_edit_url(organisation)).status_code == 404
    assert client.post(_edit_url(organisation), data=organisation_form()).status_code == 404


def _state(organisation_id: int) -> tuple:
    db.session.expire_all()
    organisation = db.session.get(Organisation, organisation_id)
    return (organisation.name, organisation.logo, organisation.siren,
            db.session.scalar(select(func.count(Invitation.id))),
            tuple(db.session.execute(select(Membership.user_id, Membership.role)
                                     .where(Membership.organisation_id == organisation_id)
                                     .order_by(Membership.id)).all()))


def test_forged_ids_get_404_on_every_route_and_change_nothing(client, login, make, organisation):
    """An owner of A asks for B's pages, or B's memberships through A's pages."""
    organisation.logo, organisation.logo_mime = png(), "image/png"
    db.session.commit()
    other_owner = make.user()
    own = make.organisation(owner=other_owner)
    login(other_owner)
    target = organisation.id
    member_of_target = next(m.id for m in organisation.memberships)
    before = _state(target)
    base = f"/espace/organisations/{target}"
    own_base = f"/espace/organisations/{own.id}"
    requests = [
        ("get", base, None), ("get", f"{base}/modifier", None),
        ("post", f"{base}/modifier", organisation_form(name="Piratée")),
        ("post", f"{base}/logo/supprimer", {}), ("get", f"{base}/membres", None),
        ("post", f"{base}/membres/inviter", {"email": "pirate@example.org", "role": "owner"}),
        ("post", f"{base}/membres/{member_of_target}/role",
         {f"m{member_of_target}-role": "member"}),
        ("post", f"{base}/membres/{member_of_target}/retirer", {}),
        ("post", f"{own_base}/membres/{member_of_target}/role",
         {f"m{member_of_target}-role": "member"}),
        ("post", f"{own_base}/membres/{member_of_target}/retirer", {}),
    ]
    for method, url, data in requests:
        response = getattr(client, method)(url, data=data)
        assert response.status_code == 404, (method, url)
        assert "Page introuvable" in text(response)
    assert _state(target) == before


def test_anonymous_visitors_are_sent_to_log_in(client, organisation):
    for url in ("/espace/", f"/espace/organisations/{organisation.id}",
                f"/espace/organisations/{organisation.id}/membres"):
        response = client.get(url)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/compte/connexion?next=")
    response = client.post(f"/espace/organisations/{organisation.id}/logo/supprimer")
    assert response.status_code == 302


def test_owner_replaces_then_removes_the_logo(client, login, organisation):
    login(_owner(organisation))
    client.post(_edit_url(organisation), data={
        **organisation_form(kind="collectivite", identifier="732829320", rna=""),
        "logo": upload(png(), "logo.png")})
    db.session.expire_all()
    assert db.session.get(Organisation, organisation.id).logo is not None
    page = text(client.get(_edit_url(organisation)))
    assert "Supprimer le logo" in page
    response = client.post(f"/espace/organisations/{organisation.id}/logo/supprimer")
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Organisation, organisation.id).logo is None
    assert client.get(f"/organisations/{organisation.slug}/logo").status_code == 404


def test_member_cannot_remove_the_logo(client, login, organisation):
    organisation.logo, organisation.logo_mime = png(), "image/png"
    db.session.commit()
    login(_member(organisation))
    assert client.post(f"/espace/organisations/{organisation.id}/logo/supprimer").status_code == 403
    db.session.expire_all()
    assert db.session.get(Organisation, organisation.id).logo is not None
