"""The Atom feed of public status changes, /registre/changements.atom."""

import xml.etree.ElementTree as ET
from datetime import datetime

from charter_service.accounts.models import Role
from charter_service.extensions import db
from charter_service.register.exports import feed
from charter_service.signatures.workflow import Transition, apply

NS = {"a": "http://www.w3.org/2005/Atom"}


def _story(make):
    """A and B approved; A suspended then reinstated; B withdrawn; C rejected; D withdrew while
    pending; E pending. Returns the organisations and the people involved."""
    moderator = make.user(role=Role.MODERATOR, full_name="Morgane Modératrice",
                          email="morgane.moderatrice@example.org")
    version = make.version()
    orgs = {key: make.organisation(name=f"Organisation {key}") for key in "ABCDE"}
    signatures = {key: make.signature(org, version) for key, org in orgs.items()}
    apply(signatures["A"], Transition.APPROVE, actor=moderator)
    apply(signatures["B"], Transition.APPROVE, actor=moderator)
    apply(signatures["A"], Transition.SUSPEND, actor=moderator, reason="Motif très confidentiel")
    apply(signatures["A"], Transition.REINSTATE, actor=moderator)
    apply(signatures["C"], Transition.REJECT, actor=moderator, reason="Refus confidentiel")
    apply(signatures["D"], Transition.WITHDRAW, actor=None)
    apply(signatures["B"], Transition.WITHDRAW, actor=None)
    db.session.commit()
    return orgs, moderator


def _entries(client):
    response = client.get("/registre/changements.atom")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/atom+xml; charset=utf-8"
    root = ET.fromstring(response.get_data())  # noqa: S314  (our own output, in a test)
    return response, root, root.findall("a:entry", NS)


def test_entries_follow_the_real_transitions_newest_first(client, make):
    orgs, _ = _story(make)
    _, root, entries = _entries(client)
    titles = [e.findtext("a:title", namespaces=NS) for e in entries]
    assert titles == [
        "Organisation B : signature retirée",
        "Organisation A : signature rétablie",
        "Organisation A : signature suspendue",
        "Organisation B : signature approuvée",
        "Organisation A : signature approuvée",
    ]
    updated = [datetime.fromisoformat(e.findtext("a:updated", namespaces=NS)) for e in entries]
    assert updated == sorted(updated, reverse=True)
    assert all(u.tzinfo is not None for u in updated)
    ids = [e.findtext("a:id", namespaces=NS) for e in entries]
    assert len(set(ids)) == len(ids) and all(i.startswith("tag:localhost,2026:") for i in ids)
    links = [e.find("a:link", NS).get("href") for e in entries]
    assert links[0] == f"http://localhost/organisations/{orgs['B'].slug}"
    assert links[1] == f"http://localhost/organisations/{orgs['A'].slug}"
    assert root.findtext("a:updated", namespaces=NS) == entries[0].findtext("a:updated",
                                                                            namespaces=NS)


def test_feed_metadata(client, make):
    _story(make)
    _, root, _ = _entries(client)
    assert root.findtext("a:id", namespaces=NS) == "tag:localhost,2026:registre/changements"
    assert root.findtext("a:author/a:name", namespaces=NS) == "Fondation des Territoires"
    assert "Licence Ouverte" in root.findtext("a:rights", namespaces=NS)
    self_link = [link for link in root.findall("a:link", NS) if link.get("rel") == "self"]
    assert self_link[0].get("href") == "http://localhost/registre/changements.atom"
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "fr"


def test_nothing_personal_nor_private_is_published(client, make):
    orgs, moderator = _story(make)
    response, _, _ = _entries(client)
    text = response.get_data(as_text=True)
    for secret in ("Dominique Durand", "dominique.durand@example.org", "Présidente",
                   moderator.full_name, moderator.email, "Camille Martin", "@example.org",
                   "confidentiel", orgs["C"].name, orgs["D"].name, orgs["E"].name,
                   orgs["C"].slug, orgs["D"].slug, orgs["E"].slug):
        assert secret not in text


def test_empty_feed_is_valid(client):
    _, root, entries = _entries(client)
    assert entries == []
    assert root.findtext("a:updated", namespaces=NS)


def test_only_the_latest_changes_are_kept(client, make):
    _story(make)
    assert [c.action for c in feed.latest_changes(limit=2)] == ["signature.withdraw",
                                                                "signature.reinstate"]
    assert feed.FEED_SIZE == 50


def test_names_are_escaped(client, make):
    moderator = make.user(role=Role.MODERATOR)
    version = make.version()
    organisation = make.organisation(name="<script>alert(1)</script> & Cie")
    apply(make.signature(organisation, version), Transition.APPROVE, actor=moderator)
    db.session.commit()
    response, _, entries = _entries(client)
    title = entries[0].findtext("a:title", namespaces=NS)
    assert title.startswith("<script>alert(1)</script> & Cie")
    assert b"<script>" not in response.get_data()
