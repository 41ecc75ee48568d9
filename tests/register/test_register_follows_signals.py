"""The register follows the services' signals, a merge's bulk UPDATEs included, and its
generation (the key of every cached page) moves only when a row it shows really changed."""

from flask import template_rendered

from charter_service.commitments.models import Visibility
from charter_service.extensions import db
from charter_service.moderation.merge import merge_organisations
from charter_service.register.readmodel.sync import rebuild

from .register_world import World
from .test_register_page import names
from .test_sync import entries, generation


def test_a_merge_moves_the_signatory_and_its_commitments_in_the_register(make):
    """A merge moves commitments by a bulk UPDATE of their foreign key (moderation/merge.py):
    the register hears of it through organisations_merged, as a rebuild would see it."""
    world = World(make)
    kept = make.organisation(name="Alpha Coopérative")
    removed = world.signatory("Alpha Coopérative (doublon)")
    world.commitment(removed, sdgs=(13,))
    world.commitment(removed, sdgs=(4,))
    assert entries()[removed.slug]["public_commitments"] == 2
    removed_slug = removed.slug

    merge_organisations(kept, removed, world.moderator)
    db.session.commit()

    assert removed_slug not in entries()
    assert entries()[kept.slug]["public_commitments"] == 2
    assert entries()[kept.slug]["sdg_mask"] == (1 << 13) | (1 << 4)
    incremental = entries()
    rebuild()
    db.session.commit()
    assert entries() == incremental


def test_the_generation_moves_only_when_a_row_the_register_shows_changes(make):
    world = World(make)
    alpha = world.signatory("Alpha Coopérative")
    before = generation()

    world.edit(alpha, description="Une description que le registre ne montre pas.")
    world.commitment(alpha, visibility=Visibility.PRIVATE)
    assert generation() == before

    world.edit(alpha, name="Alpha Coopérative Solidaire")
    assert generation() > before
    assert entries()[alpha.slug]["name"] == "Alpha Coopérative Solidaire"


def test_a_cached_page_is_served_again_until_what_it_shows_changes(app, client, make):
    world = World(make)
    alpha = world.signatory("Alpha Coopérative")
    rendered = []

    def record(_, template, **__):
        rendered.append(template.name)

    with template_rendered.connected_to(record, app):
        assert names(client.get("/registre")) == ["Alpha Coopérative"]
        assert rendered.count("register/index.html") == 1

        world.edit(alpha, description="Une description que le registre ne montre pas.")
        assert names(client.get("/registre")) == ["Alpha Coopérative"]
        assert rendered.count("register/index.html") == 1  # the cached page, served again

        world.edit(alpha, name="Alpha Coopérative Solidaire")
        assert names(client.get("/registre")) == ["Alpha Coopérative Solidaire"]
        assert rendered.count("register/index.html") == 2
