"""What a moderator should look at twice: possible duplicates, doubtful identifiers, an e-mail
domain that is not the website's.

Computed for a whole page of signatures with two queries, whatever the page size, each
narrowed by an index: the same legal identifier (SIREN, the SIRET's first nine digits, RNA);
the near names, whose candidates the bigram index finds (the proof that it misses no pair
difflib would flag is in organisations/names.py), then difflib on those candidates only.
"""

import difflib
from collections import defaultdict
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask_babel import gettext as _
from sqlalchemy import and_, bindparam, or_, select
from sqlalchemy import text as sql

from ..caching import Store
from ..extensions import db
from ..organisations import name_index
from ..organisations.identifiers import InvalidIdentifier, parse_company_number, parse_rna
from ..organisations.models import Organisation
from ..organisations.names import (
    SIMILARITY_THRESHOLD,
    length_window,
    normalised_name,
    probe,
    shared_bigrams_needed,
)
from ..signatures.models import Signature

__all__ = ["SIMILARITY_THRESHOLD", "normalised_name", "similar_names", "warnings_for"]
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
        return _("Aucun identifiant légal (SIREN, SIRET ou RNA) n’est renseigné.")
    try:
        if organisation.siret or organisation.siren:
            number = parse_company_number(organisation.siret or organisation.siren)
            if organisation.siren and number.siren != organisation.siren:
                return _("Le SIRET ne commence pas par le SIREN de l’organisation.")
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
    return _("L’adresse du signataire (@%(domain)s) n’est pas du domaine du site web "
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
            _("Doublon possible : « %(name)s » a le même identifiant légal.", name=other.name))
    for organisation, other in _near_names(organisations):
        add(organisation, other.id,
            _("Doublon possible : « %(name)s », au nom très proche, dans le même département.",
              name=other.name))
    return found


def _same_identifier(organisations: list[Organisation]):
    sirens = {key for o in organisations if (key := company_key(o))}
    rnas = {o.rna for o in organisations if o.rna}
    if not sirens and not rnas:
        return
    # A range of the SIRET index rather than substr(), which no index serves.
    siret_prefixes = [and_(Organisation.siret >= siren, Organisation.siret < siren + ":")
                      for siren in sorted(sirens)]
    rows = db.session.execute(
        select(Organisation.id, Organisation.name, Organisation.siren, Organisation.siret,
               Organisation.rna)
        .where(or_(Organisation.siren.in_(sirens), *siret_prefixes, Organisation.rna.in_(rnas)))
    ).all()
    for organisation in organisations:
        key = company_key(organisation)
        for row in rows:
            same_rna = organisation.rna and row.rna == organisation.rna
            if same_rna or (key and company_key(row) == key):
                yield organisation, row


@dataclass(frozen=True, slots=True)
class NearName:
    id: int
    name: str


_near_store = Store("near-names:")


def _near_names(organisations: list[Organisation]):
    """`_similar_in_departement`, each organisation's answer kept until a name, a département
    or the set of organisations changes (organisations/name_index.py): the queue compares
    names again only for what has changed since it was last shown."""
    keyed = [o for o in organisations if o.name_key]
    generation = (db.engine.url.render_as_string(), name_index.generation())
    keys = [(generation, o.id, o.departement_code, o.name_key) for o in keyed]
    known = dict(zip(keys, _near_store.get_many(keys), strict=True))
    missing = [o for key, o in zip(keys, keyed, strict=True) if known[key] is None]
    found: dict[int, list] = {o.id: [] for o in missing}
    for organisation, other in _similar_in_departement(missing):
        found[organisation.id].append((other.id, other.name))
    computed = {key: found[o.id] for key, o in zip(keys, keyed, strict=True) if o.id in found}
    _near_store.put_many(computed)
    for key, organisation in zip(keys, keyed, strict=True):
        for other_id, other_name in known[key] if known[key] is not None else computed[key]:
            yield organisation, NearName(other_id, other_name)


def _similar_in_departement(organisations: list[Organisation]):
    keyed = [o for o in organisations if o.name_key]
    candidates = _candidates(keyed)
    for organisation in keyed:
        matcher = difflib.SequenceMatcher(None, "", organisation.name_key)
        for row in sorted(candidates.get(organisation.id, ()), key=lambda row: row.id):
            if row.id != organisation.id and _similar(matcher, row.name_key,
                                                      organisation.name_key):
                yield organisation, row


def _candidates(organisations: list[Organisation]) -> dict[int, list]:
    """Per organisation of the page, the organisations of its département that may be
    similar (id, name, name_key)."""
    found: dict[int, list] = defaultdict(list)
    if organisations:
        for row in db.session.execute(*candidate_query(organisations)):
            found[row.page_id].append(row)
    return found


def candidate_query(organisations: list[Organisation]) -> tuple:
    """One query, each part answered from an index (organisations/names.py says why no pair
    is lost). SQL text: building fifty expression trees took longer than running them."""
    parts, parameters = [], {"slope": shared_bigrams_needed(1) - shared_bigrams_needed(0),
                             "offset": -shared_bigrams_needed(0)}
    lists = []
    for n, organisation in enumerate(organisations):
        key = organisation.name_key
        parameters.update({f"id{n}": organisation.id, f"dep{n}": organisation.departement_code,
                           f"len{n}": len(key), f"key{n}": key})
        if len(key) < 2:  # no bigram; its length window is {1}: only the same key is close
            parts.append(_SAME_KEY.format(n=n))
            continue
        parameters[f"grams{n}"], parameters[f"skipped{n}"] = probe(key)
        parameters[f"low{n}"], parameters[f"high{n}"] = length_window(len(key))
        lists.append(bindparam(f"grams{n}", expanding=True))
        parts.append(_SHARED_BIGRAMS.format(n=n))
    query = _WITH_NAMES.format(candidates=" UNION ALL ".join(parts))
    return sql(query).bindparams(*lists), parameters


# Every value is a bound parameter: the parts only differ by their parameters' names.
_WITH_NAMES = ("SELECT candidate.page_id, organisations.id, organisations.name,"
               " organisations.name_key FROM ({candidates}) AS candidate"
               " JOIN organisations ON organisations.id = candidate.other_id")
_SAME_KEY = ("SELECT :id{n} AS page_id, id AS other_id FROM organisations"
             " WHERE departement_code = :dep{n} AND name_key = :key{n}")
# At least shared_bigrams_needed(la + lb) bigrams in common, slope·(la + lb) − offset, less
# those of the key that are not looked up.
_SHARED_BIGRAMS = ("SELECT :id{n} AS page_id, organisation_id AS other_id"
                   " FROM organisation_name_grams"
                   " WHERE departement_code = :dep{n} AND gram IN :grams{n}"
                   " AND name_length BETWEEN :low{n} AND :high{n}"
                   " GROUP BY organisation_id, name_length"
                   " HAVING count(*) >= :slope * (:len{n} + name_length) - :offset - :skipped{n}")
