"""The register as JSON: the same selections as /registre, paginated with Link headers."""

import json

from flask import Response, abort
from flask_babel import force_locale
from flask_smorest import Blueprint
from marshmallow import Schema, fields
from sqlalchemy import select

from ..certificates.models import Certificate
from ..commitments.models import Category, Commitment
from ..commitments.progress import local_today
from ..commitments.queries import publicly_visible
from ..commitments.reporting import ReportStatus, status_of
from ..dates import local_date
from ..extensions import db
from ..links import external_url
from ..organisations.models import Organisation, OrganisationKind
from ..public.standing import Standing, standing
from ..register import queries
from ..register.readmodel.models import RegisterEntry
from ..register.selection import SelectionSchema
from .pagination import LINK_HEADER_DOC, link_header
from .schemas import ApiErrorSchema, page_query_schema

blp = Blueprint("api_signatories", __name__,
                description="Les signataires de la charte : les organisations dont la signature "
                            "a été approuvée (le registre)")

MAX_PER_PAGE = 100
# Pages are read by keyset, so a deep page is cheap; the bound only refuses absurd numbers.
MAX_PAGE = 100_000
KINDS = [k.value for k in OrganisationKind]


# Which page of the selection; the selection itself is register.selection's schema.
PageQuerySchema = page_query_schema(
    MAX_PAGE, MAX_PER_PAGE, "de signataires",
    "numéro de la page, à partir de 1 ; au-delà de la dernière, la liste est vide")


class SignatorySchema(Schema):
    """A register row, fields in the order of the CSV columns (see /registre/schema.json)."""

    name = fields.String(required=True, metadata={"description": "nom de l’organisation"})
    slug = fields.String(required=True, metadata={
        "description": "identifiant stable, jamais réattribué"})
    kind = fields.String(required=True, metadata={"enum": KINDS,
                                                  "description": "type d’organisation"})
    siren = fields.String(required=True, allow_none=True, metadata={
        "description": "SIREN (9 chiffres), null si l’organisation n’en a pas"})
    commune = fields.String(required=True)
    departement_code = fields.String(required=True, metadata={
        "description": "code du département", "example": "69"})
    region_code = fields.String(required=True, metadata={
        "description": "code INSEE de la région", "example": "84"})
    charter_version = fields.Integer(required=True, metadata={
        "description": "version de la charte signée"})
    signed_on = fields.Date(required=True, metadata={
        "description": "date d’approbation de la signature"})
    certificate_number = fields.String(required=True, allow_none=True, metadata={
        "description": "numéro de l’attestation en vigueur", "example": "CFA-2026-000123"})
    public_commitments = fields.Integer(required=True, metadata={
        "description": "nombre d’engagements publics"})
    url = fields.String(required=True, metadata={
        "description": "adresse de la page publique de l’organisation"})
    report_status = fields.String(required=True, metadata={
        "enum": [s.value for s in ReportStatus],
        "description": "statut de bilan aujourd’hui : a-jour, attendu (dans les 30 jours "
                       "avant l’échéance), en-retard (échéance passée), non-communicant "
                       "(échéance passée depuis plus de 12 mois)"})
    report_status_label = fields.String(required=True, metadata={
        "description": "le statut de bilan en français", "example": "à jour"})
    report_due_on = fields.Date(required=True, metadata={
        "description": "date à laquelle le prochain bilan est attendu"})
    report_status_since = fields.Date(required=True, allow_none=True, metadata={
        "description": "depuis quand le signataire est en retard ou non communicant (null "
                       "sinon)"})


class SignatoryPageSchema(Schema):
    items = fields.List(fields.Nested(SignatorySchema), required=True)
    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)
    total = fields.Integer(required=True, metadata={
        "description": "nombre de signataires de la sélection"})
    pages = fields.Integer(required=True, metadata={"description": "nombre de pages (au moins 1)"})


