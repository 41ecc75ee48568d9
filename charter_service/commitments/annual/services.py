"""Open, save, upload and submit an annual report. Functions take the acting user and only
flush; a save or a submission that lost a race says so instead of overwriting."""

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from ... import signals
from ...accounts.models import User
from ...audit import services as audit
from ...certificates.report_documents import issue_report_document
from ...db_types import utcnow
from ...domain import DomainError
from ...extensions import db
from ...links import external_url
from ...organisations.models import Organisation
from ..mails import mail_owners
from ..models import (
    Commitment,
    CommitmentStatus,
    IndicatorValue,
    PartnerStatus,
    ProgressUpdate,
)
from ..progress import check_evidence_url, local_today
from ..services import check_amount, is_signatory
from .document import document_data
from .models import AnnualReport, AnnualReportStatus, ReportMode, ReportSection, SectionValue

# Values beyond this are taken for a typing slip (« absurde »): the form says so.
VALUE_LIMIT = Decimal(10) ** 9
TEXT_MAX = 10000


class ReportError(DomainError):
    """Input the report refuses, with the field it belongs beside."""


class SectionConflict(DomainError):
    """Someone saved the section since this form was shown: `section` is their version."""

    def __init__(self, section: ReportSection) -> None:
        super().__init__(_l("Quelqu’un a modifié cette section entre-temps."))
        self.section = section


@dataclass
class SectionData:
    revision: int
    text: str = ""
    status_change: CommitmentStatus | None = None
    evidence_url: str = ""
    values: dict[int, Decimal | None] = field(default_factory=dict)
    evidence_pdf: bytes | None = None
    evidence_filename: str | None = None
    remove_evidence_file: bool = False


def open_periods(today) -> list[int]:
    """A report may be written for this year and for the last one (filed early next year)."""
    return [today.year, today.year - 1]


def report_of(organisation: Organisation, period: int) -> AnnualReport | None:
    return db.session.scalar(select(AnnualReport).where(
        AnnualReport.organisation_id == organisation.id, AnnualReport.period == period))


def reported_commitments(organisation: Organisation) -> list[Commitment]:
    """The commitments a report speaks of: not abandoned, not hidden by the moderators."""
    return list(db.session.scalars(
        select(Commitment).where(Commitment.organisation_id == organisation.id,
                                 Commitment.hidden_at.is_(None),
                                 Commitment.status != CommitmentStatus.ABANDONED)
        .order_by(Commitment.created_at, Commitment.id)))


def open_report(organisation: Organisation, period: int, user: User) -> AnnualReport:
    """The draft of that year, created with one section per commitment, each pre-filled with
    its indicators' latest values. Opening it twice (two members at once) gives one report."""
    if not is_signatory(organisation.id):
        raise ReportError(_l("Seule une organisation signataire de la charte rédige un "
                             "bilan annuel."))
    existing = report_of(organisation, period)
    if existing is not None:
        return existing
    report = AnnualReport(organisation_id=organisation.id, period=period,
                          created_by_id=user.id)
    for commitment in reported_commitments(organisation):
        latest = commitment.latest_values()
        report.sections.append(ReportSection(
            commitment=commitment, updated_by_id=user.id,
            values=[SectionValue(indicator_id=i.id, value=latest[i.id].value)
                    for i in commitment.indicators if i.id in latest]))
    try:
        with db.session.begin_nested():
            db.session.add(report)
    except IntegrityError:  # opened by another member meanwhile
        found = report_of(organisation, period)
        if found is None:
            raise
        return found
    return report


def _require_draft(report: AnnualReport) -> None:
    """Lock the report row while it is a draft: a submission and a save take turns."""
    done = db.session.execute(
        update(AnnualReport).where(AnnualReport.id == report.id,
                                   AnnualReport.status == AnnualReportStatus.DRAFT)
        .values(status=AnnualReportStatus.DRAFT).execution_options(synchronize_session=False))
    if done.rowcount != 1:
        raise ReportError(_l("Ce bilan est déjà déposé : il ne peut plus être modifié."))


