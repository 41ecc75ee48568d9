"""The statistics page counts public commitments by SDG, partnership category and principle."""

import re


def _table(page: str, table_id: str) -> dict[str, int]:
    body = re.search(rf'<table id="{table_id}">(.*?)</table>', page, re.S).group(1)
    return {key: int(value) for key, value in re.findall(
        r'<tr data-key="([^"]+)"><th scope="row">[^<]*</th><td>(\d+)</td></tr>', body)}


def test_commitments_by_sdg_category_and_principle(client, three):
    page = client.get("/registre/statistiques").get_data(as_text=True)
    assert "3 engagements publics" in page
    sdgs = _table(page, "stat-odd-table")
    assert len(sdgs) == 17
    assert {k: v for k, v in sdgs.items() if v} == {"4": 1, "7": 1, "8": 1, "13": 1, "17": 1}
    assert _table(page, "stat-categories-table") == {
        "pratiques_responsables": 0, "cooperation_economique": 1, "innovation_societale": 1,
        "mecenat": 1}
    assert _table(page, "stat-principes-table") == {"P1": 1, "P2": 1, "P3": 1}
    chart = page[page.index('id="stat-odd-titre"'):page.index('id="stat-odd-table"')]
    bars = re.findall(r'<g data-key="(\d+)" data-value="(\d+)">', chart)
    assert {key: int(value) for key, value in bars} == sdgs