class CommitmentSummarySchema(Schema):
    id = fields.Integer(required=True)
    title = fields.String(required=True)
    category = fields.String(required=True, metadata={"enum": [c.value for c in Category]})
    url = fields.String(required=True, metadata={
        "description": "l’engagement sur la page publique de l’organisation"})


class SignatoryCertificateSchema(Schema):
    number = fields.String(required=True, metadata={"example": "CFA-2026-000123"})
    status = fields.String(required=True, metadata={
        "enum": ["issuing", "valid", "revoked", "superseded"]})
    issued_at = fields.DateTime(required=True)
    url = fields.String(required=True, metadata={
        "description": "statut détaillé : /api/v1/certificates/<numéro>"})
    verify_url = fields.String(required=True, metadata={
        "description": "page de vérification de l’attestation"})


class SignatoryDetailSchema(SignatorySchema):
    certificate = fields.Nested(SignatoryCertificateSchema, required=True, allow_none=True,
                                metadata={"description": "l’attestation en vigueur"})
    commitments = fields.List(fields.Nested(CommitmentSummarySchema), required=True, metadata={
        "description": "ses engagements publics ; le détail est dans /api/v1/commitments"
                       "?organisation=<slug>"})
    commitments_url = fields.String(required=True)


class FormerSignatorySchema(Schema):
    """An organisation that was a signatory and no longer is (suspended or withdrawn)."""

    name = fields.String(required=True)
    slug = fields.String(required=True)
    status = fields.String(required=True, metadata={
        "enum": ["suspended", "withdrawn"],
        "description": "suspended : signature suspendue ; withdrawn : signature retirée"})
    status_since = fields.Date(required=True, metadata={
        "description": "date de la suspension ou du retrait"})
    public_notice = fields.String(required=True, allow_none=True, metadata={
        "description": "la mention publique de la suspension ou du retrait, choisie dans une "
                       "liste (jamais le motif privé)"})
    charter_version = fields.Integer(required=True, metadata={
        "description": "version de la charte qui avait été signée"})
    signed_on = fields.Date(required=True, allow_none=True, metadata={
        "description": "date d’approbation de cette signature"})
    certificate = fields.Nested(SignatoryCertificateSchema, required=True, allow_none=True,
                                metadata={"description": "sa dernière attestation (révoquée)"})
    url = fields.String(required=True, metadata={
        "description": "adresse de sa page publique, qui dit la même chose"})


class FormerSignatoryErrorSchema(ApiErrorSchema):
    former_signatory = fields.Nested(FormerSignatorySchema, required=True)


def _ordered_json(schema: Schema, data: dict, headers: dict | None = None) -> Response:
    """Keys in the order of the schema (jsonify would sort them): rows read like the CSV."""
    body = json.dumps(schema.dump(data), ensure_ascii=False, separators=(",", ":"))
    return Response(body, mimetype="application/json", headers=headers)


def _item(row: dict) -> dict:
    report = status_of(row["report_due_on"], local_today())
    with force_locale("fr"):  # the API's labels are French, whatever the Accept-Language
        label = str(report.status.label)
    return row | {"url": external_url("signatories.page", slug=row["slug"]),
                  "report_status": report.status.value, "report_status_label": label,
                  "report_due_on": report.due_on, "report_status_since": report.since}


@blp.route("", strict_slashes=False)
@blp.arguments(PageQuerySchema, location="query", as_kwargs=True)
@blp.arguments(SelectionSchema, location="query", arg_name="selection")
@blp.response(200, SignatoryPageSchema, headers=LINK_HEADER_DOC,
              description="Une page de signataires, dans l’ordre demandé")
@blp.alt_response(422, schema=ApiErrorSchema,
                  description="Paramètre invalide (valeur inconnue, format incorrect, page ou "
                              "per_page hors limites)")
