"""What a commitment mobilises and produces, and the SDG targets it aims at (models.py holds
the commitment): resources by kind with their limits, deliverables, and the targets under the
goals it chose."""

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, ForeignKeyConstraint, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from ..db_types import AMOUNT, str_enum
from ..enums import LabelledEnum
from ..extensions import db


class ResourceKind(LabelledEnum):
    BUDGET = "budget"
    IN_KIND = "in_kind"
    SKILLS_DAYS = "skills_days"
    VOLUNTEERS = "volunteers"
    __labels__ = {"budget": _l("budget"), "in_kind": _l("apport en nature"),
                  "skills_days": _l("jours de compétences"), "volunteers": _l("bénévoles")}


# What a commitment may mobilise, per kind: amounts under these (euros, days, persons), with
# at most these decimals (cents, half days, whole persons). The check constraint repeats them.
RESOURCE_LIMITS = {ResourceKind.BUDGET: Decimal(10) ** 10, ResourceKind.IN_KIND: Decimal(10) ** 10,
                   ResourceKind.SKILLS_DAYS: Decimal(10) ** 6,
                   ResourceKind.VOLUNTEERS: Decimal(10) ** 6}
RESOURCE_DECIMALS = {ResourceKind.BUDGET: 2, ResourceKind.IN_KIND: 2,
                     ResourceKind.SKILLS_DAYS: 1, ResourceKind.VOLUNTEERS: 0}
RESOURCE_DESCRIPTION_MAX = 200
DELIVERABLE_MAX = 200


class CommitmentSdgTarget(db.Model):
    """A target (« 12.3 ») under a goal the commitment chose: the foreign key to the goal's
    link makes a target without its goal impossible, the check a target of another goal."""

    __tablename__ = "commitment_sdg_targets"
    __table_args__ = (
        ForeignKeyConstraint(["commitment_id", "sdg"],
                             ["commitment_sdgs.commitment_id", "commitment_sdgs.sdg"],
                             ondelete="CASCADE", name="fk_commitment_sdg_targets_goal"),
        CheckConstraint("target LIKE CAST(sdg AS VARCHAR(2)) || '.%'", name="target_of_goal"),
    )

    commitment_id: Mapped[int] = mapped_column(primary_key=True)
    sdg: Mapped[int] = mapped_column(SmallInteger)
    target: Mapped[str] = mapped_column(String(5), primary_key=True)


class CommitmentResource(db.Model):
    """What a commitment mobilises: euros of budget or in kind, days of skills, volunteers."""

    __tablename__ = "commitment_resources"
    __table_args__ = (
        CheckConstraint(
            "amount > 0 AND ((kind IN ('budget', 'in_kind') AND amount < 10000000000)"
            " OR (kind IN ('skills_days', 'volunteers') AND amount < 1000000))",
            name="amount_in_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    commitment_id: Mapped[int] = mapped_column(
        ForeignKey("commitments.id", ondelete="CASCADE"), index=True)
    kind: Mapped[ResourceKind] = mapped_column(str_enum(ResourceKind, "resource_kind"))
    amount: Mapped[Decimal] = mapped_column(AMOUNT)
    description: Mapped[str] = mapped_column(String(RESOURCE_DESCRIPTION_MAX), default="")
    position: Mapped[int] = mapped_column(default=0)


class CommitmentDeliverable(db.Model):
    """Something the commitment will produce, in a short line (« un guide des achats »)."""

    __tablename__ = "commitment_deliverables"
    __table_args__ = (CheckConstraint("text <> ''", name="text_not_empty"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    commitment_id: Mapped[int] = mapped_column(
        ForeignKey("commitments.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(String(DELIVERABLE_MAX))
    position: Mapped[int] = mapped_column(default=0)
