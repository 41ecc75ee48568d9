import hashlib
import re

import pytest

from charter_service.charters.models import VersionStatus
from charter_service.charters.services import (
    DEMO_CHARTER_FILE,
    import_version,
    publish_version,
)
from charter_service.charters.yamlfile import read_charter_file
from charter_service.extensions import db


@pytest.fixture
def demo_version(app):
    version = import_version(read_charter_file(DEMO_CHARTER_FILE))
    publish_version(version.number)
    db.session.commit()
    return version


def test_current_charter_shows_sections_banner_and_fingerprint(client, demo_version):
    response = client.get("/charte")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert page.count("<h1") == 1
    assert "Charte du faire alliance" in page and "Version 1" in page
    assert 'class="demo-banner"' in page and "Texte de démonstration" in page
    headings = re.findall(r'<h2 id="section-\w+">([^<]+)</h2>', page)
    assert headings == ["Principes", "Modalités d’action", "Moyens d’agir"]
    assert "P13" in page and "Donner à l&#39;alliance le temps" in page
    assert demo_version.sha256()[:16] in page
    assert 'href="/espace/"' in page
    assert client.get("/charte/").status_code == 200


def test_preamble_markdown_is_rendered_and_raw_html_escaped(client, make):
    version = make.version()
    version.preamble = ("# Titre\n\nUn **engagement**.\n\n<script>alert('x')</script>\n\n"
                        "[piège](javascript:alert(1)) <img src=x onerror=alert(1)>")
    db.session.commit()
    page = client.get("/charte").get_data(as_text=True)
    assert "<strong>engagement</strong>" in page
    assert "<h2>Titre</h2>" in page  # one h1 per page: preamble headings move down
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "<img" not in page and "javascript:" not in page


def test_no_published_version_is_a_friendly_page(client, make):
    make.version(status=VersionStatus.DRAFT)
    response = client.get("/charte")
    assert response.status_code == 200
    assert "pas encore publiée" in response.get_data(as_text=True)


def test_draft_and_unknown_versions_are_not_found(client, make):
    make.version(number=1)
    make.version(number=2, status=VersionStatus.DRAFT)
    assert client.get("/charte/v/2").status_code == 404
    assert client.get("/charte/v/3").status_code == 404
    assert client.get("/charte/v/1").status_code == 200


def test_archived_version_says_so_and_links_to_the_current_one(client, make):
    make.version(number=1)
    make.version(number=2, status=VersionStatus.DRAFT)
    publish_version(2)
    db.session.commit()

    page = client.get("/charte/v/1").get_data(as_text=True)
    assert "Cette version est archivée" in page and 'href="/charte"' in page
    assert 'href="/espace/"' not in page  # an archived version is not open for signing
    current = client.get("/charte").get_data(as_text=True)
    assert "Version 2" in current and 'href="/charte/v/1"' in current
    assert "archivée" in current


def test_api_returns_the_current_version(client, demo_version):
    response = client.get("/api/v1/charter")
    assert response.status_code == 200
    body = response.get_json()
    assert body["charter_title"] == "Charte du faire alliance"
    assert body["number"] == 1 and body["demonstration"] is True
    assert body["sha256"] == hashlib.sha256(
        demo_version.canonical_text().encode()).hexdigest()
    assert body["published_at"].startswith(demo_version.published_at.date().isoformat())
    assert body["principles"][0] == {
        "code": "P1", "section": "principes", "title": demo_version.principles[0].title,
        "text": demo_version.principles[0].text}
    assert len(body["principles"]) == len(demo_version.principles)
    assert client.get("/api/v1/charter/").status_code == 200


def test_api_without_published_version_is_a_json_404(client):
    response = client.get("/api/v1/charter")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == 404


def test_openapi_documents_the_charter_endpoint(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    operation = spec["paths"]["/api/v1/charter"]["get"]
    assert {"200", "404"} <= set(operation["responses"])
    fields = spec["components"]["schemas"]["CharterVersion"]["properties"]
    assert {"number", "sha256", "principles", "published_at", "demonstration"} <= set(fields)


def test_out_of_range_version_number_is_not_found(client, make):
    make.version(number=1)
    assert client.get(f"/charte/v/{2**31}").status_code == 404
    assert client.get(f"/charte/v/{2**70}").status_code == 404