def list_signatories(selection: queries.Selection, page: int, per_page: int):
    """Les signataires, filtrés et triés comme sur /registre, page par page.

    Les liens vers les autres pages sont dans l'en-tête Link.
    """
    found = queries.page(selection, page, per_page)
    body = {"items": [_item(row) for row in found.rows], "page": page, "per_page": per_page,
            "total": found.total, "pages": found.pages}
    return _ordered_json(SignatoryPageSchema(), body, {"Link": link_header(page, found.pages)})


def _commitments(organisation_id: int, slug: str) -> list[dict]:
    rows = db.session.execute(
        select(Commitment.id, Commitment.title, Commitment.category)
        .where(Commitment.organisation_id == organisation_id, publicly_visible())
        .order_by(Commitment.start_on.desc(), Commitment.id.desc()))
    page_url = external_url("signatories.page", slug=slug)
    return [{"id": id_, "title": title, "category": category.value,
             "url": f"{page_url}#engagement-{id_}"} for id_, title, category in rows]


def _certificate(number: str | None, found: Certificate | None = None) -> dict | None:
    if found is None and number:
        found = db.session.scalar(select(Certificate).where(Certificate.number == number))
    if found is None:
        return None
    return {"number": found.number, "status": found.status.value, "issued_at": found.issued_at,
            "url": external_url("api_certificates.certificate", number=found.number),
            "verify_url": external_url("certificates.status", number=found.number)}


@blp.route("/<string:slug>")
@blp.response(200, SignatoryDetailSchema, description="Le signataire")
@blp.alt_response(410, schema=FormerSignatoryErrorSchema,
                  description="Ancien signataire : sa signature est suspendue ou retirée ; il ne "
                              "figure plus au registre, sa page publique le dit")
@blp.alt_response(404, schema=ApiErrorSchema,
                  description="Aucune organisation signataire, ni ancienne signataire, ne porte "
                              "cet identifiant")
def signatory(slug: str):
    """Un signataire : sa ligne du registre, son attestation et ses engagements publics.

    Un ancien signataire (signature suspendue ou retirée) répond 410, avec ce que dit sa page.
    """
    entry = db.session.scalar(select(RegisterEntry).where(RegisterEntry.slug == slug))
    if entry is None:
        return _former(slug)
    row = {key: getattr(entry, key) for key in (*queries.ROW_KEYS, "report_due_on")}
    row["kind"] = entry.kind.value
    return _ordered_json(SignatoryDetailSchema(), _item(row) | {
        "certificate": _certificate(entry.certificate_number),
        "commitments": _commitments(entry.organisation_id, entry.slug),
        "commitments_url": external_url("api_commitments.list_commitments",
                                        organisation=entry.slug),
    })


def _former(slug: str) -> Response:
    """410 for a former signatory, as its public page says; 404 for anyone else (unknown,
    pending, rejected, withdrawn before approval look alike)."""
    organisation = db.session.scalar(select(Organisation).where(Organisation.slug == slug))
    found = standing(organisation) if organisation else None
    if found is None or found.is_signatory:  # approved but not yet in the register: as before
        abort(404)
    response = _ordered_json(FormerSignatoryErrorSchema(), {
        "error": {"code": 410, "message": _gone_message(found)},
        "former_signatory": _former_body(organisation, found)})
    response.status_code = 410
    return response


def _gone_message(found: Standing) -> str:
    if found.status == "suspended":
        return "La signature de cette organisation est suspendue : elle ne figure plus au registre."
    return "Cette organisation a retiré sa signature : elle ne figure plus au registre."


def _former_body(organisation: Organisation, found: Standing) -> dict:
    return {"name": organisation.name, "slug": organisation.slug, "status": found.status.value,
            "status_since": local_date(found.since), "public_notice": found.notice,
            "charter_version": found.current.signature.charter_version.number,
            "signed_on": found.current.approved_on,
            "certificate": _certificate(None, found.certificate),
            "url": external_url("signatories.page", slug=organisation.slug)}
