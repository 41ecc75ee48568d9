"""Demo commitments: recorded through the commitments services, then dated into the past.

An organisation that already has a commitment is skipped, so loading twice adds nothing. Like the
rest of the loader, this only flushes; the `demo load` command commits once.
"""

from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select

from ..accounts.models import User
from ..charters.models import CharterVersion
from ..commitments import partners, progress
from ..commitments.means import ResourceKind
from ..commitments.models import Category, Commitment, CommitmentStatus, Domain, Scale, Visibility
from ..commitments.services import (
    CommitmentData,
    IndicatorData,
    ResourceData,
    create_commitment,
    is_signatory,
    signed_version,
)
from ..extensions import db
from ..mailing.models import OutboxMessage
from ..organisations.models import MemberRole, Organisation


def load_commitments(entries: dict[str, list[dict]], now: datetime) -> int:
    """Record the commitments of the YAML `commitments:` section; returns how many were created."""
    return _CommitmentLoader(now).load(entries or {})


class _CommitmentLoader:
    def __init__(self, now: datetime) -> None:
        self.now = now
        self.created = 0

    def load(self, entries: dict[str, list[dict]]) -> int:
        for slug, commitments in entries.items():
            organisation = _organisation(slug)
            if organisation is None or _has_commitments(organisation):
                continue
            version = signed_version(organisation)
            if version is None:
                continue
            owner = _owner(organisation)
            for entry in commitments:
                self._commitment(organisation, owner, version, entry)
        return self.created

    def _commitment(self, organisation: Organisation, owner: User, version: CharterVersion,
                    entry: dict) -> None:
        indicators = entry.get("indicators", [])
        data = CommitmentData(
            title=entry["title"], description=entry["description"].strip(),
            category=Category(entry["category"]),
            principle_ids=_principle_ids(version, entry["principles"]),
            scale=Scale(entry["scale"]), start_on=self._date(entry["start"]),
            end_on=self._date(entry["end"]) if entry.get("end") is not None else None,
            status=CommitmentStatus(entry.get("status", "planned")),
            visibility=Visibility(entry.get("visibility", "public")),
            sdgs=entry.get("sdgs", []), domains=[Domain(d) for d in entry.get("domains", [])],
            indicators=[IndicatorData(name=i["name"], unit=i.get("unit", ""),
                                      target=_amount(i.get("target")))
                        for i in indicators],
            target_on=self._date(entry["target"]) if entry.get("target") is not None else None,
            sdg_targets=[str(code) for code in entry.get("sdg_targets", [])],
            resources=[ResourceData(kind=ResourceKind(r["kind"]), amount=_amount(r["amount"]),
                                    description=r.get("description", ""))
                       for r in entry.get("resources", [])],
            deliverables=list(entry.get("deliverables", [])))
        commitment = create_commitment(organisation, data, owner)
        # Recorded when it started, or a few days ago for a commitment that starts later.
        recorded_at = self._moment(max(entry["start"], 5))
        commitment.created_at = commitment.updated_at = recorded_at
        for slug in entry.get("partners", []):
            self._partner(commitment, owner, slug, recorded_at)
        for name in entry.get("outside", []):
            partners.add_outside_partner(commitment, name, owner).invited_at = recorded_at
        for update in entry.get("updates", []):
            self._update(commitment, owner, update)
        db.session.flush()
        self.created += 1

    @staticmethod
    def _partner(commitment: Commitment, owner: User, slug: str, invited_at: datetime) -> None:
        """A demo signatory invited, who confirms three days later."""
        partner = _organisation(slug)
        if partner is None or not is_signatory(partner.id):
            return
        row = partners.invite_partner(commitment, partner.id, owner)
        # The invitation e-mail would go to a fictional address about a partnership that is
        # accepted at once: drop it before it is flushed.
        for pending in [o for o in db.session.new if isinstance(o, OutboxMessage)]:
            db.session.expunge(pending)
        partners.decide(row, True, _owner(partner))
        row.invited_at = invited_at
        row.decided_at = invited_at + timedelta(days=3, hours=2)

    def _update(self, commitment: Commitment, owner: User, entry: dict) -> None:
        indicator_ids = [indicator.id for indicator in commitment.indicators]
        values = {indicator_id: _amount(value)
                  for indicator_id, value in zip(indicator_ids, entry["values"], strict=True)
                  if value is not None}
        update = progress.add_progress(commitment, progress.ProgressData(
            reported_on=self._date(entry["filed"]), text=entry["text"].strip(),
            evidence_url=entry.get("evidence", ""), values=values), owner)
        # The reporting clock counts the day an update was filed: date the history explicitly.
        update.created_at = self._moment(entry["filed"])

    def _moment(self, days_ago: int) -> datetime:
        return (self.now - timedelta(days=days_ago)).replace(hour=10, minute=15, second=0,
                                                              microsecond=0)

    def _date(self, days_ago: int) -> date:
        return self._moment(days_ago).date()


def _organisation(slug: str) -> Organisation | None:
    return db.session.scalar(select(Organisation).where(Organisation.slug == slug))


def _has_commitments(organisation: Organisation) -> bool:
    return db.session.scalar(select(Commitment.id).where(
        Commitment.organisation_id == organisation.id).limit(1)) is not None


def _owner(organisation: Organisation) -> User:
    return next(m.user for m in organisation.memberships if m.role == MemberRole.OWNER)


def _principle_ids(version: CharterVersion, codes: list[str]) -> list[int]:
    """The principles named by code; a version without those codes gets its first principle."""
    by_code = {principle.code: principle.id for principle in version.principles}
    return [by_code[code] for code in codes if code in by_code] or [version.principles[0].id]


def _amount(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))
