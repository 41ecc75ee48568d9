"""Imports every domain's models so that metadata (and Alembic) sees all tables, and puts the
text guard on their free-text columns; defines none."""

from .accounts.models import Role, User  # noqa: F401
from .audit.models import AuditEntry  # noqa: F401
from .certificates.models import Certificate, CertificateCounter  # noqa: F401
from .charters.models import Charter, CharterVersion, Principle  # noqa: F401
from .commitments.annual.models import AnnualReport  # noqa: F401
from .commitments.models import Commitment  # noqa: F401
from .directory.models import DirectoryEntry, DirectoryPrinciple  # noqa: F401
from .idempotency.models import FormSubmission  # noqa: F401
from .mailing.models import OutboxMessage  # noqa: F401
from .moderation.missing_reports import ReportSuspension  # noqa: F401
from .organisations.models import Invitation, Membership, Organisation  # noqa: F401
from .organisations.name_index import NameIndexState  # noqa: F401
from .register.readmodel.models import ExportJob, RegisterEntry, RegisterState  # noqa: F401
from .signatures.models import Signature  # noqa: F401
from .text_columns import guard_columns

guard_columns()
