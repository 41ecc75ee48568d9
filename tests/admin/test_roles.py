"""/admin/roles: admins grant and revoke staff roles, each change audited; the last admin stays."""

import html

from sqlalchemy import select

from charter_service.accounts.models import Role, User
from charter_service.extensions import db

from .conftest import audit_entries


def _role(user) -> Role:
    db.session.expire_all()
    return db.session.get(User, user.id).role


def _page(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def test_lists_staff_but_not_plain_users(as_admin, make):
    make.user("modo@example.org", role=Role.MODERATOR)
    make.user("personne@example.org")
    page = _page(as_admin.get("/admin/roles"))
    assert page.count("<h1") == 1
    staff = page.split('id="equipe"')[1].split('id="recherche"')[0]
    assert "modo@example.org" in staff and "admin@example.org" in staff
    assert "personne@example.org" not in page


def test_search_finds_confirmed_accounts_only(as_admin, make):
    make.user("claire.dupont@mairie.example.org")
    make.user("claire.autre@mairie.example.org", confirmed=False)
    page = _page(as_admin.get("/admin/roles?email=MAIRIE"))
    assert "claire.dupont@mairie.example.org" in page
    assert "claire.autre@mairie.example.org" not in page


def test_search_wildcards_are_plain_characters(as_admin, make):
    make.user("claire@example.org")
    page = _page(as_admin.get("/admin/roles?email=%25"))
    assert "Aucun compte confirmé ne correspond" in page
    assert "claire@example.org" not in page


def test_admin_grants_moderator_then_revokes_with_audit(as_admin, admin, make):
    user = make.user("claire@example.org")
    response = as_admin.post(f"/admin/roles/{user.id}",
                             data={"role": "moderator", "email": "claire"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/roles?email=claire"
    assert _role(user) == Role.MODERATOR
    assert "claire@example.org a désormais le rôle « Modérateur·rice »" in _page(
        as_admin.get("/admin/roles"))

    as_admin.post(f"/admin/roles/{user.id}", data={"role": "user"})
    assert _role(user) == Role.USER
    assert audit_entries("user.role") == [
        {"action": "user.role", "object_type": "user", "object_id": str(user.id),
         "actor_id": admin.id, "before": {"role": "user"}, "after": {"role": "moderator"},
         "reason": ""},
        {"action": "user.role", "object_type": "user", "object_id": str(user.id),
         "actor_id": admin.id, "before": {"role": "moderator"}, "after": {"role": "user"},
         "reason": ""},
    ]


def test_admin_grants_admin_and_the_new_admin_reaches_admin_pages(as_admin, client, login, make):
    user = make.user("claire@example.org")
    as_admin.post(f"/admin/roles/{user.id}", data={"role": "admin"})
    assert _role(user) == Role.ADMIN
    login(user)
    assert client.get("/admin/roles").status_code == 200


def test_same_role_changes_nothing(as_admin, make):
    user = make.user("modo@example.org", role=Role.MODERATOR)
    response = as_admin.post(f"/admin/roles/{user.id}", data={"role": "moderator"},
                             follow_redirects=True)
    assert "a déjà le rôle « Modérateur·rice »" in _page(response)
    assert audit_entries() == []


def test_the_last_admin_cannot_demote_themselves(as_admin, admin):
    response = as_admin.post(f"/admin/roles/{admin.id}", data={"role": "user"},
                             follow_redirects=True)
    assert response.status_code == 200
    assert "admin@example.org est le dernier compte administrateur" in _page(response)
    assert _role(admin) == Role.ADMIN
    assert audit_entries() == []


def test_an_unconfirmed_admin_does_not_count_as_another_admin(as_admin, admin, make):
    make.user("fantome@example.org", role=Role.ADMIN, confirmed=False)
    as_admin.post(f"/admin/roles/{admin.id}", data={"role": "moderator"})
    assert _role(admin) == Role.ADMIN


def test_with_another_admin_an_admin_may_step_down(as_admin, admin, make):
    make.user("autre.admin@example.org", role=Role.ADMIN)
    response = as_admin.post(f"/admin/roles/{admin.id}", data={"role": "moderator"})
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert _role(admin) == Role.MODERATOR
    assert as_admin.get("/admin/roles").status_code == 403
    [entry] = audit_entries("user.role")
    assert entry["before"] == {"role": "admin"} and entry["after"] == {"role": "moderator"}


def test_an_unknown_role_is_refused_in_french(as_admin, make):
    user = make.user("claire@example.org")
    response = as_admin.post(f"/admin/roles/{user.id}", data={"role": "superadmin"},
                             follow_redirects=True)
    assert "Choisissez un rôle de la liste." in _page(response)
    assert _role(user) == Role.USER


def test_unknown_or_unconfirmed_accounts_are_not_found(as_admin, make):
    ghost = make.user("fantome@example.org", confirmed=False)
    assert as_admin.post(f"/admin/roles/{ghost.id}", data={"role": "admin"}).status_code == 404
    assert as_admin.post("/admin/roles/999999", data={"role": "admin"}).status_code == 404
    assert _role(ghost) == Role.USER


# --- flask users create ------------------------------------------------------------------------

def _cli(app, *args):
    return app.test_cli_runner().invoke(args=["users", "create", *args])


def test_cli_account_creation_is_audited_as_the_system(app):
    result = _cli(app, "modo@example.org", "--role", "moderator", "--password",
                  "une phrase de passe assez longue")
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "modo@example.org"))
    assert audit_entries("user.role") == [
        {"action": "user.role", "object_type": "user", "object_id": str(user.id),
         "actor_id": None, "before": {}, "after": {"role": "moderator"}, "reason": ""}]


def test_cli_role_change_is_audited_and_keeps_the_last_admin(app, admin, make):
    user = make.user("claire@example.org")
    assert _cli(app, "claire@example.org", "--role", "admin").exit_code == 0
    assert _role(user) == Role.ADMIN
    assert _cli(app, "claire@example.org", "--role", "user").exit_code == 0
    assert _cli(app, "admin@example.org", "--role", "user").exit_code != 0
    assert _role(admin) == Role.ADMIN
    assert [(e["object_id"], e["before"], e["after"], e["actor_id"])
            for e in audit_entries("user.role")] == [
        (str(user.id), {"role": "user"}, {"role": "admin"}, None),
        (str(user.id), {"role": "admin"}, {"role": "user"}, None)]
