"""Administration (/admin): user roles here, charter versions in version_views."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..accounts import roles as role_rules
from ..accounts.models import Role, User
from ..domain import unit_of_work
from ..extensions import db
from .access import admin_required
from .forms import RoleForm, UserSearchForm

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.get("/")
@admin_required
def index():
    return redirect(url_for(".versions"))


@bp.get("/roles")
@admin_required
def roles():
    search = UserSearchForm(request.args)
    found = None
    if search.email.data and search.validate():
        found = role_rules.search_users(search.email.data)
    staff = role_rules.staff()
    forms = {user.id: RoleForm(formdata=None, role=user.role.value, email=search.email.data)
             for user in staff + (found or [])}
    return render_template("admin/roles.html", search=search, staff=staff, found=found,
                           forms=forms, limit=role_rules.SEARCH_LIMIT)


@bp.post("/roles/<int:user_id>")
@admin_required
def change_role(user_id: int):
    user = db.get_or_404(User, user_id)
    if not user.is_active:
        abort(404)
    form = RoleForm()
    back = url_for(".roles", email=(form.email.data or None))
    if not form.validate():
        flash(" ".join(str(e) for errors in form.errors.values() for e in errors), "error")
        return redirect(back)
    role = Role(form.role.data)
    with unit_of_work() as work:  # LastAdmin
        changed = role_rules.change_role(user, role, current_user)
    if not work.done:
        return redirect(back)
    if not changed:
        flash(_("%(email)s a déjà le rôle « %(role)s ».", email=user.email,
                role=role.label), "info")
    elif user.id == current_user.id:
        flash(_("Votre rôle est désormais « %(role)s » : vous n’avez plus accès à "
                "l’administration.", role=role.label), "success")
        return redirect(url_for("public.home"))
    else:
        flash(_("%(email)s a désormais le rôle « %(role)s ».", email=user.email,
                role=role.label), "success")
    return redirect(back)
