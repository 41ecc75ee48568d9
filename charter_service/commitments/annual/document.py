"""What the signed « rapport annuel d'alliance » is rendered from: plain data, no ORM object
(certificates.report_documents receives it, in the format its docstring gives, and stores it).
The document is French whatever the submitting member's language."""

from io import BytesIO

import pikepdf
from flask_babel import force_locale

from ...dates import local_date
from ...links import external_url
from ..forms import format_amount
from ..models import PartnerStatus
from .models import AnnualReport, ReportMode


def document_data(report: AnnualReport) -> dict:
    with force_locale("fr"):
        organisation = report.organisation
        submitted_by = report.submitted_by
        upload = report.mode == ReportMode.UPLOAD
        return {
            "organisation": {"name": organisation.name, "kind": organisation.kind.value,
                             "kind_label": str(organisation.kind.label),
                             "identifier": organisation.legal_identifier,
                             "commune": organisation.commune or ""},
            "period": report.period,
            "submitted_on": local_date(report.submitted_at).isoformat()
            if report.submitted_at else None,
            "submitted_by": submitted_by.full_name if submitted_by else "",
            "mode": report.mode.value,
            "sections": [] if upload else [_section(s) for s in report.sections if s.text],
            "upload": {"filename": report.document_filename, "sha256": report.document_sha256,
                       "pages": _pages(report.document_pdf)} if upload else None,
            "report_url": external_url("signatories.page", slug=organisation.slug),
        }


def _section(section) -> dict:
    commitment = section.commitment
    status = section.status_change or commitment.status
    values = {v.indicator_id: v.value for v in section.values}
    return {
        "commitment": commitment.title,
        "principles": [p.code for p in commitment.principles],
        "status": str(status.label), "status_code": status.value,
        "text": section.text,
        "values": [{"name": i.name, "unit": i.unit, "value": format_amount(values[i.id]),
                    "target": f"{format_amount(i.target)} {i.unit}".strip()
                    if i.target is not None else ""}
                   for i in commitment.indicators if i.id in values],
        "evidence": section.evidence_url or section.evidence_filename or "",
        "partners": [p.display_name for p in commitment.partners
                     if p.status in (None, PartnerStatus.CONFIRMED)],
    }


def _pages(pdf: bytes | None) -> int:
    """The uploaded report was checked readable on upload."""
    if not pdf:
        return 0
    with pikepdf.open(BytesIO(pdf)) as document:
        return len(document.pages)
