"""register: the filing day of each signatory's latest visible progress update

Revision ID: e5a1c0de0008
Revises: c9246086be96
Create Date: 2026-12-01 16:10:00

"""
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from alembic import op
import sqlalchemy as sa


revision = 'e5a1c0de0008'
down_revision = 'c9246086be96'
branch_labels = None
depends_on = None

PARIS = ZoneInfo("Europe/Paris")


def upgrade():
    with op.batch_alter_table('register_entries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_report_on', sa.Date(), nullable=True))
    # What register.readmodel.sync computes for each row, written once for the rows there.
    connection = op.get_bind()
    latest = connection.execute(sa.text(
        "SELECT c.organisation_id, max(p.created_at) FROM progress_updates p "
        "JOIN commitments c ON c.id = p.commitment_id "
        "JOIN register_entries r ON r.organisation_id = c.organisation_id "
        "WHERE p.hidden_at IS NULL AND c.hidden_at IS NULL GROUP BY c.organisation_id")).all()
    for organisation_id, filed in latest:
        if isinstance(filed, str):
            filed = datetime.fromisoformat(filed)
        if filed.tzinfo is None:
            filed = filed.replace(tzinfo=UTC)
        connection.execute(
            sa.text("UPDATE register_entries SET last_report_on = :day "
                    "WHERE organisation_id = :id"),
            {"day": filed.astimezone(PARIS).date(), "id": organisation_id})


def downgrade():
    with op.batch_alter_table('register_entries', schema=None) as batch_op:
        batch_op.drop_column('last_report_on')
