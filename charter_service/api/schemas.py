"""marshmallow schemas of the public API: allow-listed fields, dumped from plain dicts."""

from marshmallow import Schema, fields, pre_load, validate


class QuerySchema(Schema):
    """Query-string arguments: a blank one (``?type=`` from an HTML form) means no filter."""

    @pre_load
    def _drop_blank(self, data, **_kwargs):
        return {key: data[key] for key in data
                if not isinstance(data[key], str) or data[key].strip()}


def page_query_schema(max_page: int, max_per_page: int, items: str,
                      page_description: str = "numéro de la page, à partir de 1"
                      ) -> type[QuerySchema]:
    """`page` and `per_page` of a list, bounded, with the same messages in every list
    (`items`: « de signataires », « d'engagements »)."""

    class PageQuerySchema(QuerySchema):
        page = fields.Integer(load_default=1, validate=validate.Range(
            min=1, max=max_page, error=f"La page doit être comprise entre 1 et {max_page}."),
            error_messages={"invalid": "La page doit être un nombre entier."},
            metadata={"description": page_description})
        per_page = fields.Integer(load_default=20, validate=validate.Range(
            min=1, max=max_per_page,
            error=f"per_page doit être compris entre 1 et {max_per_page}."),
            error_messages={"invalid": "per_page doit être un nombre entier."},
            metadata={"description": f"nombre {items} par page (1 à {max_per_page})"})

    return PageQuerySchema


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
        "description": "principes, modalites (modalités d’action) ou moyens (moyens d’agir)"})
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
