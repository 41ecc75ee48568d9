"""Only admins reach /admin: a visitor is sent to log in, anyone else gets 403, nothing changes."""

import pytest
from sqlalchemy import func, select

from charter_service.accounts.models import Role, User
from charter_service.audit.models import AuditEntry
from charter_service.charters.models import CharterVersion, Principle, VersionStatus
from charter_service.extensions import db
from charter_service.mailing.models import OutboxMessage

GETS = ["/admin/", "/admin/roles", "/admin/roles?email=example", "/admin/charte",
        "/admin/charte/nouvelle-version", "/admin/charte/v/2", "/admin/charte/v/2/publier",
        "/admin/charte/v/1/archiver", "/admin/charte/diff", "/admin/charte/diff?de=1&a=2"]
POSTS = [
    ("/admin/roles/{member}", {"role": "admin"}),
    ("/admin/charte/nouvelle-version", {}),
    ("/admin/charte/importer", {}),
    ("/admin/charte/v/2", {"title": "Piraté", "preamble": "Piraté"}),
    ("/admin/charte/v/2/principes/ajouter",
     {"nouveau-code": "PX", "nouveau-section": "principes", "nouveau-title": "Piraté",
      "nouveau-text": "Piraté", "nouveau-position": "1"}),
    ("/admin/charte/v/2/principes/{principle}",
     {"p{principle}-code": "PX", "p{principle}-section": "principes",
      "p{principle}-title": "Piraté", "p{principle}-text": "Piraté",
      "p{principle}-position": "1"}),
    ("/admin/charte/v/2/principes/{principle}/supprimer", {}),
    ("/admin/charte/v/2/publier", {}),
    ("/admin/charte/v/1/archiver", {}),
]
# Every admin route is listed above: a new route must be added here to be checked.
ROUTES = {"admin.index", "admin.roles", "admin.change_role", "admin.versions",
          "admin.new_version", "admin.copy_version", "admin.upload_version",
          "admin.edit_version", "admin.add_principle", "admin.edit_principle",
          "admin.remove_principle", "admin.publish", "admin.archive", "admin.diff"}


@pytest.fixture
def world(make):
    """A published v1, a draft v2 and a plain member; returns the URL placeholders."""
    make.version(number=1)
    draft = make.version(number=2, status=VersionStatus.DRAFT)
    member = make.user("membre@example.org")
    return {"member": member.id, "principle": draft.principles[0].id}


def _state():
    db.session.expire_all()
    return {
        "roles": dict(db.session.execute(select(User.email, User.role)).all()),
        "versions": dict(db.session.execute(
            select(CharterVersion.number, CharterVersion.status)).all()),
        "titles": sorted(db.session.scalars(select(CharterVersion.title))),
        "principles": sorted(db.session.execute(
            select(Principle.id, Principle.code, Principle.title, Principle.position)).all()),
        "audit": db.session.scalar(select(func.count(AuditEntry.id))),
        "outbox": db.session.scalar(select(func.count(OutboxMessage.id))),
    }


def test_every_admin_route_is_covered(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()
                 if rule.endpoint.startswith("admin.")}
    assert endpoints == ROUTES
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("admin."):
            assert rule.rule.startswith("/admin/")


def test_visitor_is_sent_to_log_in(client, world):
    for path in GETS:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.headers["Location"].startswith("/compte/connexion?next="), path


@pytest.mark.parametrize("role", [Role.USER, Role.MODERATOR])
def test_members_and_moderators_get_403(client, login, make, world, role):
    login(make.user(role=role))
    for path in GETS:
        response = client.get(path)
        assert response.status_code == 403, path
        assert "Accès refusé" in response.get_data(as_text=True)


def test_admin_reaches_every_page(as_admin, world):
    for path in GETS:
        assert as_admin.get(path, follow_redirects=True).status_code == 200, path


@pytest.mark.parametrize("who", ["visitor", Role.USER, Role.MODERATOR])
def test_no_post_changes_anything_for_non_admins(client, login, make, world, who):
    if who != "visitor":
        login(make.user(role=who))
    before = _state()
    for path, data in POSTS:
        response = client.post(path.format(**world),
                               data={k.format(**world): v for k, v in data.items()})
        assert response.status_code == (302 if who == "visitor" else 403), path
        if who == "visitor":
            assert response.headers["Location"].startswith("/compte/connexion"), path
    assert _state() == before


class TestWithCsrfProtection:
    @pytest.fixture
    def app_config(self):
        return {"WTF_CSRF_ENABLED": True}

    def test_admin_posts_without_a_token_change_nothing(self, as_admin, world):
        before = _state()
        for path, data in POSTS:
            response = as_admin.post(path.format(**world),
                                     data={k.format(**world): v for k, v in data.items()})
            assert response.status_code == 400, path
            assert "Le formulaire a expiré" in response.get_data(as_text=True)
        assert _state() == before

    def test_the_role_form_carries_a_token_that_works(self, as_admin, make):
        member = make.user("membre@example.org")
        page = as_admin.get("/admin/roles?email=membre").get_data(as_text=True)
        token = page.split('name="csrf_token" value="')[1].split('"')[0]
        response = as_admin.post(f"/admin/roles/{member.id}",
                                 data={"csrf_token": token, "role": "moderator"})
        assert response.status_code == 302
        db.session.expire_all()
        assert db.session.get(User, member.id).role == Role.MODERATOR
