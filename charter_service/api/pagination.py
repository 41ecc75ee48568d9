"""RFC 8288 `Link` headers for the API's paginated lists: first, prev, next, last."""

from urllib.parse import urlencode

from flask import request

from ..links import external_path

LINK_DESCRIPTION = (
    "Liens de pagination (RFC 8288) : rel=\"first\", \"prev\", \"next\" et \"last\", adresses "
    "absolues qui conservent les filtres de la requête. \"prev\" est absent sur la première "
    "page, \"next\" sur la dernière ; \"last\" est absent quand le nombre de pages n’est pas "
    "connu.")
LINK_HEADER_DOC = {"Link": {"description": LINK_DESCRIPTION, "schema": {"type": "string"}}}


def _url(page: int) -> str:
    """This request's absolute URL with `page` replaced, every other argument kept."""
    args = [(key, value) for key, value in request.args.items(multi=True) if key != "page"]
    args.append(("page", str(page)))
    return external_path(f"{request.path}?{urlencode(args)}")


def link_header(page: int, last: int | None, has_next: bool | None = None) -> str:
    """`last` is the number of pages, or None when unknown (then `has_next` says if a next
    page exists)."""
    links = [("first", 1)]
    if page > 1:
        links.append(("prev", min(page - 1, last) if last else page - 1))
    if (has_next if last is None else page < last):
        links.append(("next", page + 1))
    if last is not None:
        links.append(("last", last))
    return ", ".join(f'<{_url(number)}>; rel="{rel}"' for rel, number in links)
