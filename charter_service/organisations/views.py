"""The member's space (/espace): creating and editing organisations, their members and
invitations. The space's home and an organisation's page show signatures: they are in
signatures/space_views.py, on this blueprint."""


from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from ..domain import unit_of_work
from ..extensions import db, limiter
from ..idempotency import services as once
from ..typography import of
from . import geo, services
from . import members as membership_services
from .access import organisation_for_member
from .forms import InviteForm, OrganisationForm, RoleForm
from .identifiers import describe, format_siren, format_siret
from .members import MembershipRefused
from .models import MemberRole, Membership, Organisation

bp = Blueprint("organisations", __name__)


@bp.context_processor
def _labels() -> dict:
    return {
        "departement_name": geo.departement_name,
        "region_name": geo.region_name,
        "legal_identifier": lambda o: describe(o.siren, o.siret, o.rna),
    }


def _invitation_limit() -> str:
    return current_app.config.get("RATELIMIT_INVITATION", "20 per hour;100 per day")


@bp.route("/espace/organisations/nouvelle", methods=["GET", "POST"])
@login_required
def create():
    form = OrganisationForm()
    if form.validate_on_submit():
        with unit_of_work(form, replay_to=url_for(".space")) as work:
            submission = once.claim(form.form_key.data, "organisation", current_user)
            organisation = services.create_organisation(form.to_data(), current_user,
                                                        logo_png=form.logo_png)
            once.fulfil(submission, url_for(".detail", organisation_id=organisation.id))
        if work.done:
            flash(_("L’organisation %(name)s est créée. Vous en êtes responsable.",
                    name=organisation.name), "success")
            return redirect(url_for(".detail", organisation_id=organisation.id))
    return render_template("organisations/form.html", form=form, organisation=None)


@bp.route("/espace/organisations/<int:organisation_id>/modifier", methods=["GET", "POST"])
@login_required
def edit(organisation_id: int):
    organisation = organisation_for_member(organisation_id, owner=True)
    form = OrganisationForm(data=_form_data(organisation))
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            services.update_organisation(organisation, form.to_data(), current_user,
                                         logo_png=form.logo_png)
        if work.done:
            flash(_("Les informations de l’organisation sont enregistrées."), "success")
            return redirect(url_for(".detail", organisation_id=organisation.id))
    return render_template("organisations/form.html", form=form, organisation=organisation)


def _form_data(organisation: Organisation) -> dict:
    identifier = (format_siret(organisation.siret) if organisation.siret
                  else format_siren(organisation.siren) if organisation.siren else "")
    return {
        "name": organisation.name, "kind": organisation.kind.value, "identifier": identifier,
        "rna": organisation.rna or "", "address": organisation.address,
        "postcode": organisation.postcode, "commune": organisation.commune,
        "region": organisation.region_code,
        "departement": organisation.departement_code, "website": organisation.website,
        "description": organisation.description,
    }


@bp.post("/espace/organisations/<int:organisation_id>/logo/supprimer")
@login_required
def remove_logo(organisation_id: int):
    organisation = organisation_for_member(organisation_id, owner=True)
    with unit_of_work():
        services.remove_logo(organisation, current_user)
    flash(_("Le logo est supprimé."), "success")
    return redirect(url_for(".edit", organisation_id=organisation.id))


@bp.get("/espace/organisations/<int:organisation_id>/membres")
@login_required
def members(organisation_id: int):
    organisation = organisation_for_member(organisation_id)
    return _render_members(organisation, InviteForm(formdata=None))


@bp.post("/espace/organisations/<int:organisation_id>/membres/inviter")
@login_required
@limiter.limit(_invitation_limit)
def invite(organisation_id: int):
    organisation = organisation_for_member(organisation_id, owner=True)
    form = InviteForm()
    if form.validate_on_submit():
        members_page = url_for(".members", organisation_id=organisation.id)
        with unit_of_work(form, replay_to=members_page) as work:
            submission = once.claim(form.form_key.data, "member_invitation", current_user)
            membership_services.invite(organisation, form.email.data,
                                       MemberRole(form.role.data), current_user)
            once.fulfil(submission, members_page)
        if work.done:
            flash(_("Une invitation a été envoyée à %(email)s.", email=form.email.data),
                  "success")
            return redirect(members_page)
    return _render_members(organisation, form)


