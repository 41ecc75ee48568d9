from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from ..commitments import queries
from ..commitments.means import ResourceKind
from ..commitments.models import Category, Commitment, Domain, Scale
from ..commitments.sdgs import SDG_NAMES, sdg_targets
from .pagination import LINK_HEADER_DOC, link_header
from .schemas import ApiErrorSchema, QuerySchema, page_query_schema

blp = Blueprint("api_commitments", __name__,
                description="Les engagements publics des signataires approuvés")

MAX_PER_PAGE = 100
# Bounded pagination: past this page, narrow the selection with the filters.
MAX_PAGE = 1000
SDG_RANGE = "L’ODD doit être un nombre entier entre 1 et 17."


PageQuerySchema = page_query_schema(MAX_PAGE, MAX_PER_PAGE, "d’engagements")


class CommitmentQuerySchema(QuerySchema):
    principle = fields.String(validate=validate.Length(max=10), metadata={
        "description": "code d’un principe de la charte, par exemple P1"})
    categorie = fields.String(validate=validate.OneOf(
        [c.value for c in Category],
        error="Catégorie inconnue ; valeurs possibles : {choices}."))
    odd = fields.Integer(strict=False, validate=validate.Range(min=1, max=17, error=SDG_RANGE),
                         error_messages={"invalid": SDG_RANGE},
                         metadata={"description": "objectif de développement durable (1 à 17)"})
    region = fields.String(validate=validate.Length(max=3), metadata={
        "description": "code INSEE de la région, par exemple 84"})
    organisation = fields.String(validate=validate.Length(max=220), metadata={
        "description": "identifiant (slug) de l’organisation"})


class NamedSchema(Schema):
    name = fields.String(required=True)
    slug = fields.String(required=True, allow_none=True, metadata={
        "description": "null pour un partenaire extérieur ou sans page publique"})


class SdgSchema(Schema):
    number = fields.Integer(required=True)
    name = fields.String(required=True)


class SdgTargetSchema(Schema):
    code = fields.String(required=True, metadata={"example": "12.3"})
    goal = fields.Integer(required=True)
    title = fields.String(required=True, metadata={"description": "intitulé officiel en français"})


class ResourceSchema(Schema):
    kind = fields.String(required=True, metadata={
        "enum": [k.value for k in ResourceKind],
        "description": "budget et in_kind (apport en nature) en euros, skills_days (jours de "
                       "compétences) en jours, volunteers (bénévoles) en personnes"})
    amount = fields.Float(required=True)
    description = fields.String(required=True)


class IndicatorSchema(Schema):
    name = fields.String(required=True)
    unit = fields.String(required=True)
    target = fields.Float(required=True, allow_none=True)


class IndicatorValueSchema(Schema):
    indicator = fields.String(required=True)
    value = fields.Float(required=True)


class UpdateSchema(Schema):
    reported_on = fields.Date(required=True)
    text = fields.String(required=True)
    evidence_url = fields.String(required=True, allow_none=True)
    values = fields.List(fields.Nested(IndicatorValueSchema), required=True)
    confirmed_by = fields.List(fields.String(), required=True)


class CommitmentSchema(Schema):
    id = fields.Integer(required=True)
    title = fields.String(required=True)
    description = fields.String(required=True)
    organisation = fields.Nested(NamedSchema, required=True)
    charter_version = fields.Integer(required=True)
    principles = fields.List(fields.String(), required=True)
    category = fields.String(required=True, metadata={"enum": [c.value for c in Category]})
    sdgs = fields.List(fields.Nested(SdgSchema), required=True)
    domains = fields.List(fields.String(metadata={"enum": [d.value for d in Domain]}),
                          required=True)
    scale = fields.String(required=True, metadata={"enum": [s.value for s in Scale]})
    start_on = fields.Date(required=True)
    end_on = fields.Date(required=True, allow_none=True)
    target_on = fields.Date(required=True, allow_none=True, metadata={
        "description": "date cible des livrables"})
    sdg_targets = fields.List(fields.Nested(SdgTargetSchema), required=True)
    resources = fields.List(fields.Nested(ResourceSchema), required=True)
    deliverables = fields.List(fields.String(), required=True)
    status = fields.String(required=True)
    partners = fields.List(fields.Nested(NamedSchema), required=True)
    indicators = fields.List(fields.Nested(IndicatorSchema), required=True)
    updates = fields.List(fields.Nested(UpdateSchema), required=True)


class CommitmentPageSchema(Schema):
    items = fields.List(fields.Nested(CommitmentSchema), required=True)
    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)
    next_page = fields.Integer(required=True, allow_none=True)


def _number(value):
    return float(value) if value is not None else None


def commitment_payload(commitment: Commitment, has_page: set[int]) -> dict:
    names = {i.id: i.name for i in commitment.indicators}
    targets = sdg_targets()
    owner = commitment.organisation
    return {
        "id": commitment.id, "title": commitment.title, "description": commitment.description,
        "organisation": {"name": owner.name, "slug": owner.slug},
        "charter_version": commitment.charter_version.number,
        "principles": [p.code for p in commitment.principles],
        "category": commitment.category.value,
        "sdgs": [{"number": n, "name": str(SDG_NAMES[n])} for n in commitment.sdgs],
        "domains": [d.value for d in commitment.domains], "scale": commitment.scale.value,
        "start_on": commitment.start_on, "end_on": commitment.end_on,
        "target_on": commitment.target_on,
        "sdg_targets": [{"code": code, "goal": targets[code].goal, "title": targets[code].fr}
                        for code in commitment.sdg_targets],
        "resources": [{"kind": r.kind.value, "amount": float(r.amount),
                       "description": r.description} for r in commitment.resources],
        "deliverables": [d.text for d in commitment.deliverables],
        "status": commitment.status.value,
        "partners": [{"name": p.display_name,
                      "slug": p.organisation.slug if p.organisation_id in has_page else None}
                     for p in commitment.public_partners],
        "indicators": [{"name": i.name, "unit": i.unit, "target": _number(i.target)}
                       for i in commitment.indicators],
        "updates": [{"reported_on": u.reported_on, "text": u.text,
                     "evidence_url": u.evidence_url or None,
                     "values": [{"indicator": names[v.indicator_id], "value": float(v.value)}
                                for v in u.values],
                     "confirmed_by": [c.organisation.name for c in u.confirmations]}
                    for u in commitment.updates if not u.is_hidden],
    }


@blp.route("", strict_slashes=False)
@blp.arguments(PageQuerySchema, location="query", as_kwargs=True)
@blp.arguments(CommitmentQuerySchema, location="query", as_kwargs=True)
@blp.response(200, CommitmentPageSchema, headers=LINK_HEADER_DOC,
              description="Une page d’engagements publics")
@blp.alt_response(422, schema=ApiErrorSchema, description="Paramètre invalide")
def list_commitments(page: int, per_page: int, **filters):
    """Les engagements publics, du plus récent au plus ancien, filtrés au besoin."""
    selection = queries.CommitmentFilters(
        principle=filters.get("principle"),
        category=Category(filters["categorie"]) if filters.get("categorie") else None,
        sdg=filters.get("odd"), region=filters.get("region"),
        organisation=filters.get("organisation"))
    commitments, more = queries.public_commitments(selection, page, per_page)
    partner_ids = {p.organisation_id for c in commitments for p in c.partners
                   if p.organisation_id}
    has_page = queries.approved_among(partner_ids)
    body = {"items": [commitment_payload(c, has_page) for c in commitments], "page": page,
            "per_page": per_page, "next_page": page + 1 if more else None}
    return body, 200, {"Link": link_header(page, None, has_next=more)}
