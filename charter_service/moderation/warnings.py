"""What a moderator should look at twice: possible duplicates, doubtful identifiers, an e-mail
domain that is not the website's.

Computed for a whole page of signatures with two queries, whatever the page size.
"""

import difflib
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from ..extensions import db
from ..organisations.identifiers import InvalidIdentifier, parse_company_number, parse_rna
from ..organisations.models import Organisation
from ..signatures.models import Signature

SIMILARITY_THRESHOLD = 0.85
# Words that say what an organisation is rather than which one it is.
_NOISE_WORDS = frozenset({
    "association", "asso", "assoc", "sas", "sasu", "sarl", "sa", "eurl", "eirl", "sci", "scop",
    "scic", "sem", "spl", "gie", "commune", "ville", "mairie",
    "de", "du", "des", "d", "la", "le", "les", "l", "et",
})
_NOT_WORD = re.compile(r"[\W_]+")
# Suffixes under which unrelated organisations register their domains.
_SHARED_SUFFIXES = frozenset({
    "gouv.fr", "asso.fr", "com.fr", "nom.fr", "prd.fr", "tm.fr", "presse.fr",
    "co.uk", "org.uk", "ac.uk", "gov.uk", "com.au", "co.nz", "co.jp", "com.br",
})


@dataclass(frozen=True)
class Concern:
    kind: str  # "duplicate", "identifier", "email_domain"
    message: str
    other_organisation_id: int | None = None


@lru_cache(maxsize=65536)
def normalised_name(name: str) -> str:
    """Accent-, case- and punctuation-insensitive, without legal forms: what identifies it."""
    folded = unicodedata.normalize("NFKD", name)
    plain = "".join(c for c in folded if not unicodedata.combining(c)).casefold()
    words = [w for w in _NOT_WORD.sub(" ", plain).split() if w not in _NOISE_WORDS]
    return " ".join(words)


def similar_names(a: str, b: str) -> bool:
    """Both already normalised."""
    return _similar(difflib.SequenceMatcher(None, "", b), a, b)


def _similar(matcher: difflib.SequenceMatcher, a: str, b: str) -> bool:
    """`matcher` already holds `b` as its second sequence (the costly one to prepare); two
    cheap upper bounds of the ratio spare most pairs the full comparison."""
    if not a or not b:
        return False
    if a == b:
        return True
    if 2 * min(len(a), len(b)) / (len(a) + len(b)) < SIMILARITY_THRESHOLD:
        return False
    matcher.set_seq1(a)
    return (matcher.quick_ratio() >= SIMILARITY_THRESHOLD
            and matcher.ratio() >= SIMILARITY_THRESHOLD)


def company_key(organisation) -> str | None:
    """The SIREN, also for an organisation known by its SIRET only."""
    return organisation.siren or (organisation.siret[:9] if organisation.siret else None)


def identifier_problem(organisation: Organisation) -> str | None:
    if not (organisation.siren or organisation.siret or organisation.rna):
        return _("Aucun identifiant légal (SIREN, SIRET ou RNA) n'est renseigné.")
    try:
        if organisation.siret or organisation.siren:
            number = parse_company_number(organisation.siret or organisation.siren)
            if organisation.siren and number.siren != organisation.siren:
                return _("Le SIRET ne commence pas par le SIREN de l'organisation.")
        if organisation.rna:
            parse_rna(organisation.rna)
    except InvalidIdentifier as exc:
        return str(exc.message)
    return None


def registrable_domain(host: str) -> str:
    """"mairie.ville-lyon.fr" → "ville-lyon.fr"; three labels under a shared suffix such as
    asso.fr (a small list stands in for the public suffix list)."""
    labels = host.lower().rstrip(".").split(".")
    size = 3 if ".".join(labels[-2:]) in _SHARED_SUFFIXES else 2
    return ".".join(labels[-size:])


def _host(url: str) -> str | None:
    try:
        return urlsplit(url if "//" in url else "//" + url).hostname
    except ValueError:
        return None


def email_domain_problem(signature: Signature) -> str | None:
    host = _host(signature.organisation.website or "")
    domain = signature.signatory_email.rpartition("@")[2]
    if not host or not domain or registrable_domain(host) == registrable_domain(domain):
        return None
    return _("L'adresse du signataire (@%(domain)s) n'est pas du domaine du site web "
             "(%(website)s).", domain=domain.lower(), website=registrable_domain(host))


def warnings_for(signatures: list[Signature]) -> dict[int, list[Concern]]:
    """Warnings by signature id, for a page of signatures whose organisations are loaded."""
    organisations = {s.organisation.id: s.organisation for s in signatures}
    duplicates = _duplicates(list(organisations.values()))
    found: dict[int, list[Concern]] = {}
    for signature in signatures:
        organisation = signature.organisation
        warnings = list(duplicates.get(organisation.id, []))
        problem = identifier_problem(organisation)
        if problem:
            warnings.append(Concern("identifier", problem))
        problem = email_domain_problem(signature)
        if problem:
            warnings.append(Concern("email_domain", problem))
        found[signature.id] = warnings
    return found


def _duplicates(organisations: list[Organisation]) -> dict[int, list[Concern]]:
    found: dict[int, list[Concern]] = defaultdict(list)
    seen: set[tuple[int, int]] = set()

    def add(organisation, other_id, message):
        if other_id != organisation.id and (organisation.id, other_id) not in seen:
            seen.add((organisation.id, other_id))
            found[organisation.id].append(Concern("duplicate", message, other_id))

    for organisation, other in _same_identifier(organisations):
        add(organisation, other.id,
            _("Doublon possible : « %(name)s » a le même identifiant légal.", name=other.name))
    for organisation, other in _similar_in_departement(organisations):
        add(organisation, other.id,
            _("Doublon possible : « %(name)s », au nom très proche, dans le même département.",
              name=other.name))
    return found


def _same_identifier(organisations: list[Organisation]):
    sirens = {key for o in organisations if (key := company_key(o))}
    rnas = {o.rna for o in organisations if o.rna}
    if not sirens and not rnas:
        return
    rows = db.session.execute(
        select(Organisation.id, Organisation.name, Organisation.siren, Organisation.siret,
               Organisation.rna)
        .where(or_(Organisation.siren.in_(sirens),
                   func.substr(Organisation.siret, 1, 9).in_(sirens),
                   Organisation.rna.in_(rnas)))
    ).all()
    for organisation in organisations:
        key = company_key(organisation)
        for row in rows:
            same_rna = organisation.rna and row.rna == organisation.rna
            if same_rna or (key and company_key(row) == key):
                yield organisation, row


def _similar_in_departement(organisations: list[Organisation]):
    departements = {o.departement_code for o in organisations}
    rows = db.session.execute(
        select(Organisation.id, Organisation.name, Organisation.departement_code)
        .where(Organisation.departement_code.in_(departements))
    ).all()
    by_departement = defaultdict(list)
    for row in rows:
        by_departement[row.departement_code].append((row, normalised_name(row.name)))
    for organisation in organisations:
        name = normalised_name(organisation.name)
        matcher = difflib.SequenceMatcher(None, "", name)
        for row, other_name in by_departement[organisation.departement_code]:
            if row.id != organisation.id and _similar(matcher, other_name, name):
                yield organisation, row
