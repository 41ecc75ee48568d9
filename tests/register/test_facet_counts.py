"""The filter form's counts, derived from shared grouped queries, against a plain count of the
rows each value would select, for every kind of selection (place, SDG, category, search,
reporting status)."""

import itertools
from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from charter_service.commitments.models import Category
from charter_service.commitments.progress import local_today
from charter_service.commitments.reporting import ReportStatus, add_months, cadence_months
from charter_service.extensions import db
from charter_service.organisations.models import OrganisationKind as Kind
from charter_service.register import facets, queries
from charter_service.register.queries import Selection
from charter_service.register.readmodel.models import RegisterEntry

from .register_world import World

FILTER = {"type": "kind", "region": "region", "departement": "departement", "odd": "sdg",
          "categorie": "category", "bilan": "report"}


@pytest.fixture
def world(read_only_world, make) -> None:
    """Nine signatories (three kinds × three places) with one or two commitments each, in each
    reporting status, built once for the module: the tests only count."""
    read_only_world(lambda app: _build(World(make)))


def _build(world: World) -> None:
    places = [("69", "84", "Lyon"), ("75", "11", "Paris"), ("63", "84", "Clermont")]
    commitments = [((13,), Category.MECENAT), ((13, 8), Category.COOPERATION_ECONOMIQUE),
                   ((8,), Category.MECENAT), ((4,), Category.INNOVATION_SOCIETALE)]
    for number, (kind, place) in enumerate(itertools.product(
            (Kind.ASSOCIATION, Kind.ENTREPRISE, Kind.COLLECTIVITE), places)):
        organisation = world.signatory(f"Signataire {number} Lyon" if number % 2 else
                                       f"Signataire {number}", kind=kind, departement=place[0],
                                       region=place[1], commune=place[2],
                                       approved_on=_approved_on(kind, number % 4))
        for sdgs, category in commitments[number % 4:number % 4 + 1 + number % 2]:
            world.commitment(organisation, sdgs=sdgs, category=category)


def _approved_on(kind: Kind, status: int):
    """An approval whose first report is, today: not yet due, due within days, late by a
    month, or owed for more than a year (« non communicant »)."""
    today, months = local_today(), cadence_months(kind)
    return [today, add_months(today, -months) + timedelta(days=10),
            add_months(today, -months - 1), add_months(today, -months - 14)][status]


def _plain_count(selection: Selection) -> int:
    return db.session.scalar(select(func.count()).select_from(RegisterEntry)
                             .where(*queries.conditions(selection)))


SELECTIONS = [
    Selection(), Selection(kind=Kind.ASSOCIATION), Selection(region="84"),
    Selection(kind=Kind.ENTREPRISE, departement="75"), Selection(sdg=13), Selection(sdg=8),
    Selection(category=Category.MECENAT), Selection(sdg=13, category=Category.MECENAT),
    Selection(sdg=8, category=Category.COOPERATION_ECONOMIQUE, region="84"),
    Selection(q="lyon"), Selection(q="lyon", kind=Kind.COLLECTIVITE, sdg=13),
    Selection(q="lyon", category=Category.MECENAT, departement="69"),
    Selection(report=ReportStatus.LATE), Selection(report=ReportStatus.DUE, region="84"),
    Selection(q="lyon", report=ReportStatus.NON_COMMUNICATING),
    Selection(category=Category.MECENAT, report=ReportStatus.UP_TO_DATE),
]


@pytest.mark.parametrize("selection", SELECTIONS, ids=repr)
def test_each_value_counts_what_choosing_it_would_select(app, world, selection):
    shown = facets.facets(selection)
    for name, attribute in FILTER.items():
        for value in shown[name]:
            typed = {"kind": Kind, "category": Category, "report": ReportStatus}.get(attribute)
            chosen = typed(value.value) if typed else (
                int(value.value) if attribute == "sdg" else value.value)
            expected = _plain_count(replace(selection, **{attribute: chosen}))
            assert value.count == expected, (name, value.value)
    # The page's total comes from the same cells, and agrees with a plain count.
    assert queries.count(selection) == _plain_count(selection)


def test_the_world_has_signatories_in_every_reporting_status(app, world):
    """Else the counts by status above would compare zeros."""
    counts = {value.value: value.count for value in facets.facets(Selection())["bilan"]}
    assert all(counts[status.value] >= 2 for status in ReportStatus), counts


@pytest.mark.parametrize("sort", ["nom", "date"])
def test_pages_of_a_broad_search_walk_the_order_and_give_the_same_rows(app, world, sort):
    """A search matching most of the register is paged by walking the order's index (SQLite)
    rather than by sorting every match: the same rows, in the same order, on every page."""
    broad = Selection(q="lyon", sort=sort)
    total = queries.count(broad)
    per_page = 2
    assert queries._in_order(broad, total, per_page)  # 6 of 12 signatories: 36 > 2 × 12
    expected = [row["slug"] for row in queries.iter_rows(broad)]
    pages = [queries.page(broad, number, per_page).rows
             for number in range(1, -(-total // per_page) + 1)]
    assert [row["slug"] for rows in pages for row in rows] == expected
    assert len(expected) == total == 6
