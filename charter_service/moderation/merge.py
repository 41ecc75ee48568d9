"""Merge two records of the same organisation: everything moves to the one the moderator keeps."""

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import UniqueConstraint, delete, func, select, tuple_, update

from .. import signals
from ..accounts.models import User
from ..audit import services as audit
from ..certificates import report_documents
from ..commitments.services import drop_own_partnerships
from ..domain import DomainError
from ..extensions import db
from ..organisations.models import Invitation, MemberRole, Membership, Organisation
from ..signatures.models import LIVE_STATUSES, Signature

# Handled one by one below; any other table pointing at organisations (commitments, partners…)
# is moved by an update of its foreign key. The removed organisation's name bigrams go with it.
_MOVED_BY_HAND = frozenset({"memberships", "signatures", "invitations", "organisation_name_grams"})


class MergeRefused(DomainError):
    """The message says why, in French, and what to do first."""


@dataclass(frozen=True)
class Holdings:
    members: int
    signatures: int
    invitations: int

    def as_dict(self) -> dict:
        return {"members": self.members, "signatures": self.signatures,
                "invitations": self.invitations}


def holdings(organisation: Organisation) -> Holdings:
    def count(model, column):
        return db.session.scalar(
            select(func.count()).select_from(model).where(column == organisation.id))

    return Holdings(count(Membership, Membership.organisation_id),
                    count(Signature, Signature.organisation_id),
                    count(Invitation, Invitation.organisation_id))


def live_conflicts(keep: Organisation, remove: Organisation) -> list[tuple[Signature, Signature]]:
    """Pairs of live signatures of both organisations on the same charter version."""
    live = {}
    for signature in db.session.scalars(
            select(Signature).where(Signature.organisation_id.in_((keep.id, remove.id)),
                                    Signature.status.in_(LIVE_STATUSES))):
        live.setdefault(signature.charter_version_id, {})[signature.organisation_id] = signature
    return [(pair[keep.id], pair[remove.id]) for pair in live.values() if len(pair) == 2]


def merge_organisations(keep: Organisation, remove: Organisation, actor: User) -> dict:
    """Move members, signatures, invitations and other records, then delete `remove`.

    Returns the counts recorded in the audit entry. Flushes only.
    """
    if keep.id == remove.id:
        raise MergeRefused(_("Choisissez deux organisations différentes."))
    _lock(keep, remove)
    conflicts = live_conflicts(keep, remove)
    if conflicts:
        raise MergeRefused(_conflict_message(conflicts))
    before = {"kept_id": keep.id, "removed_id": remove.id,
              "kept": holdings(keep).as_dict(), "removed": holdings(remove).as_dict()}
    moved = _move_memberships(keep, remove)
    moved["signatures_moved"] = _move(Signature, keep, remove)
    moved["invitations_moved"] = _move(Invitation, keep, remove)
    # One valid « rapport annuel d’alliance » per organisation and period, after the move too.
    superseded = report_documents.supersede_for_merge(keep, remove, actor=actor)
    if superseded:
        moved["report_documents_superseded"] = superseded
    moved.update(_move_other_references(keep, remove))
    moved.update(drop_own_partnerships(keep))
    db.session.flush()
    after = {"kept_id": keep.id, "removed_id": remove.id, **holdings(keep).as_dict(), **moved}
    audit.record("organisation.merge", "organisation", keep.id, actor=actor, before=before,
                 after=after, reason="duplicate",
                 personal={"kept": keep.name, "removed": remove.name})
    removed_id = remove.id
    db.session.delete(remove)
    db.session.flush()
    # Attestations of the moved signatures are re-issued; the register follows both rows.
    signals.organisations_merged.send(keep, removed_id=removed_id, actor=actor)
    return after


def _lock(*organisations: Organisation) -> None:
    """On PostgreSQL, a submission for either organisation waits for the merge to finish."""
    ids = sorted(o.id for o in organisations)
    db.session.execute(select(Organisation.id).where(Organisation.id.in_(ids))
                       .order_by(Organisation.id).with_for_update())


def _conflict_message(conflicts: list[tuple[Signature, Signature]]) -> str:
    details = "; ".join(
        _("version %(number)s : signature n° %(kept)s (%(kept_status)s) et signature n° "
          "%(removed)s (%(removed_status)s)", number=kept.charter_version.number, kept=kept.id,
          kept_status=kept.status.label, removed=removed.id,
          removed_status=removed.status.label)
        for kept, removed in conflicts)
    return _("Fusion impossible : les deux organisations ont chacune une signature en cours "
             "pour la même version de la charte (%(details)s). Décidez d’abord de l’une "
             "d’elles (par exemple en refusant la signature en double), puis recommencez.",
             details=details)


def _move_memberships(keep: Organisation, remove: Organisation) -> dict:
    """A person in both keeps one membership, with the stronger role."""
    kept = {m.user_id: m for m in keep.memberships}
    moved = merged = 0
    for membership in list(remove.memberships):
        existing = kept.get(membership.user_id)
        if existing is None:
            membership.organisation = keep
            moved += 1
        else:
            if membership.role == MemberRole.OWNER:
                existing.role = MemberRole.OWNER
            remove.memberships.remove(membership)
            merged += 1
    return {"members_moved": moved, "memberships_merged": merged}


def _move(model, keep: Organisation, remove: Organisation) -> int:
    """Row by row through the ORM, so that each signature's lock version moves too."""
    rows = list(db.session.scalars(select(model).where(model.organisation_id == remove.id)))
    for row in rows:
        row.organisation = keep
    return len(rows)


def _move_other_references(keep: Organisation, remove: Organisation) -> dict:
    moved = {}
    for table in db.metadata.sorted_tables:
        if table.name in _MOVED_BY_HAND:
            continue
        for key in table.foreign_keys:
            if key.column.table is not Organisation.__table__:
                continue
            column = key.parent
            merged = _drop_duplicates(table, column, keep.id, remove.id)
            result = db.session.execute(
                update(table).where(column == remove.id).values({column.name: keep.id}))
            if result.rowcount or merged:
                moved[f"{table.name}_moved"] = result.rowcount
                moved[f"{table.name}_merged"] = merged
    return moved


def _drop_duplicates(table, column, keep_id: int, remove_id: int) -> int:
    """Rows of the removed organisation that a unique constraint forbids next to the kept
    organisation's (the same partner of one commitment twice…): the kept row stays."""
    dropped = 0
    for constraint in table.constraints:
        if not isinstance(constraint, UniqueConstraint) or column.name not in constraint.columns:
            continue
        others = [c for c in constraint.columns if c is not column]
        if others:
            kept = select(*others).where(column == keep_id)
            dropped += db.session.execute(
                delete(table).where(column == remove_id, tuple_(*others).in_(kept))).rowcount
    return dropped