def check_section(section: ReportSection, data: SectionData) -> SectionData:
    """The section's rules; the values of indicators of its commitment only."""
    text = (data.text or "").strip()
    if len(text) > TEXT_MAX:
        raise ReportError(_l("%(n)s caractères au plus.", n="10 000"), "text")
    url = check_evidence_url(data.evidence_url)
    if url.startswith("http://"):
        raise ReportError(_l("Indiquez une adresse sécurisée, commençant par https://."),
                          "evidence_url")
    indicators = {indicator.id for indicator in section.commitment.indicators}
    if set(data.values) - indicators:
        raise ReportError(_l("Cet indicateur n’appartient pas à cet engagement."))
    for indicator_id, value in data.values.items():
        name = f"value_{indicator_id}"
        if value is None:
            continue
        check_amount(value, name)
        if value < 0:
            raise ReportError(_l("Indiquez un nombre positif ou nul."), name)
        if value >= VALUE_LIMIT:
            raise ReportError(_l("Ce nombre paraît trop grand : vérifiez-le (un milliard au "
                                 "plus)."), name)
    if data.status_change == CommitmentStatus.ABANDONED and not text:
        raise ReportError(_l("Dites en quelques mots pourquoi l’engagement est abandonné."),
                          "text")
    data.text, data.evidence_url = text, url
    return data


def save_section(section: ReportSection, data: SectionData, user: User) -> ReportSection:
    """Write the section if nobody saved it since `data.revision`, else SectionConflict.

    One conditional UPDATE on the revision: of two saves at once, one matches the row, the
    other (waiting on its lock, or on SQLite's write lock) then finds the revision moved."""
    report = section.report
    _require_draft(report)
    data = check_section(section, data)
    values = {"text": data.text, "status_change": data.status_change,
              "evidence_url": data.evidence_url, "revision": ReportSection.revision + 1,
              "updated_at": utcnow(), "updated_by_id": user.id}
    if data.evidence_pdf is not None:
        values |= {"evidence_pdf": data.evidence_pdf, "evidence_filename": data.evidence_filename,
                   "evidence_sha256": hashlib.sha256(data.evidence_pdf).hexdigest()}
    elif data.remove_evidence_file:
        values |= {"evidence_pdf": None, "evidence_filename": None, "evidence_sha256": None}
    done = db.session.execute(
        update(ReportSection).where(ReportSection.id == section.id,
                                    ReportSection.revision == data.revision)
        .values(**values).execution_options(synchronize_session=False))
    if done.rowcount != 1:
        db.session.expire(section)
        raise SectionConflict(section)
    db.session.execute(delete(SectionValue).where(SectionValue.section_id == section.id))
    db.session.add_all(SectionValue(section_id=section.id, indicator_id=indicator_id, value=value)
                       for indicator_id, value in data.values.items() if value is not None)
    db.session.flush()
    db.session.expire(section)
    return section


def upload_document(report: AnnualReport, pdf: bytes, filename: str, user: User) -> None:
    """Replace the form by an existing report (checked by the form: a plain PDF)."""
    _require_draft(report)
    report.mode = ReportMode.UPLOAD
    report.document_pdf, report.document_filename = pdf, filename
    report.document_sha256 = hashlib.sha256(pdf).hexdigest()
    db.session.flush()


def back_to_form(report: AnnualReport, user: User) -> None:
    _require_draft(report)
    report.mode = ReportMode.FORM
    report.document_pdf = report.document_filename = report.document_sha256 = None
    db.session.flush()


