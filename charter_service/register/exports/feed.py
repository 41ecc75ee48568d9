"""The Atom feed of the register's public status changes, read from the audit log.

Only what the register itself shows is published: the organisation's name and page, the kind of
change and when. Never who decided, why, nor anything about signatures that were never public.
"""

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import urlsplit

from flask import url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import String, and_, cast, or_, select

from ...audit.models import AuditEntry
from ...audit.services import canonical_json
from ...charters.models import CharterVersion
from ...commitments.progress import local_today
from ...commitments.reporting import status_of
from ...db_types import iso_utc, utcnow
from ...extensions import db
from ...organisations.models import Organisation
from ...signatures.models import Signature, SignatureStatus
from ..readmodel.models import RegisterEntry

ATOM = "http://www.w3.org/2005/Atom"
XML = "http://www.w3.org/XML/1998/namespace"
FEED_SIZE = 50
# The tag URI date: fixed forever so that identifiers never change (RFC 4151).
TAG_DATE = "2026"

PUBLIC_ACTIONS = ("signature.approve", "signature.suspend", "signature.reinstate",
                  "signature.withdraw")
# A withdrawal is public only when the signature was in the register (or suspended from it).
_WAS_PUBLIC = [canonical_json({"status": s.value})
               for s in (SignatureStatus.APPROVED, SignatureStatus.SUSPENDED)]


@dataclass(frozen=True)
class Change:
    seq: int
    action: str
    at: datetime
    name: str
    slug: str
    charter_version: int
    # The organisation's due date if it is in the register today: its entries say its
    # reporting status (today's, whatever the change's date).
    report_due_on: date | None = None


def latest_changes(limit: int = FEED_SIZE) -> list[Change]:
    """The latest public status changes of signatures, newest first."""
    rows = db.session.execute(
        select(AuditEntry.seq, AuditEntry.action, AuditEntry.created_at, Organisation.name,
               Organisation.slug, CharterVersion.number, RegisterEntry.report_due_on)
        .join(Signature, and_(AuditEntry.object_type == "signature",
                              AuditEntry.object_id == cast(Signature.id, String)))
        .join(Organisation, Organisation.id == Signature.organisation_id)
        .join(CharterVersion, CharterVersion.id == Signature.charter_version_id)
        .outerjoin(RegisterEntry, RegisterEntry.organisation_id == Organisation.id)
        .where(AuditEntry.action.in_(PUBLIC_ACTIONS),
               or_(AuditEntry.action != "signature.withdraw", AuditEntry.before.in_(_WAS_PUBLIC)))
        .order_by(AuditEntry.seq.desc()).limit(limit))
    return [Change(*row) for row in rows]


def _titles() -> dict[str, str]:
    return {
        "signature.approve": _("signature approuvée"),
        "signature.suspend": _("signature suspendue"),
        "signature.reinstate": _("signature rétablie"),
        "signature.withdraw": _("signature retirée"),
    }


def _summaries() -> dict[str, str]:
    return {
        "signature.approve": _("La signature de la charte (version %(version)s) a été approuvée "
                               "par la Fondation des Territoires : l’organisation figure au "
                               "registre."),
        "signature.suspend": _("La signature de la charte (version %(version)s) est suspendue : "
                               "l’organisation ne figure plus au registre pour le moment."),
        "signature.reinstate": _("La signature de la charte (version %(version)s) est rétablie : "
                                 "l’organisation figure de nouveau au registre."),
        "signature.withdraw": _("L’organisation a retiré sa signature de la charte (version "
                                "%(version)s) : elle ne figure plus au registre."),
    }


def _tag(base_url: str, specific: str) -> str:
    host = urlsplit(base_url).hostname or "localhost"
    return f"tag:{host},{TAG_DATE}:{specific}"


def _add(parent: ET.Element, tag: str, text: str | None = None, **attributes) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attributes)
    element.text = text
    return element


def render(changes: list[Change], *, base_url: str, self_url: str) -> bytes:
    ET.register_namespace("", ATOM)
    root = ET.Element(f"{{{ATOM}}}feed", {f"{{{XML}}}lang": str(get_locale())})
    _add(root, "id", _tag(base_url, "registre/changements"))
    _add(root, "title", _("Registre de la Charte du faire alliance : changements"))
    _add(root, "subtitle", _("Signatures approuvées, suspendues, rétablies ou retirées, "
                             "des plus récentes aux plus anciennes."))
    _add(root, "updated", iso_utc(changes[0].at if changes else utcnow()))
    _add(root, "link", rel="self", type="application/atom+xml", href=self_url)
    _add(root, "link", rel="alternate", type="text/html", href=base_url + "/registre")
    author = _add(root, "author")
    _add(author, "name", _("Fondation des Territoires"))
    _add(author, "uri", base_url + "/")
    _add(root, "rights", _("Licence Ouverte / Open Licence version 2.0 (Etalab)"))
    titles, summaries = _titles(), _summaries()
    today = local_today()
    for change in changes:
        entry = _add(root, "entry")
        _add(entry, "id", _tag(base_url, f"registre/changement/{change.seq}"))
        _add(entry, "title", _("%(label)s : %(message)s", label=change.name,
                                message=titles[change.action]))
        _add(entry, "updated", iso_utc(change.at))
        _add(entry, "link", rel="alternate", type="text/html",
             href=base_url + url_for("signatories.page", slug=change.slug))
        _add(entry, "category", term=change.action.removeprefix("signature."))
        summary = summaries[change.action] % {"version": change.charter_version}
        if change.report_due_on is not None:
            report = status_of(change.report_due_on, today)
            label = str(report.status.label)
            _add(entry, "category", term=report.status.value, label=label,
                 scheme=base_url + "/registre#bilan")
            summary += " " + _("Statut de bilan aujourd’hui : %(status)s.", status=label)
        _add(entry, "summary", summary)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
