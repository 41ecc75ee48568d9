from flask import abort, current_app
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from ..certificates.services import by_number, public_facts, public_revocation
from ..extensions import limiter
from ..signatures.revocation import RevocationLabel
from .schemas import ApiErrorSchema

blp = Blueprint("api_certificates", __name__, description="Statut des attestations de signature")


class CertificateOrganisationSchema(Schema):
    name = fields.String(required=True)
    slug = fields.String(required=True)
    kind = fields.String(required=True, metadata={
        "enum": ["collectivite", "entreprise", "association", "fondation", "academique", "autre"]})
    commune = fields.String(required=True)
    departement_code = fields.String(required=True, metadata={"example": "69"})


class CertificateStatusSchema(Schema):
    number = fields.String(required=True, metadata={"example": "CFA-2026-000123"})
    status = fields.String(required=True, metadata={
        "enum": ["issuing", "valid", "revoked", "superseded"]})
    issued_at = fields.DateTime(required=True)
    revoked_at = fields.DateTime(required=True, allow_none=True)
    revocation_label = fields.String(required=True, allow_none=True, metadata={
        "enum": [*(label.value for label in RevocationLabel), None],
        "description": "Mention publique de la révocation, choisie dans une liste"})
    revocation_reason = fields.String(required=True, allow_none=True, metadata={
        "description": "La mention publique en toutes lettres, par exemple « Signature "
                       "suspendue par la Fondation des Territoires le 1er décembre 2026. »"})
    superseded_by = fields.String(required=True, allow_none=True, metadata={
        "description": "Numéro de l’attestation qui remplace celle-ci"})
    organisation = fields.Nested(CertificateOrganisationSchema, required=True, metadata={
        "description": "Les faits imprimés sur l’attestation"})
    charter_version = fields.Integer(required=True)
    sha256 = fields.String(required=True, allow_none=True, metadata={
        "description": "SHA-256 du fichier PDF émis (comparez-le à celui du fichier reçu) ; "
                       "null tant que l’attestation est en cours de préparation"})


def _limit() -> str:
    return current_app.config.get("RATELIMIT_CERTIFICATE_LOOKUP", "60 per minute;1000 per hour")


@blp.route("/<string:number>")
@limiter.limit(_limit)
@blp.response(200, CertificateStatusSchema)
@blp.alt_response(404, schema=ApiErrorSchema, description="Aucune attestation ne porte ce numéro")
def certificate(number: str):
    """Le statut d'une attestation : en cours de préparation, valide, révoquée ou remplacée."""
    found = by_number(number)
    if found is None:
        abort(404)
    facts = public_facts(found)
    organisation = facts["organisation"]
    return {
        "number": found.number,
        "status": found.status.value,
        "issued_at": found.issued_at,
        "revoked_at": found.revoked_at,
        "revocation_label": found.revocation_label.value if found.revocation_label else None,
        "revocation_reason": public_revocation(found),
        "superseded_by": found.superseded_by.number if found.superseded_by else None,
        # As printed, except the slug: the organisation's page today.
        "organisation": {"name": organisation["name"],
                         "slug": found.signature.organisation.slug,
                         "kind": organisation["kind_code"], "commune": organisation["commune"],
                         "departement_code": organisation["departement_code"]},
        "charter_version": facts["charter"]["version"],
        "sha256": found.sha256,
    }