def submit(report: AnnualReport, user: User) -> list[ReportSection]:
    """Freeze the report; each written section becomes a progress update of its commitment
    (dated the Paris day of submission) and its status change is applied. Of two submissions
    at once, one wins: the other finds the report no longer a draft."""
    won = db.session.execute(
        update(AnnualReport).where(AnnualReport.id == report.id,
                                   AnnualReport.status == AnnualReportStatus.DRAFT)
        .values(status=AnnualReportStatus.SUBMITTED, submitted_at=utcnow(), submitted_by_id=user.id)
        .execution_options(synchronize_session=False))
    if won.rowcount != 1:
        raise ReportError(_l("Ce bilan est déjà déposé."))
    db.session.expire_all()  # read the sections as the last save left them, under the lock
    if report.mode == ReportMode.FORM and not any(s.text.strip() for s in report.sections):
        raise ReportError(_l("Rédigez au moins une section, ou déposez un rapport existant, "
                             "avant de déposer le bilan."))
    if report.mode == ReportMode.UPLOAD and report.document_sha256 is None:
        raise ReportError(_l("Déposez le rapport au format PDF avant de déposer le bilan."))
    filed = _file_sections(report, user) if report.mode == ReportMode.FORM else []
    audit.record("annual_report.submit", "annual_report", report.id, actor=user,
                 before={"status": "draft"},
                 after={"status": "submitted", "period": report.period,
                        "mode": report.mode.value, "sections": len(filed)})
    for commitment in {s.commitment_id: s.commitment for s in report.sections}.values():
        signals.commitment_changed.send(commitment, actor=user)  # the reporting date moved
    signals.report_filed.send(report.organisation, actor=user)
    _ask_partners(report, filed)
    # Reserved in this transaction, rendered and signed by a job once it commits.
    report.document_number = issue_report_document(
        report.organisation, period=report.period, data=document_data(report),
        actor=user).number
    db.session.flush()
    return filed


def _file_sections(report: AnnualReport, user: User) -> list[ReportSection]:
    today, filed = local_today(), []
    for section in report.sections:
        commitment = section.commitment
        if section.status_change is not None:
            commitment.status = section.status_change
        if not section.text.strip():
            continue
        update_row = ProgressUpdate(
            reported_on=today, text=section.text, evidence_url=section.evidence_url,
            created_by=user,
            values=[IndicatorValue(indicator_id=v.indicator_id, value=v.value)
                    for v in section.values])
        commitment.updates.append(update_row)
        section.progress_update = update_row
        filed.append(section)
    db.session.flush()
    return filed


def concerned_partners(sections: list[ReportSection]) -> dict[int, Organisation]:
    return {p.organisation_id: p.organisation for s in sections for p in s.commitment.partners
            if p.status == PartnerStatus.CONFIRMED and p.organisation is not None}


def _ask_partners(report: AnnualReport, filed: list[ReportSection]) -> None:
    for partner in concerned_partners(filed).values():
        mail_owners(partner, "annual_report_partner", reporter=report.organisation.name,
                    period=report.period,
                    link=external_url("commitments.partner_report", organisation_id=partner.id,
                                      report_id=report.id))


def sections_for_partner(report: AnnualReport, partner: Organisation) -> list[ReportSection]:
    """The submitted report's sections on commitments where `partner` is a confirmed partner."""
    if report.status != AnnualReportStatus.SUBMITTED:
        return []
    return [s for s in report.sections if s.progress_update is not None
            and any(p.organisation_id == partner.id and p.status == PartnerStatus.CONFIRMED
                    for p in s.commitment.partners)]


def submitted_reports(organisation: Organisation) -> list[AnnualReport]:
    return list(db.session.scalars(
        select(AnnualReport).where(AnnualReport.organisation_id == organisation.id,
                                   AnnualReport.status == AnnualReportStatus.SUBMITTED)
        .order_by(AnnualReport.period.desc())))


def last_submitted_at(organisation_id: int) -> datetime | None:
    return db.session.scalar(
        select(AnnualReport.submitted_at).where(AnnualReport.organisation_id == organisation_id,
                                                AnnualReport.status == AnnualReportStatus.SUBMITTED)
        .order_by(AnnualReport.submitted_at.desc()).limit(1))
