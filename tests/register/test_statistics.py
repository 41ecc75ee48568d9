"""The statistics page: figures from the register, accessible SVG charts, the map and its tables."""

import json
import re
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import delete

from charter_service.extensions import db
from charter_service.organisations import geo
from charter_service.organisations.models import OrganisationKind
from charter_service.register.readmodel import sync
from charter_service.register.readmodel.models import RegisterEntry
from charter_service.register.statistics import charts, region_map, stats
from charter_service.signatures.models import SignatureStatus
from charter_service.signatures.workflow import Transition, apply

SVG = "{http://www.w3.org/2000/svg}"
URL = "/registre/statistiques"


@pytest.fixture
def sign(make):
    version = make.version()

    def _sign(kind, departement, region, on, status=SignatureStatus.APPROVED):
        organisation = make.organisation(kind=kind, departement_code=departement,
                                         region_code=region)
        signature = make.signature(organisation, version, status=status,
                                   decided_at=datetime(on.year, on.month, on.day, 10, tzinfo=UTC))
        return signature

    return _sign


@pytest.fixture
def register(sign):
    """Five approved signatories over three months, plus a pending and a rejected one."""
    sign(OrganisationKind.ENTREPRISE, "69", "84", date(2025, 1, 15))
    sign(OrganisationKind.ENTREPRISE, "75", "11", date(2025, 1, 31))
    sign(OrganisationKind.ASSOCIATION, "69", "84", date(2025, 3, 1))
    sign(OrganisationKind.COLLECTIVITE, "13", "93", date(2025, 3, 20))
    sign(OrganisationKind.FONDATION, "971", "01", date(2025, 3, 31))
    sign(OrganisationKind.AUTRE, "29", "53", date(2025, 2, 2), status=SignatureStatus.PENDING)
    sign(OrganisationKind.AUTRE, "29", "53", date(2025, 2, 2), status=SignatureStatus.REJECTED)


def svgs(page: bytes) -> dict[str, ET.Element]:
    """Every inline SVG of the page, parsed as XML, by the id prefix of its title."""
    found = {}
    for text in re.findall(r"<svg\b.*?</svg>", page.decode(), flags=re.S):
        root = ET.fromstring(text)  # noqa: S314 (our own page)
        found[root.find(f"{SVG}title").get("id").removesuffix("-titre")] = root
    return found


def tables(page: bytes) -> list[ET.Element]:
    """The page's tables, parsed as XML (the template writes them well-formed)."""
    return [ET.fromstring(text)  # noqa: S314 (our own page)
            for text in re.findall(r"<table\b.*?</table>", page.decode(), flags=re.S)]


def table(page: bytes, table_id: str) -> dict[str, str]:
    found = next(t for t in tables(page) if t.get("id") == table_id)
    return {row.get("data-key"): row.find("td").text for row in found.iter("tr")
            if row.get("data-key")}


def test_figures_count_only_approved_signatures(app, register):
    figures = stats.compute(today=date(2025, 4, 10))
    assert figures.total == 5
    assert [(m.month, m.new, m.total) for m in figures.by_month] == [
        (date(2025, 1, 1), 2, 2), (date(2025, 2, 1), 0, 2), (date(2025, 3, 1), 3, 5),
        (date(2025, 4, 1), 0, 5)]
    assert dict(figures.by_kind) == {
        OrganisationKind.COLLECTIVITE: 1, OrganisationKind.ENTREPRISE: 2,
        OrganisationKind.ASSOCIATION: 1, OrganisationKind.FONDATION: 1,
        OrganisationKind.ACADEMIQUE: 0, OrganisationKind.AUTRE: 0}
    by_region = dict(figures.by_region)
    assert set(by_region) == set(geo.regions())
    assert {code: n for code, n in by_region.items() if n} == {"84": 2, "11": 1, "93": 1,
                                                               "01": 1}
    assert figures.by_region[0] == ("84", 2)
    assert figures.regions_represented == 4


def test_withdrawing_from_the_register_updates_the_cached_figures(app, register, sign, make):
    first = stats.statistics()
    # Same register generation: kept, even when a row changes behind the register's back.
    db.session.execute(delete(RegisterEntry))
    db.session.commit()
    assert stats.statistics() == first
    sync.rebuild()
    db.session.commit()
    signature = sign(OrganisationKind.ACADEMIQUE, "29", "53", date(2025, 3, 5))
    after = stats.statistics()
    assert after.total == first.total + 1
    assert dict(after.by_kind)[OrganisationKind.ACADEMIQUE] == 1
    apply(signature, Transition.WITHDRAW, actor=make.user())
    db.session.commit()
    assert stats.statistics().total == first.total


