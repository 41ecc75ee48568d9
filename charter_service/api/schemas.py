"""marshmallow schemas of the public API: allow-listed fields, dumped from plain dicts."""

from marshmallow import Schema, fields, pre_load


class QuerySchema(Schema):
    """Query-string arguments: a blank one (``?type=`` from an HTML form) means no filter."""

    @pre_load
    def _drop_blank(self, data, **_kwargs):
        return {key: data[key] for key in data
                if not isinstance(data[key], str) or data[key].strip()}


class ApiErrorBodySchema(Schema):
    code = fields.Integer(required=True)
    message = fields.String(required=True)
    details = fields.Dict(data_key="fields", metadata={
        "description": "messages par paramètre refusé (erreurs 422)"})


class ApiErrorSchema(Schema):
    error = fields.Nested(ApiErrorBodySchema, required=True)


class PrincipleSchema(Schema):
    code = fields.String(required=True, metadata={"example": "P1"})
    section = fields.String(required=True, metadata={
        "enum": ["principes", "modalites", "moyens"],
        "description": "principes, modalites (modalités d'action) ou moyens (moyens d'agir)"})
    title = fields.String(required=True)
    text = fields.String(required=True)


class CharterVersionSchema(Schema):
    charter_title = fields.String(required=True)
    number = fields.Integer(required=True)
    title = fields.String(required=True)
    published_at = fields.DateTime(required=True, allow_none=True)
    sha256 = fields.String(required=True, metadata={
        "description": "SHA-256 du texte canonique que chaque signataire approuve"})
    demonstration = fields.Boolean(required=True)
    preamble = fields.String(required=True, metadata={"description": "Markdown"})
    principles = fields.List(fields.Nested(PrincipleSchema), required=True)
