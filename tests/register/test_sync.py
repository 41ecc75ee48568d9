"""register_entries follows its sources in the same transaction; a rebuild finds the same rows."""

from sqlalchemy import select

from charter_service.commitments.models import Visibility
from charter_service.extensions import db
from charter_service.register.readmodel.models import RegisterEntry, RegisterState
from charter_service.register.readmodel.sync import rebuild
from charter_service.signatures.models import Signature, SignatureStatus
from charter_service.signatures.workflow import Transition, apply

from .register_world import World


def entries() -> dict[str, dict]:
    rows = db.session.scalars(select(RegisterEntry).order_by(RegisterEntry.slug)).all()
    return {row.slug: {c.key: getattr(row, c.key) for c in RegisterEntry.__table__.columns
                       if c.key != "approved_at"} for row in rows}


def generation() -> int:
    return db.session.scalar(select(RegisterState.generation))


def test_entries_follow_workflow_edits_and_commitments(make):
    world = World(make)
    alpha = world.signatory("Alpha Coopérative")
    beta = world.signatory("Béta Solidaire")
    signature = db.session.scalar(select(Signature).where(Signature.organisation_id == beta.id))
    assert set(entries()) == {alpha.slug, beta.slug}
    assert entries()[alpha.slug]["search_text"] == "alpha cooperative lyon"

    before = generation()
    world.commitment(alpha)
    world.commitment(alpha, visibility=Visibility.PRIVATE)
    assert entries()[alpha.slug]["public_commitments"] == 1
    assert generation() > before

    apply(signature, Transition.WITHDRAW, actor=world.moderator, reason="Demande")
    db.session.commit()
    assert set(entries()) == {alpha.slug}

    world.edit(alpha, commune="Villeurbanne")
    assert entries()[alpha.slug]["commune"] == "Villeurbanne"

    # A pending signature leaves the register, and its cache, alone.
    before = generation()
    make.signature(make.organisation(name="Gamma"), world.version)
    assert generation() == before

    incremental = entries()
    assert rebuild() == 1
    db.session.commit()
    assert entries() == incremental


def test_a_rollback_leaves_the_register_as_it_was(make):
    world = World(make)
    alpha = world.signatory("Alpha")
    signature = db.session.scalar(select(Signature).where(Signature.organisation_id == alpha.id))
    apply(signature, Transition.SUSPEND, actor=world.moderator, reason="Enquête")
    db.session.flush()
    assert entries() == {}
    db.session.rollback()
    assert set(entries()) == {alpha.slug}
    assert db.session.get(Signature, signature.id).status == SignatureStatus.APPROVED


def test_register_rebuild_command_restores_rows_written_around_the_application(app, make):
    world = World(make)
    alpha = world.signatory("Alpha")
    db.session.execute(RegisterEntry.__table__.delete())
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["register", "rebuild"])
    assert result.exit_code == 0, result.output
    assert "Signataires au registre : 1." in result.output
    assert set(entries()) == {alpha.slug}


def test_merging_a_duplicate_moves_its_public_commitments_in_the_register(make):
    from charter_service.moderation.merge import merge_organisations

    world = World(make)
    keep = world.signatory("Alpha Coopérative")
    duplicate = world.signatory("Alpha Coopérative (doublon)")
    world.commitment(duplicate, sdgs=(13,))
    signature = db.session.scalar(select(Signature).where(
        Signature.organisation_id == duplicate.id))
    apply(signature, Transition.WITHDRAW, actor=world.moderator, reason="Doublon")
    db.session.commit()
    assert entries()[keep.slug]["public_commitments"] == 0
    keep_slug = keep.slug
    merge_organisations(keep, duplicate, world.moderator)
    db.session.commit()
    assert set(entries()) == {keep_slug}
    assert entries()[keep_slug]["public_commitments"] == 1
    assert entries()[keep_slug]["sdg_mask"] == 1 << 13
    incremental = entries()
    rebuild()
    db.session.commit()
    assert entries() == incremental


def test_two_transactions_refreshing_one_row_at_once_both_commit(app, make):
    """A request and a job refresh one organisation's row together: the second waits for the
    first, then reads what it wrote (on PostgreSQL it used to insert the row a second time and
    fail on the primary key; SQLite has one writer at a time)."""
    import threading

    from charter_service.register.readmodel.sync import refresh

    organisation = World(make).signatory("Élan Solidaire")
    db.session.execute(RegisterEntry.__table__.delete())
    db.session.commit()
    first = db.engine.connect()
    transaction = first.begin()
    assert refresh(first, [organisation.id])  # the row written, not yet committed
    outcome = {}

    def second():
        with app.app_context(), db.engine.begin() as connection:
            outcome["changed"] = refresh(connection, [organisation.id])

    thread = threading.Thread(target=second)
    thread.start()
    thread.join(0.5)
    transaction.commit()
    first.close()
    thread.join(10)
    assert outcome == {"changed": False}  # it found the row the first one wrote
    assert db.session.scalars(select(RegisterEntry.name)).all() == ["Élan Solidaire"]