def test_page_charts_are_accessible_svg_matching_their_tables(client, register):
    response = client.get(URL)
    assert response.status_code == 200
    charts_by_id = svgs(response.data)
    charted = {"stat-mois", "stat-types", "stat-regions", "stat-odd", "stat-categories",
               "stat-principes"}
    assert set(charts_by_id) == {"stat-carte", *charted, *(f"{c}-etroit" for c in charted)}
    for prefix, svg in charts_by_id.items():
        assert svg.get("role") == "img"
        assert svg.get("aria-labelledby") == f"{prefix}-titre {prefix}-desc"
        assert svg.find(f"{SVG}title").text.strip()
        assert svg.find(f"{SVG}desc").get("id") == f"{prefix}-desc"
        assert svg.find(f"{SVG}desc").text.strip()

    kinds = {g.get("data-key"): g.get("data-value")
             for g in charts_by_id["stat-types"].iter(f"{SVG}g")}
    assert kinds == table(response.data, "stat-types-table")
    assert kinds["entreprise"] == "2" and kinds["academique"] == "0"

    regions = {g.get("data-key"): g.get("data-value")
               for g in charts_by_id["stat-regions"].iter(f"{SVG}g")}
    assert regions == table(response.data, "stat-regions-table")
    assert regions["84"] == "2" and regions["01"] == "1" and regions["53"] == "0"

    month_rows = {row.get("data-month"): [td.text for td in row.iter("td")]
                  for t in tables(response.data) for row in t.iter("tr") if row.get("data-month")}
    month_rects = {r.get("data-month"): [r.get("data-new"), r.get("data-total")]
                   for r in charts_by_id["stat-mois"].iter(f"{SVG}rect") if r.get("data-month")}
    assert month_rects == month_rows
    assert month_rects["2025-01"] == ["2", "2"] and month_rects["2025-03"] == ["3", "5"]
    assert len(tables(response.data)) == 6
    for found in tables(response.data):
        assert found.find("caption").text.strip()
        assert {th.get("scope") for th in found.iter("th")} == {"col", "row"}


def test_map_has_every_region_of_the_geometry_with_its_count(client, register):
    response = client.get(URL)
    svg = svgs(response.data)["stat-carte"]
    paths = {p.get("data-region"): p for p in svg.iter(f"{SVG}path") if p.get("data-region")}
    geometry = json.loads(region_map.GEOMETRY_FILE.read_text(encoding="utf-8"))
    assert set(paths) == {f["properties"]["code"] for f in geometry["features"]}
    assert set(paths) == set(geo.regions())
    assert {code: p.get("data-count") for code, p in paths.items()} == table(
        response.data, "stat-regions-table")
    assert paths["84"].find(f"{SVG}title").text == "Auvergne-Rhône-Alpes : 2 signataires"
    # Darkest class for the most signatories, the "none" colour for régions without any.
    assert paths["84"].get("fill") == region_map.classes(2)[-1][2]
    assert paths["53"].get("fill") == region_map.ZERO
    for path in paths.values():
        assert re.fullmatch(r"(M[-\d. L]+Z)+", path.get("d"))


def test_empty_register_page(client):
    response = client.get(URL)
    assert response.status_code == 200
    charts_by_id = svgs(response.data)
    assert len(charts_by_id) == 13
    assert "Aucun signataire pour l’instant." in charts_by_id["stat-mois"].find(f"{SVG}desc").text
    assert {p.get("data-count") for p in charts_by_id["stat-carte"].iter(f"{SVG}path")
            if p.get("data-region")} == {"0"}


def test_chart_text_is_escaped(app):
    with app.test_request_context():
        svg = charts.bar_chart([("x\"<", "<script>alert(1)</script> & co", 3)],
                               prefix="t", title="A <b>title</b>")
    root = ET.fromstring(str(svg))  # noqa: S314 (our own markup)
    assert root.find(f"{SVG}title").text == "A <b>title</b>"
    assert [t.text for t in root.iter(f"{SVG}text")][0] == "<script>alert(1)</script> & co"
    assert root.find(f"{SVG}g").get("data-key") == "x\"<"


def bars(svg: ET.Element) -> dict[str, str]:
    return {g.get("data-key"): g.get("data-value") for g in svg.iter(f"{SVG}g")}


def test_phones_get_narrow_bar_charts_with_the_same_bars(client, register):
    """Drawn 320 wide, labels above their bars: at 280 px wide, 14-unit text is 12 px high."""
    charts_by_id = svgs(client.get(URL).data)
    for prefix in ("stat-types", "stat-regions", "stat-odd", "stat-categories", "stat-principes"):
        wide, narrow = charts_by_id[prefix], charts_by_id[f"{prefix}-etroit"]
        assert wide.get("class") == "chart chart-wide"
        assert narrow.get("class") == "chart chart-narrow"
        assert narrow.get("viewBox").split()[2] == "320"
        assert narrow.find(f"{SVG}desc").text == wide.find(f"{SVG}desc").text
        assert bars(narrow) == bars(wide)
    assert charts_by_id["stat-mois-etroit"].get("viewBox") == "0 0 320 260"


def test_a_long_narrow_label_wraps_inside_the_chart(app):
    label = "Acteur académique ou de recherche et de l’enseignement supérieur"
    with app.test_request_context():
        root = ET.fromstring(str(charts.narrow_bar_chart(  # noqa: S314 (our own markup)
            [("a", label, 3), ("b", "Autre", 1)], prefix="t", title="T")))
    lines = [t.text for t in root.iter(f"{SVG}tspan")]
    assert " ".join(lines[:-1]) == label and lines[-1] == "Autre"
    assert all(len(line) <= charts.NARROW_LABEL_CHARS for line in lines)


@pytest.mark.parametrize(("maximum", "bounds"), [
    (1, [(1, 1)]), (3, [(1, 1), (2, 2), (3, 3)]), (7, [(1, 2), (3, 4), (5, 6), (7, 8)]),
    (37, [(1, 10), (11, 20), (21, 30), (31, 40)]), (100_000, [(1, 25_000), (25_001, 50_000),
                                                              (50_001, 75_000), (75_001, 100_000)]),
])
def test_map_classes_have_round_bounds(maximum, bounds):
    assert [(low, high) for low, high, _ in region_map.classes(maximum)] == bounds


def test_geometry_file_is_small_and_complete():
    assert region_map.GEOMETRY_FILE.stat().st_size < 300_000
    paths, insets = region_map.layout()
    assert set(paths) == set(geo.regions())
    assert [inset.code for inset in insets] == ["01", "02", "03", "04", "06"]
