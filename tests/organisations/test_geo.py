"""The INSEE code lists shipped with the service."""

import json

import pytest

from charter_service.organisations import geo


def test_data_file_holds_every_departement_and_region_once():
    data = json.loads(geo.DATA_FILE.read_text(encoding="utf-8"))
    departement_codes = [d["code"] for d in data["departements"]]
    region_codes = [r["code"] for r in data["regions"]]
    assert len(departement_codes) == len(set(departement_codes)) == 101
    assert len(region_codes) == len(set(region_codes)) == 18
    assert {d["region"] for d in data["departements"]} == set(region_codes)
    assert set(region_codes) == {"01", "02", "03", "04", "06", "11", "24", "27", "28", "32",
                                 "44", "52", "53", "75", "76", "84", "93", "94"}
    expected = {f"{n:02d}" for n in range(1, 96) if n != 20} | {"2A", "2B"} | {
        "971", "972", "973", "974", "976"}
    assert set(departement_codes) == expected


@pytest.mark.parametrize("code,name,region_code,region_name", [
    ("69", "Rhône", "84", "Auvergne-Rhône-Alpes"),
    ("2A", "Corse-du-Sud", "94", "Corse"),
    ("971", "Guadeloupe", "01", "Guadeloupe"),
    ("976", "Mayotte", "06", "Mayotte"),
    ("75", "Paris", "11", "Île-de-France"),
    ("13", "Bouches-du-Rhône", "93", "Provence-Alpes-Côte d'Azur"),
    ("59", "Nord", "32", "Hauts-de-France"),
    ("35", "Ille-et-Vilaine", "53", "Bretagne"),
    ("21", "Côte-d'Or", "27", "Bourgogne-Franche-Comté"),
    ("974", "La Réunion", "04", "La Réunion"),
])
def test_known_departements(code, name, region_code, region_name):
    assert geo.departement_name(code) == name
    assert geo.region_of(code) == region_code
    assert geo.region_name(region_code) == region_name


def test_helpers_for_unknown_codes_and_choices():
    assert geo.departement_name("20") == "" and geo.region_of("99") is None
    assert geo.region_name(None) == ""
    choices = geo.departement_choices()
    assert choices[0] == ("01", "01 – Ain") and len(choices) == 101
    assert [name for _, name in geo.region_choices()][:2] == [
        "Auvergne-Rhône-Alpes", "Bourgogne-Franche-Comté"]


@pytest.mark.parametrize("postcode,departement,matches", [
    ("69002", "69", True), ("01000", "01", True), ("20000", "2A", True), ("20200", "2B", True),
    ("97110", "971", True), ("97600", "976", True), ("69002", "13", False),
    ("97110", "972", False), ("20000", "69", False), ("75001", "974", False),
])
def test_postcode_agrees_with_departement(postcode, departement, matches):
    assert geo.postcode_matches(postcode, departement) is matches
