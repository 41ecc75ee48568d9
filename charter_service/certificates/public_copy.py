"""The public copy of a valid attestation, for anyone to download from the signatory's page:
what the attestation prints less the signatory's name (the register does not publish people),
unsigned and saying so. The signed original stays with the organisation; the copy points to
/verifier, where its status is read."""

import json

from ..caching import Store
from ..extensions import db
from . import render
from .models import Certificate

store = Store("public-copy:")


def copy_data(certificate: Certificate) -> dict:
    """The data the attestation was rendered from, without the signatory's name."""
    data = json.loads(certificate.rendered_from)
    # Set tightest: the notice that it is a copy takes the room of a long name.
    return {**data, "signatory": {"name": "", "function": data["signatory"]["function"]},
            "public_copy": True, "density": render.DENSITIES[-1]}


def public_copy(certificate: Certificate) -> bytes:
    """Rendered once per attestation (its number and file), then read from the shared cache."""
    key = (db.engine.url.render_as_string(), certificate.number, certificate.sha256)
    pdf = store.get(key)
    if pdf is None:
        pdf = store.put(key, render.render_fitted(copy_data(certificate))[0])
    return pdf
