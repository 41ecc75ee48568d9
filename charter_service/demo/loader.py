"""Fictional demonstration data: the demo charter, organisations of every kind, every status.

Rows are recognised by e-mail (users) and slug (organisations), so loading twice adds nothing.
The loader only flushes; the command commits once.
"""

import hashlib
import secrets
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path

import yaml
from sqlalchemy import select
from stdnum import luhn

from ..accounts.models import Role, User
from ..accounts.services import hash_password
from ..audit import services as audit
from ..certificates import services as certificates
from ..charters.models import CharterVersion
from ..charters.services import current_version, import_version, publish_version
from ..db_types import utcnow
from ..extensions import db
from ..organisations.models import MemberRole, Membership, Organisation, OrganisationKind
from ..signatures.models import Identification, Signature, SignatureStatus
from ..signatures.revocation import RevocationLabel
from .commitments import load_commitments

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
CHARTER_FILE = DATA_DIR / "demo_charter.yaml"
ORGANISATIONS_FILE = DATA_DIR / "demo_organisations.yaml"
DEMO_PASSWORD = "demo-charte-2026"  # noqa: S105  (public demonstration accounts)
# The log-ins printed at the end: one organisation owner per status, most useful first.
SHOWCASE_STATUSES = (SignatureStatus.APPROVED, SignatureStatus.PENDING,
                     SignatureStatus.CHANGES_REQUESTED, SignatureStatus.SUSPENDED)
STAFF_LABELS = {"moderator": "Modération", "admin": "Administration"}


class DemoError(RuntimeError):
    """The demo cannot be loaded in this database; the message says why, in French."""


@dataclass
class DemoReport:
    charter_version: CharterVersion
    charter_created: bool = False
    users: int = 0
    organisations: int = 0
    signatures: int = 0
    commitments: int = 0
    logins: list[tuple[str, str]] = field(default_factory=list)


def organisations_exist() -> bool:
    return db.session.scalar(select(Organisation.id).limit(1)) is not None


def _parse_yaml(path: Path) -> dict:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml is ten times faster
    return yaml.load(path.read_text(encoding="utf-8"), Loader=loader)  # noqa: S506


@cache
def _demo_organisations() -> dict:
    """Parsed once per process and only read: the file ships with the package."""
    return _parse_yaml(ORGANISATIONS_FILE)


def load_demo() -> DemoReport:
    data = _demo_organisations()
    charter_created = _ensure_charter()
    version = current_version()
    if version is None:
        raise DemoError("Aucune version de la charte n’est publiée : publiez-en une avant de "
                        "charger les données de démonstration.")
    loader = _Loader(version, now=utcnow())
    report = DemoReport(charter_version=version, charter_created=charter_created)
    staff = {entry["role"]: loader.user(entry, role=Role(entry["role"]))
             for entry in data["staff"]}
    for entry in data["organisations"]:
        loader.organisation(entry, decided_by=staff[Role.MODERATOR.value])
    loader.certify(staff[Role.MODERATOR.value])
    report.commitments = load_commitments(data.get("commitments", {}), now=loader.now)
    report.users, report.organisations, report.signatures = (
        loader.users_created, loader.organisations_created, loader.signatures_created)
    if report.users or report.organisations or report.commitments:
        audit.record("demo.load", "demo", "demo", actor=None, before={}, after={
            "users": report.users, "organisations": report.organisations,
            "signatures": report.signatures, "commitments": report.commitments})
    db.session.flush()
    report.logins = _showcase_logins(data)
    return report


def _ensure_charter() -> bool:
    """Import and publish the demo charter, unless some charter version already exists."""
    if db.session.scalar(select(CharterVersion.id).limit(1)) is not None:
        return False
    draft = import_version(_parse_yaml(CHARTER_FILE))
    publish_version(draft.number)
    return True


