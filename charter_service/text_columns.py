"""The columns that hold free text people write, and the guard on them at the model: whatever
writes through the ORM (services behind the forms, CLI commands, the demo loader, charter files)
stores only text that `text.clean` accepts. `flask text check` reads the same list."""

from functools import cache

from sqlalchemy import event

from .accounts.models import User
from .charters.models import Charter, CharterVersion, Principle
from .commitments.annual.models import ReportSection
from .commitments.models import Commitment, CommitmentPartner, Indicator, ProgressUpdate
from .organisations.models import Organisation
from .signatures.models import Signature
from .text import TextKind, clean

LINE, NAME, MULTILINE = TextKind.LINE, TextKind.NAME, TextKind.MULTILINE
# (model, column, kind), each as its form guards it.
GUARDED_COLUMNS = [
    (Organisation, "name", NAME), (Organisation, "commune", NAME),
    (Organisation, "address", LINE), (Organisation, "website", LINE),
    (Organisation, "description", MULTILINE),
    (Signature, "signatory_name", NAME), (Signature, "signatory_function", NAME),
    (Signature, "reason", MULTILINE),
    (Signature, "successor_name", NAME), (Signature, "successor_function", NAME),
    (User, "full_name", NAME),
    (Commitment, "title", LINE), (Commitment, "description", MULTILINE),
    (Commitment, "hidden_reason", MULTILINE),
    (Indicator, "name", LINE), (Indicator, "unit", LINE),
    (CommitmentPartner, "outside_name", NAME),
    (ProgressUpdate, "text", MULTILINE), (ProgressUpdate, "evidence_url", LINE),
    (ProgressUpdate, "hidden_reason", MULTILINE),
    (ReportSection, "text", MULTILINE), (ReportSection, "evidence_url", LINE),
    (Charter, "title", LINE), (CharterVersion, "title", LINE),
    (CharterVersion, "preamble", MULTILINE),
    (Principle, "title", LINE), (Principle, "text", MULTILINE),
]


@cache
def _guard(kind: TextKind, where: str):
    def cleaned(target, value, oldvalue, initiator):
        return clean(value, kind, where=where) if isinstance(value, str) else value

    return cleaned


def guard_columns() -> None:
    """Clean every guarded column as it is set on a model (a refused text raises UnsafeText);
    bulk UPDATE statements are not seen, which is what `flask text check` is for."""
    for model, column, kind in GUARDED_COLUMNS:
        attribute = getattr(model, column)
        listener = _guard(kind, f"{model.__tablename__}.{column}")
        if not event.contains(attribute, "set", listener):
            event.listen(attribute, "set", listener, retval=True)
