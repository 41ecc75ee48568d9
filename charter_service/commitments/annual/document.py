"""What the signed « rapport annuel d'alliance » is rendered from: plain data, no ORM object
(the PDF helper in certificates receives and stores this dict)."""

from ...dates import local_date
from ..forms import format_amount
from ..models import PartnerStatus
from .models import AnnualReport, ReportMode


def document_data(report: AnnualReport) -> dict:
    organisation = report.organisation
    submitted_by = report.submitted_by
    return {
        "organisation": {"name": organisation.name, "kind": organisation.kind.value,
                         "kind_label": str(organisation.kind.label),
                         "identifier": organisation.legal_identifier},
        "period": report.period,
        "submitted_on": local_date(report.submitted_at).isoformat()
        if report.submitted_at else None,
        "submitted_by": submitted_by.full_name if submitted_by else "",
        "mode": report.mode.value,
        "document": ({"filename": report.document_filename, "sha256": report.document_sha256}
                     if report.mode == ReportMode.UPLOAD else None),
        "sections": [_section(section) for section in report.sections
                     if report.mode == ReportMode.FORM],
    }


def _section(section) -> dict:
    commitment = section.commitment
    status = section.status_change or commitment.status
    values = {v.indicator_id: v.value for v in section.values}
    return {
        "commitment": commitment.title,
        "principles": [p.code for p in commitment.principles],
        "status": status.value, "status_label": str(status.label),
        "text": section.text,
        "values": [{"name": i.name, "unit": i.unit,
                    "value": format_amount(values.get(i.id)) if i.id in values else None,
                    "target": format_amount(i.target) if i.target is not None else None}
                   for i in commitment.indicators],
        "evidence": {"url": section.evidence_url, "file": section.evidence_filename},
        "partners": [p.display_name for p in commitment.partners
                     if p.status in (None, PartnerStatus.CONFIRMED)],
    }