def _showcase_logins(data: dict) -> list[tuple[str, str]]:
    logins = []
    for status in SHOWCASE_STATUSES:
        entry = next(e for e in data["organisations"]
                     if e.get("signatures") and e["signatures"][-1]["status"] == status.value)
        logins.append((f"{entry['name']} (signature {status.label})",
                       entry["owner"]["email"]))
    logins += [(STAFF_LABELS[entry["role"]], entry["email"]) for entry in data["staff"]]
    return logins


class _Loader:
    def __init__(self, version: CharterVersion, now: datetime) -> None:
        self.version = version
        self.version_sha256 = version.sha256()
        self.now = now
        self._password_hash: str | None = None
        self._users: dict[str, User] = {}
        self._to_certify: list[Signature] = []
        self.users_created = self.organisations_created = self.signatures_created = 0

    @property
    def password_hash(self) -> str:
        """Hashed once: every demo user shares the same password."""
        if self._password_hash is None:
            self._password_hash = hash_password(DEMO_PASSWORD)
        return self._password_hash

    def user(self, entry: dict, *, role: Role = Role.USER, since: datetime | None = None) -> User:
        email = entry["email"]
        user = self._users.get(email) or db.session.scalar(select(User).where(User.email == email))
        if user is None:
            since = since or self.now
            user = User(email=email, full_name=entry["full_name"], password_hash=self.password_hash,
                        role=role, locale=entry.get("locale", "fr"), confirmed_at=since,
                        created_at=since)
            db.session.add(user)
            self.users_created += 1
        self._users[email] = user
        return user

    def organisation(self, entry: dict, *, decided_by: User) -> None:
        if db.session.scalar(select(Organisation.id).where(Organisation.slug == entry["slug"])):
            return
        signatures = entry.get("signatures", [])
        first_day = max((s["signed"] for s in signatures), default=0) + 4
        since = self._days_ago(first_day)
        owner = self.user(entry["owner"], since=since)
        organisation = Organisation(
            name=entry["name"], slug=entry["slug"], kind=OrganisationKind(entry["kind"]),
            address=entry["address"], postcode=entry["postcode"], commune=entry["commune"],
            departement_code=entry["departement"], region_code=entry["region"],
            website=entry.get("website", f"https://{entry['slug']}.example.org"),
            description=entry["description"], created_at=since, updated_at=since,
            **self._identifiers(entry))
        db.session.add(organisation)
        db.session.add(Membership(user=owner, organisation=organisation, role=MemberRole.OWNER,
                                  created_at=since))
        for member in entry.get("members", []):
            db.session.add(Membership(user=self.user(member, since=since),
                                      organisation=organisation, role=MemberRole.MEMBER,
                                      created_at=since))
        self.organisations_created += 1
        for signature in signatures:
            self._signature(organisation, owner, signature, decided_by)
            # The live-signature index is checked row by row: flush a closed one before the next.
            db.session.flush()

    def _signature(self, organisation: Organisation, owner: User, entry: dict,
                   moderator: User) -> None:
        status = SignatureStatus(entry["status"])
        signed_at = self._days_ago(entry["signed"])
        decided_at = decided_by = None
        # Prepared by the owner for a representative, who has not signed (yet, or at all).
        prepared = status in (SignatureStatus.AWAITING_REPRESENTATIVE, SignatureStatus.DECLINED)
        if status == SignatureStatus.DECLINED:
            decided_at = min(signed_at + timedelta(days=entry["decided"], hours=3), self.now)
        elif status not in (SignatureStatus.PENDING, SignatureStatus.AWAITING_REPRESENTATIVE):
            decided_at = min(signed_at + timedelta(days=entry["decided"], hours=3), self.now)
            # A withdrawal is the organisation's own decision; the others are the moderator's.
            decided_by = owner if status == SignatureStatus.WITHDRAWN else moderator
        signatory = entry.get("by", owner.full_name)
        email = owner.email if signatory == owner.full_name else _email_of(signatory)
        signature = Signature(
            organisation=organisation, charter_version=self.version, status=status,
            signatory_name=signatory,
            signatory_function=entry.get("function", "Représentant légal"),
            signatory_email=email, authority_attested=not prepared,
            principles_accepted=not prepared, version_sha256=self.version_sha256,
            signed_at=signed_at, submitted_by=owner, decided_at=decided_at,
            decided_by=decided_by, reason=entry.get("reason", ""),
            identification=Identification.EMAIL if prepared else Identification.ACCOUNT_HOLDER)
        if status == SignatureStatus.AWAITING_REPRESENTATIVE:
            # The link the representative was sent: a fresh one goes out on « Renvoyer le lien ».
            signature.link_nonce, signature.link_sent_at = secrets.token_urlsafe(16), signed_at
        db.session.add(signature)
        if status in (SignatureStatus.APPROVED, SignatureStatus.SUSPENDED):
            self._to_certify.append(signature)
        self.signatures_created += 1

    def certify(self, moderator: User) -> None:
        """Attestations for the approved signatures, in date order; a suspended signature's
        attestation was issued two days after signing, then revoked."""
        def approved_at(signature: Signature) -> datetime:
            if signature.status == SignatureStatus.APPROVED:
                return signature.decided_at
            return min(signature.signed_at + timedelta(days=2), signature.decided_at)

        for signature in sorted(self._to_certify, key=approved_at):
            day = approved_at(signature)
            certificate = certificates.issue(signature, actor=moderator, issued_at=day,
                                             approved_at=day, at_once=True)
            if signature.status == SignatureStatus.SUSPENDED:
                certificates.revoke(certificate, actor=moderator,
                                    label=RevocationLabel.SUSPENDED, message=signature.reason,
                                    revoked_at=signature.decided_at)

    def _days_ago(self, days: int) -> datetime:
        return (self.now - timedelta(days=days)).replace(hour=9, minute=30, second=0,
                                                          microsecond=0)

    def _identifiers(self, entry: dict) -> dict[str, str]:
        kind = OrganisationKind(entry["kind"])
        default = {OrganisationKind.ASSOCIATION: ["rna"],
                   OrganisationKind.ENTREPRISE: ["siren", "siret"]}.get(kind, ["siren"])
        wanted = entry.get("identifiers", default)
        identifiers = {}
        if "siren" in wanted or "siret" in wanted:
            identifiers["siren"] = self._unused(Organisation.siren, entry["slug"], _siren)
        if "siret" in wanted:
            identifiers["siret"] = _siret(identifiers["siren"])
        if "rna" in wanted:
            identifiers["rna"] = self._unused(
                Organisation.rna, entry["slug"], lambda seed: _rna(seed, entry["departement"]))
        return identifiers

    @staticmethod
    def _unused(column, slug: str, derive) -> str:
        """Derive an identifier from the slug, salting again in the unlikely event it is taken."""
        for salt in range(100):
            value = derive(f"{slug}:{salt}")
            if db.session.scalar(select(column).where(column == value)) is None:
                return value
        raise DemoError(f"Impossible de trouver un identifiant libre pour {slug}.")


def _digits(seed: str, count: int) -> str:
    number = int.from_bytes(hashlib.sha256(f"charter-demo:{seed}".encode()).digest(), "big")
    return f"{number % 10**count:0{count}d}"


def _siren(seed: str) -> str:
    body = "8" + _digits(seed, 7)
    return body + luhn.calc_check_digit(body)


def _siret(siren: str) -> str:
    """The head office: SIREN, establishment number 0001, Luhn digit over all fourteen digits."""
    body = siren + "0001"
    return body + luhn.calc_check_digit(body)


def _rna(seed: str, departement: str) -> str:
    """W, the prefecture's three-character code (département + 1), six digits."""
    prefix = (departement if departement.isdigit() else "20") + "1"
    return "W" + prefix[:3] + _digits(seed, 6)


def _email_of(full_name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", full_name).encode("ascii", "ignore").decode()
    return ".".join(ascii_name.lower().split()) + "@demo.example.org"
