"""The directory's rows follow the commitments, their partners and progress, and the
organisations and signatures they depend on, through the domain signals."""

from datetime import date

from sqlalchemy import delete, select

from charter_service.commitments import moderation
from charter_service.commitments.models import Category, Visibility
from charter_service.directory import sync
from charter_service.directory.models import DirectoryEntry, DirectoryPrinciple
from charter_service.extensions import db
from charter_service.signatures.models import Signature
from charter_service.signatures.workflow import Transition

from .directory_world import DirectoryWorld


def _entries() -> dict[int, DirectoryEntry]:
    db.session.expire_all()
    return {e.commitment_id: e for e in db.session.scalars(select(DirectoryEntry))}


def test_a_public_commitment_gets_its_row_with_partners_and_progress(make):
    world = DirectoryWorld(make)
    holder = world.signatory("Élan Solidaire", departement="42", region="84")
    partner = world.signatory("Ville de Saint-Étienne", departement="42")
    commitment = world.commit(holder, "Jardins partagés", sdgs=(2, 11), principles=(0, 2))
    world.partner(commitment, partner)
    world.outside_partner(commitment, "Collectif Vélo")
    world.report(commitment, "Deux jardins ouverts.", on=date(2026, 5, 2))
    world.report(commitment, "Trois jardins ouverts.", on=date(2026, 9, 3))
    entry = _entries()[commitment.id]
    assert (entry.organisation_name, entry.title, entry.principles) == (
        "Élan Solidaire", "Jardins partagés", "P1 P3")
    assert entry.partners == "Ville de Saint-Étienne ; Collectif Vélo" and entry.joint
    assert (entry.progress_on, entry.progress_text) == (date(2026, 9, 3), "Trois jardins ouverts.")
    assert entry.sdg_mask == (1 << 2) | (1 << 11)
    assert sorted(db.session.scalars(select(DirectoryPrinciple.code))) == ["P1", "P3"]
    assert "saint etienne" in entry.search_text and "jardins partages" in entry.search_text


def test_private_hidden_and_unapproved_commitments_stay_out(make):
    world = DirectoryWorld(make)
    holder = world.signatory("Association Alpha")
    shown = world.commit(holder, "Montré")
    world.commit(holder, "Privé", visibility=Visibility.PRIVATE)
    hidden = world.commit(holder, "Masqué")
    moderation.hide(hidden, "Hors sujet.", world.moderator)
    db.session.commit()
    assert set(_entries()) == {shown.id}
    moderation.unhide(hidden, world.moderator)
    db.session.commit()
    assert set(_entries()) == {shown.id, hidden.id}


def test_rows_follow_the_organisation_and_its_signature(make):
    world = DirectoryWorld(make)
    holder = world.signatory("Ancien Nom")
    partner = world.signatory("Partenaire Ancien")
    commitment = world.commit(holder, category=Category.MECENAT)
    world.partner(commitment, partner)
    world.edit(holder, name="Nouveau Nom")
    world.edit(partner, name="Partenaire Nouveau")
    entry = _entries()[commitment.id]
    assert (entry.organisation_name, entry.partners) == ("Nouveau Nom", "Partenaire Nouveau")


def test_a_suspended_signatory_leaves_the_directory(make):
    world = DirectoryWorld(make)
    holder = world.signatory("Association Beta")
    world.commit(holder)
    signature = db.session.scalar(select(Signature).where(Signature.organisation_id == holder.id))
    make.decide(signature, Transition.SUSPEND, by=world.moderator)
    assert _entries() == {}


def test_rebuild_gives_the_rows_the_signals_gave(make):
    world = DirectoryWorld(make)
    holder = world.signatory("Association Gamma")
    partner = world.signatory("Association Delta")
    commitment = world.commit(holder, principles=(1,))
    world.partner(commitment, partner)
    world.report(commitment, "Bilan.")
    before = {i: {c: getattr(e, c) for c in DirectoryEntry.__table__.columns.keys()}
              for i, e in _entries().items()}
    assert sync.rebuild() == 1
    db.session.commit()
    after = {i: {c: getattr(e, c) for c in DirectoryEntry.__table__.columns.keys()}
             for i, e in _entries().items()}
    assert after == before


def test_the_rebuild_command_restores_rows_removed_behind_its_back(app, make):
    world = DirectoryWorld(make)
    world.commit(world.signatory("Association Epsilon"))
    db.session.execute(delete(DirectoryPrinciple))
    db.session.execute(delete(DirectoryEntry))
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["directory", "rebuild"])
    assert result.exit_code == 0, result.output
    assert "Engagements publics : 1." in result.output
    assert len(_entries()) == 1
