"""The plain facts an attestation is rendered from, built once from the ORM objects.

Stored with the PDF as JSON: the template only ever sees this dictionary.
"""

from datetime import datetime

from flask_babel import force_locale

from ..dates import french_date
from ..organisations.geo import departement_name
from ..organisations.models import Organisation
from ..signatures.models import Identification, Signature

# Facts printed about the organisation: when one changes, the attestation is issued again.
PRINTED_FACTS = ("name", "kind_code", "identifier_label", "identifier", "commune",
                 "departement_code")


def identifier(organisation: Organisation) -> tuple[str, str]:
    if organisation.siret:
        s = organisation.siret
        return "SIRET", f"{s[:3]} {s[3:6]} {s[6:9]} {s[9:]}"
    if organisation.siren:
        s = organisation.siren
        return "SIREN", f"{s[:3]} {s[3:6]} {s[6:]}"
    if organisation.rna:
        return "RNA", organisation.rna
    return "Identifiant", "non renseigné"


def organisation_facts(organisation: Organisation) -> dict:
    label, value = identifier(organisation)
    with force_locale("fr"):
        kind = str(organisation.kind.label)
    return {
        "name": organisation.name,
        "slug": organisation.slug,
        "kind": kind,
        "kind_code": organisation.kind.value,
        "identifier_label": label,
        "identifier": value,
        "commune": organisation.commune,
        "departement_code": organisation.departement_code,
        "departement_name": departement_name(organisation.departement_code),
    }


def signatory_facts(signature: Signature) -> dict:
    """Who signed, when, how they were identified and, when not themselves, who prepared it;
    after a hand-over, since when the signatory represents the organisation (the signature
    was prepared for their predecessor)."""
    preparer = signature.submitted_by
    paper = signature.identification == Identification.PAPER  # recorded, not prepared, by staff
    since = signature.representative_since
    with force_locale("fr"):
        identification = str(signature.paper_channel.received if paper
                              else signature.identification.label)
    facts = {"name": signature.signatory_name, "function": signature.signatory_function,
             "signed_on": french_date(signature.signed_at), "identification": identification,
             "prepared_by": preparer.full_name if preparer is not None and not paper
             and since is None and signature.identification != Identification.ACCOUNT_HOLDER
             else ""}
    if since is not None:
        facts["representative_since"] = french_date(since)
    return facts


def _density(organisation: dict, signatory: dict, charter_title: str) -> str:
    """A first guess at how tight the page must be set (render.render_fitted checks it)."""
    longest = max(len(organisation["name"]), len(organisation["commune"]),
                  len(signatory["name"]), len(signatory["function"]), len(charter_title))
    total = (len(organisation["name"]) * 2 + len(organisation["commune"])
             + len(signatory["name"]) + len(signatory["function"]) + len(charter_title))
    if longest > 150 or total > 480:
        return "very-long"
    return "long" if longest > 55 or total > 200 else ""


def rendering_data(signature: Signature, *, number: str, issued_at: datetime,
                   approved_at: datetime, verify_url: str, signer: str,
                   development: bool) -> dict:
    version = signature.charter_version
    organisation = organisation_facts(signature.organisation)
    signatory = signatory_facts(signature)
    sha = signature.version_sha256
    return {
        "number": number,
        "issued_at": issued_at.isoformat(),
        "issued_on": french_date(issued_at),
        "approved_at": approved_at.isoformat(),
        "approved_on": french_date(approved_at),
        "organisation": organisation,
        "density": _density(organisation, signatory, version.title),
        "signatory": signatory,
        "charter": {"version": version.number, "title": version.title, "sha256": sha,
                    "sha256_short": " ".join(sha[i:i + 4] for i in range(0, 16, 4))},
        "verify_url": verify_url,
        "signer": signer,
        "development": development,
    }


def printed_facts_differ(rendered_from: dict, organisation: Organisation) -> bool:
    current = organisation_facts(organisation)
    return any(rendered_from["organisation"].get(key) != current[key] for key in PRINTED_FACTS)
