"""reporting status: the register stores each signatory's report due date; a reminder 30 days
after it; the suspensions for missing report

`register_entries.report_due_on` is computed here with the default cadences of config.py
(REPORTING_CADENCE_MONTHS); a deployment that sets other cadences runs `flask register rebuild`
after the upgrade. `reminders_sent.kind` takes the new value `after_30`. `report_suspensions`
holds the signatures suspended for a missing report while that suspension lasts.

Revision ID: a16b2e0d5c71
Revises: a9e5b7c3d1f2
Create Date: 2026-12-02 00:50:00

"""
import calendar
from datetime import date

from alembic import op
import sqlalchemy as sa


revision = 'a16b2e0d5c71'
down_revision = 'a9e5b7c3d1f2'
branch_labels = None
depends_on = None

CADENCES = {'entreprise': 12, 'collectivite': 24, 'association': 24, 'fondation': 24,
            'academique': 24, 'autre': 12}
OLD_KINDS = ('30', '7')
NEW_KINDS = ('30', '7', 'after_30')

entries = sa.table('register_entries', sa.column('organisation_id', sa.Integer),
                   sa.column('kind', sa.String), sa.column('signed_on', sa.Date),
                   sa.column('last_report_on', sa.Date), sa.column('report_due_on', sa.Date))


# SQLite rebuilds register_entries to make the column NOT NULL: its full-text index (an FTS5
# table kept by triggers, register/readmodel/search.py, as of this revision) is made again.
SQLITE_SEARCH_DROP = [
    "DROP TRIGGER IF EXISTS register_search_au", "DROP TRIGGER IF EXISTS register_search_ad",
    "DROP TRIGGER IF EXISTS register_search_ai", "DROP TABLE IF EXISTS register_search"]
SQLITE_SEARCH_DDL = [
    """CREATE VIRTUAL TABLE register_search USING fts5(
    search_text, content='register_entries', content_rowid='organisation_id',
    tokenize='unicode61 remove_diacritics 2', prefix='2 3')""",
    """CREATE TRIGGER register_search_ai AFTER INSERT ON register_entries BEGIN
    INSERT INTO register_search(rowid, search_text)
    VALUES (new.organisation_id, new.search_text);
END""",
    """CREATE TRIGGER register_search_ad AFTER DELETE ON register_entries BEGIN
    INSERT INTO register_search(register_search, rowid, search_text)
    VALUES ('delete', old.organisation_id, old.search_text);
END""",
    """CREATE TRIGGER register_search_au AFTER UPDATE ON register_entries BEGIN
    INSERT INTO register_search(register_search, rowid, search_text)
    VALUES ('delete', old.organisation_id, old.search_text);
    INSERT INTO register_search(rowid, search_text)
    VALUES (new.organisation_id, new.search_text);
END""",
    "INSERT INTO register_search(register_search) VALUES ('rebuild')",
]


def _rebuild_sqlite_search():
    if op.get_bind().dialect.name == 'sqlite':
        for statement in SQLITE_SEARCH_DROP + SQLITE_SEARCH_DDL:
            op.execute(statement)


def _kind(values):
    return sa.Enum(*values, name='reminder_kind', native_enum=False, create_constraint=True,
                   length=32)


def _add_months(day: date, months: int) -> date:
    years, month_index = divmod(day.month - 1 + months, 12)
    year, month = day.year + years, month_index + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _as_date(value):
    return date.fromisoformat(value) if isinstance(value, str) else value


def upgrade():
    with op.batch_alter_table('register_entries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('report_due_on', sa.Date(), nullable=True))
    connection = op.get_bind()
    rows = connection.execute(sa.select(entries.c.organisation_id, entries.c.kind,
                                        entries.c.signed_on, entries.c.last_report_on)).all()
    for organisation_id, kind, signed_on, last_report_on in rows:
        signed_on, last_report_on = _as_date(signed_on), _as_date(last_report_on)
        start = max(signed_on, last_report_on or signed_on)
        connection.execute(entries.update().where(entries.c.organisation_id == organisation_id)
                           .values(report_due_on=_add_months(start, CADENCES.get(kind, 12))))
    with op.batch_alter_table('register_entries', schema=None) as batch_op:
        batch_op.alter_column('report_due_on', existing_type=sa.Date(), nullable=False)
        batch_op.create_index('ix_register_entries_report_due_on',
                              ['report_due_on', 'organisation_id'], unique=False)
    _rebuild_sqlite_search()
    with op.batch_alter_table('reminders_sent', schema=None) as batch_op:
        if connection.dialect.name == 'sqlite':
            batch_op.drop_constraint(op.f('ck_reminders_sent_reminder_kind'), type_='check')
        batch_op.alter_column('kind', existing_type=_kind(OLD_KINDS), type_=_kind(NEW_KINDS),
                              existing_nullable=False)
    op.create_table(
        'report_suspensions',
        sa.Column('signature_id', sa.Integer(), nullable=False),
        sa.Column('due_on', sa.Date(), nullable=False),
        sa.Column('suspended_at', sa.DateTime(), nullable=False),
        sa.Column('suspended_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['signature_id'], ['signatures.id'],
                                name=op.f('fk_report_suspensions_signature_id_signatures'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['suspended_by_id'], ['users.id'],
                                name=op.f('fk_report_suspensions_suspended_by_id_users'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('signature_id', name=op.f('pk_report_suspensions')))


def downgrade():
    op.drop_table('report_suspensions')
    reminders = sa.table('reminders_sent', sa.column('kind', sa.String))
    op.execute(reminders.delete().where(reminders.c.kind == 'after_30'))
    with op.batch_alter_table('reminders_sent', schema=None) as batch_op:
        if op.get_bind().dialect.name == 'sqlite':
            batch_op.drop_constraint(op.f('ck_reminders_sent_reminder_kind'), type_='check')
        batch_op.alter_column('kind', existing_type=_kind(NEW_KINDS), type_=_kind(OLD_KINDS),
                              existing_nullable=False)
    with op.batch_alter_table('register_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_register_entries_report_due_on')
        batch_op.drop_column('report_due_on')
    _rebuild_sqlite_search()