def _render_members(organisation: Organisation, invite_form: InviteForm):
    memberships = membership_services.members_of(organisation)
    is_owner = organisation.role_of(current_user) == MemberRole.OWNER
    role_forms, invitations = {}, []
    if is_owner:
        invitations = membership_services.pending_invitations(organisation)
        for membership in memberships:
            role_form = RoleForm(formdata=None, prefix=f"m{membership.id}",
                                 data={"role": membership.role.value})
            role_form.role.label.text = _("Rôle %(of_name)s", of_name=of(membership.user.full_name))
            role_forms[membership.id] = role_form
    return render_template("organisations/members.html", organisation=organisation,
                           memberships=memberships, is_owner=is_owner, invitations=invitations,
                           invite_form=invite_form, role_forms=role_forms)


def _membership_or_404(organisation: Organisation, membership_id: int) -> Membership:
    membership = db.session.scalar(select(Membership).where(
        Membership.id == membership_id, Membership.organisation_id == organisation.id))
    if membership is None:
        abort(404)
    return membership


@bp.post("/espace/organisations/<int:organisation_id>/membres/<int:membership_id>/role")
@login_required
def change_role(organisation_id: int, membership_id: int):
    organisation = organisation_for_member(organisation_id, owner=True)
    membership = _membership_or_404(organisation, membership_id)
    form = RoleForm(prefix=f"m{membership.id}")
    if not form.validate_on_submit():
        flash(_("Choisissez un rôle dans la liste."), "error")
    else:
        _apply_member_change(membership_services.change_role, membership,
                             MemberRole(form.role.data), current_user)
    return redirect(url_for(".members", organisation_id=organisation.id))


@bp.post("/espace/organisations/<int:organisation_id>/membres/<int:membership_id>/retirer")
@login_required
def remove_member(organisation_id: int, membership_id: int):
    organisation = organisation_for_member(organisation_id, owner=True)
    membership = _membership_or_404(organisation, membership_id)
    leaving_self = membership.user_id == current_user.id
    if not _apply_member_change(membership_services.remove_member, membership, current_user):
        return redirect(url_for(".members", organisation_id=organisation.id))
    if leaving_self:
        return redirect(url_for(".space"))
    return redirect(url_for(".members", organisation_id=organisation.id))


def _apply_member_change(action, membership: Membership, *args) -> bool:
    name = membership.user.full_name
    with unit_of_work() as work:
        action(membership, *args)
    if work.done:
        flash(_("La modification concernant %(name)s est enregistrée.", name=name), "success")
    return work.done


@bp.route("/espace/invitations/<token>", methods=["GET", "POST"])
def accept_invitation(token: str):
    try:
        invitation = membership_services.invitation_from_token(token)
    except MembershipRefused as exc:
        return _invitation_page(None, exc)
    if not current_user.is_authenticated:
        flash(_("Connectez-vous avec l’adresse e-mail qui a reçu l’invitation. Pas encore "
                "de compte ? Créez-le avec cette adresse, puis rouvrez le lien de l’invitation."),
              "info")
        return redirect(url_for("accounts.login", next=request.path))
    if request.method == "GET":
        try:
            membership_services.check_invitation(invitation, current_user)
        except MembershipRefused as exc:
            return _invitation_page(invitation, exc)
        return _invitation_page(invitation, None)
    with unit_of_work(quiet=True) as work:  # the invitation's page says what went wrong
        membership_services.accept_invitation(invitation, current_user)
    if not work.done:
        return _invitation_page(invitation, work.error)
    flash(_("Vous êtes maintenant membre %(of_name)s.", of_name=of(invitation.organisation)),
          "success")
    return redirect(url_for(".detail", organisation_id=invitation.organisation_id))


def _invitation_page(invitation, problem: MembershipRefused | None):
    status = problem.status if problem else 200
    return render_template("organisations/invitation.html", invitation=invitation,
                           problem=problem), status
