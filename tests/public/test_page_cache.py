"""The anonymous public pages served whole from the shared cache: the same answer as the page
rendered, never someone's personal page, one copy per language, and a new copy after every
change the page shows (REGISTER_GENERATION_TTL is 0 in the tests)."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select, update

from charter_service import create_app
from charter_service.certificates import services as certificates
from charter_service.certificates.models import Certificate, CertificateStatus
from charter_service.charters.models import VersionStatus
from charter_service.charters.publishing import publish_and_invite
from charter_service.commitments import progress
from charter_service.commitments import services as commitments
from charter_service.commitments.models import Category, Scale, Visibility
from charter_service.commitments.services import CommitmentData
from charter_service.extensions import db
from charter_service.organisations.models import Organisation, OrganisationKind
from charter_service.signatures.revocation import RevocationLabel

from ..register.register_world import World

PAGES = ("/", "/charte", "/registre", "/registre?q=elan", "/registre/statistiques",
         "/transparence")


@pytest.fixture
def world(make):
    return World(make)


@pytest.fixture
def elan(world):
    return world.signatory("Élan Solidaire")


def _behind_the_back(**values) -> None:
    """A change no service signals: only a page rendered again would show it."""
    db.session.execute(update(Organisation).values(**values))
    db.session.commit()


def _certificate(organisation) -> Certificate:
    return db.session.scalar(select(Certificate).join(Certificate.signature).where(
        Certificate.status == CertificateStatus.VALID).order_by(Certificate.id.desc()))


def _pages(elan):
    return (*PAGES, _page(elan), f"/verifier/{_certificate(elan).number}")


def _page(organisation) -> str:
    return f"/organisations/{organisation.slug}"


def test_a_cached_page_is_the_page_rendered(app, client, elan):
    for url in _pages(elan):
        rendered = client.get(url)
        assert rendered.status_code == 200, url
        _behind_the_back(name="Renommée en douce")
        served = client.get(url)
        assert served.get_data() == rendered.get_data(), url
        assert dict(served.headers) == dict(rendered.headers), url
        assert "Renommée en douce" not in served.get_data(as_text=True)
        _behind_the_back(name="Élan Solidaire")


def test_every_page_is_served_when_the_shared_cache_is_down(app, elan):
    down = create_app({**app.config, "CACHE_TYPE": "RedisCache",
                       "CACHE_REDIS_URL": "redis://127.0.0.1:1/0"})
    try:
        client = down.test_client()
        for url in _pages(elan):
            assert [client.get(url).status_code for _ in range(2)] == [200, 200], url
    finally:
        with down.app_context():
            db.engine.dispose()


def test_head_is_served_from_the_same_copy(client, elan):
    rendered = client.get(_page(elan))
    _behind_the_back(name="Renommée en douce")
    head = client.head(_page(elan))
    assert head.status_code == 200 and head.get_data() == b""
    assert head.headers["Content-Length"] == rendered.headers["Content-Length"]
    assert head.headers["Content-Security-Policy"] == rendered.headers["Content-Security-Policy"]


def test_a_logged_in_user_neither_gets_nor_fills_the_anonymous_copy(app, client, login, make,
                                                                      elan):
    assert "Mon espace" not in client.get("/charte").get_data(as_text=True)
    member = login(make.user(), app.test_client())
    page = member.get("/charte")
    assert "Mon espace" in page.get_data(as_text=True)
    assert page.headers["Cache-Control"] == "private, no-store"
    # Rendered for the member first: nothing kept, the anonymous visitor gets the page afresh.
    assert member.get(_page(elan)).status_code == 200
    _behind_the_back(name="Renommée en douce")
    assert "Renommée en douce" in client.get(_page(elan)).get_data(
        as_text=True)


def test_a_response_that_sets_a_cookie_is_never_stored(app, client, elan):
    with client.session_transaction() as session:
        session.permanent = True  # refreshed on every answer: each one sets the cookie
    first = client.get(_page(elan))
    assert "Set-Cookie" in first.headers
    _behind_the_back(name="Renommée en douce")
    fresh = app.test_client().get(_page(elan))
    assert "Renommée en douce" in fresh.get_data(as_text=True)


def test_a_flashed_message_is_shown_and_not_kept(app, client, elan):
    with client.session_transaction() as session:
        session["_flashes"] = [("success", "Message pour ce visiteur seulement")]
    assert "Message pour ce visiteur" in client.get("/charte").get_data(as_text=True)
    assert "Message pour ce visiteur" not in app.test_client().get("/charte").get_data(
        as_text=True)


def test_each_language_has_its_own_copy(app, client, elan):
    french = client.get("/charte", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    english = client.get("/charte", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="fr">' in french and '<html lang="en">' in english
    chooser = app.test_client()
    chooser.get("/?lang=en")  # the choice is kept in the session, over the browser's
    again = chooser.get("/charte", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert again == english
    assert client.get("/charte", headers={"Accept-Language": "fr"}).get_data(
        as_text=True) == french


def _visible(client, url: str, text: str) -> bool:
    return text in client.get(url).get_data(as_text=True)


def test_a_charter_version_published_shows(client, make, world, elan):
    assert not _visible(client, "/charte", "Version 2")
    make.version(number=2, status=VersionStatus.DRAFT)
    assert not _visible(client, "/charte", "Version 2")  # a draft is not shown
    publish_and_invite(2, actor=None)
    db.session.commit()
    assert _visible(client, "/charte", "Version 2")


def test_an_organisation_renamed_shows_everywhere(client, world, elan):
    for url in ("/registre", _page(elan)):
        assert _visible(client, url, "Élan Solidaire")
    world.edit(elan, name="Élan Solidaire et Partagé")
    for url in ("/registre", _page(elan)):
        assert _visible(client, url, "Élan Solidaire et Partagé"), url


def test_an_attestation_revoked_or_superseded_shows(client, world, elan):
    first = _certificate(elan)
    url = f"/verifier/{first.number}"
    valid = client.get(url).get_data(as_text=True)
    world.edit(elan, name="Élan Solidaire et Partagé")  # printed facts changed: re-issued
    superseded = client.get(url).get_data(as_text=True)
    assert superseded != valid and first.status == CertificateStatus.SUPERSEDED
    second = _certificate(elan)
    before = client.get(f"/verifier/{second.number}").get_data(as_text=True)
    certificates.revoke(second, actor=world.moderator, label=RevocationLabel.SUSPENDED)
    db.session.commit()
    after = client.get(f"/verifier/{second.number}").get_data(as_text=True)
    assert after != before and "suspendu" in after.lower()


def test_a_commitment_made_public_shows(client, world, elan):
    private = world.commitment(elan, visibility=Visibility.PRIVATE)
    assert not _visible(client, _page(elan), "Achats locaux")
    assert not _visible(client, "/charte", "1 engagement public")
    data = CommitmentData(title="Achats locaux", description="Acheter local.",
                          category=Category.COOPERATION_ECONOMIQUE, scale=Scale.LOCAL,
                          principle_ids=[world.version.principles[0].id],
                          start_on=date(2025, 1, 1), visibility=Visibility.PUBLIC, sdgs=[8])
    commitments.update_commitment(private, data, world.owner)
    db.session.commit()
    assert _visible(client, _page(elan), "Achats locaux")
    assert _visible(client, "/charte", "1 engagement public")  # under its principle


def test_a_progress_report_filed_shows(client, world, elan):
    commitment = world.commitment(elan)
    assert not _visible(client, _page(elan), "Vingt fournisseurs")
    progress.add_progress(commitment, progress.ProgressData(
        reported_on=date.today() - timedelta(days=1), text="Vingt fournisseurs locaux."),
        world.owner)
    db.session.commit()
    assert _visible(client, _page(elan), "Vingt fournisseurs")


# A company approved on 17 March 2025 reports yearly: due on 17 March 2026, « en retard » from
# the 18th.
APPROVED_ON, LAST_DAY_ON_TIME = date(2025, 3, 17), date(2026, 3, 17)


@pytest.mark.parametrize("whole_pages", [True, False], ids=["page cache", "register cache"])
def test_the_late_badge_comes_with_the_day(app, client, world, monkeypatch, whole_pages):
    app.config["PAGE_CACHE"] = whole_pages
    world.signatory("Élan Solidaire", approved_on=APPROVED_ON, kind=OrganisationKind.ENTREPRISE)
    for day, late in ((LAST_DAY_ON_TIME, False), (LAST_DAY_ON_TIME + timedelta(days=1), True)):
        _set_today(monkeypatch, day)
        assert _visible(client, "/registre", "status-report-en-retard") is late, day
        # The filter's counts move with the day too (the register's own cache).
        assert _visible(client, "/registre?bilan=en-retard", "Élan Solidaire") is late, day


def _set_today(monkeypatch, day: date) -> None:
    from charter_service import page_cache
    from charter_service.register import facets, queries, views
    from charter_service.register.readmodel import cache

    monkeypatch.setattr(page_cache, "_days", lambda: (day, day))
    monkeypatch.setattr(views, "local_today", lambda: day)
    monkeypatch.setattr(cache, "local_today", lambda: day)
    monkeypatch.setattr(queries, "local_today", lambda: day)
    monkeypatch.setattr(facets, "local_today", lambda: day)


class TestRateLimits:
    @pytest.fixture
    def app_config(self):
        return {"RATELIMIT_ENABLED": True, "RATELIMIT_CERTIFICATE_LOOKUP": "3 per minute"}

    def test_a_page_served_whole_costs_nothing_and_counts_for_nothing(self, client, elan):
        """Known numbers are public (the register lists them): looking one up again is served
        from the cache; numbers never asked before still reach the view and its limit."""
        url = f"/verifier/{_certificate(elan).number}"
        assert [client.get(url).status_code for _ in range(5)] == [200] * 5
        unknown = [client.get(f"/verifier/CFA-2026-99999{i}").status_code for i in range(3)]
        assert unknown == [404, 404, 429]
