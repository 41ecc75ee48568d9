"""Append to and verify the audit chain; the only writer of `audit_entries`."""

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC

from flask import current_app
from sqlalchemy import select, text, update

from ..accounts.models import User
from ..db_types import utcnow
from ..extensions import db
from .models import GENESIS_HASH, AuditEntry

# Any constant works: every append in the database takes this one PostgreSQL advisory lock.
_APPEND_LOCK_ID = 0x61756469  # "audi"
_KEY_CONTEXT = b"charter-service audit chain v1"
_VERIFY_BATCH = 1000


@dataclass(frozen=True)
class VerificationResult:
    ok: bool
    checked: int
    first_broken_seq: int | None = None
    problem: str = ""


def canonical_json(value) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _key() -> bytes:
    key = current_app.config.get("AUDIT_KEY")
    if key:
        return key.encode() if isinstance(key, str) else key
    secret = current_app.config["SECRET_KEY"]
    secret = secret.encode() if isinstance(secret, str) else secret
    return hmac.new(secret, _KEY_CONTEXT, hashlib.sha256).digest()


def _hmac_hex(key: bytes, message: str) -> str:
    return hmac.new(key, message.encode(), hashlib.sha256).hexdigest()


def actor_digest(actor: User | None, key: bytes | None = None) -> str:
    """A pseudonym: stable per user, meaningless without the key."""
    return _hmac_hex(key or _key(), f"user:{actor.id}" if actor else "system")


def _personal_digest(key: bytes, personal_text: str) -> str:
    """Keyed, so that a database copy cannot confirm a guess about erased personal data."""
    return _hmac_hex(key, "personal:" + personal_text)


def _entry_hash(key: bytes, entry) -> str:
    """HMAC over prev_hash and every hashed column; `entry` is a model or a row."""
    payload = {
        "seq": entry.seq,
        "created_at": entry.created_at.astimezone(UTC).isoformat(timespec="microseconds"),
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "before": json.loads(entry.before),
        "after": json.loads(entry.after),
        "reason": entry.reason,
        "actor_digest": entry.actor_digest,
        "personal_digest": entry.personal_digest,
    }
    return _hmac_hex(key, entry.prev_hash + canonical_json(payload))


def head() -> tuple[int, str] | None:
    """(seq, entry_hash) of the last entry, to publish outside the database as an anchor."""
    row = db.session.execute(
        select(AuditEntry.seq, AuditEntry.entry_hash).order_by(AuditEntry.seq.desc()).limit(1)
    ).first()
    return (row.seq, row.entry_hash) if row else None


def record(action: str, obj_type: str, obj_id, *, actor: User | None, before: dict,
           after: dict, reason: str = "", personal: dict | None = None) -> AuditEntry:
    """Append an entry in the caller's transaction (flush only: it commits with the change).

    `reason` must hold no personal data (a code or category); free text, names and messages go
    into `personal`, which stays outside the hash and can be erased.
    """
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(:lock)"), {"lock": _APPEND_LOCK_ID})
    last = head()
    key = _key()
    personal_text = canonical_json(personal) if personal is not None else None
    personal_digest = _personal_digest(key, personal_text) if personal_text is not None else None
    entry = AuditEntry(
        seq=last[0] + 1 if last else 1,
        created_at=utcnow(),
        action=action,
        object_type=obj_type,
        object_id=str(obj_id),
        before=canonical_json(before),
        after=canonical_json(after),
        reason=reason,
        actor_digest=actor_digest(actor, key),
        actor=actor,
        personal=personal_text,
        personal_digest=personal_digest,
        prev_hash=last[1] if last else GENESIS_HASH,
    )
    entry.entry_hash = _entry_hash(key, entry)
    db.session.add(entry)
    db.session.flush()
    return entry


def erase_personal_data(entry_id: int) -> None:
    """GDPR erasure: the one sanctioned change to an entry; the chain still verifies.

    A Core update on the table, which the ORM guards deliberately let through; the caller commits.
    """
    db.session.execute(
        update(AuditEntry.__table__).where(AuditEntry.__table__.c.id == entry_id)
        .values(personal=None)
    )
    loaded = db.session.identity_map.get(db.session.identity_key(AuditEntry, entry_id))
    if loaded is not None:
        db.session.expire(loaded, ["personal"])


def _problem(key: bytes, entry, expected_seq: int, prev_hash: str) -> str | None:
    if entry.seq != expected_seq:
        return "absente (supprimée ou renumérotée)"
    if entry.prev_hash != prev_hash:
        return "l’empreinte de l’entrée précédente ne correspond pas (entrée supprimée ou déplacée)"
    try:
        expected_hash = _entry_hash(key, entry)
    except (TypeError, ValueError, AttributeError):
        return "contenu illisible (entrée modifiée)"
    if not hmac.compare_digest(expected_hash, entry.entry_hash or ""):
        return "empreinte invalide (contenu modifié ou entrée forgée sans la clé)"
    if entry.personal is not None and not hmac.compare_digest(
        entry.personal_digest or "", _personal_digest(key, entry.personal)
    ):
        return "données personnelles modifiées (empreinte différente)"
    return None


def verify(anchor: tuple[int, str] | None = None) -> VerificationResult:
    """Walk the whole chain in seq order, streaming, and stop at the first broken entry.

    The chain alone cannot reveal that its last entries were removed: compare the count, or
    pass `anchor`, a (seq, entry_hash) previously published from head().
    """
    key = _key()
    rows = db.session.execute(
        select(*AuditEntry.__table__.c).order_by(AuditEntry.seq)
        .execution_options(yield_per=_VERIFY_BATCH)
    )
    checked, prev_hash = 0, GENESIS_HASH
    for row in rows:
        expected_seq = checked + 1
        problem = _problem(key, row, expected_seq, prev_hash)
        if problem is None and anchor and row.seq == anchor[0] and row.entry_hash != anchor[1]:
            problem = "ne correspond pas à l’empreinte publiée (journal réécrit)"
        if problem:
            rows.close()
            return VerificationResult(False, checked, expected_seq, problem)
        checked, prev_hash = checked + 1, row.entry_hash
    if anchor and anchor[0] > checked:
        return VerificationResult(False, checked, checked + 1,
                                  f"absente alors que l’entrée publiée n° {anchor[0]} existait "
                                  "(journal tronqué)")
    return VerificationResult(True, checked)
