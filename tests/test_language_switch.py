"""The language switch returns to the same page with the same query, as a same-origin URL."""

import re

import pytest

from charter_service.i18n import switch_url


def _switch(page: str, language: str) -> str:
    found = re.search(rf'<a href="([^"]*)" lang="{language}" hreflang="{language}">', page)
    return found.group(1).replace("&amp;", "&")


@pytest.mark.parametrize("url,expected", [
    ("/registre?departement=69&tri=nom&page=2",
     "/registre?departement=69&tri=nom&page=2&lang=en"),
    ("/engagements?q=jardin+partag%C3%A9&lang=fr", "/engagements?q=jardin+partag%C3%A9&lang=en"),
    ("/verifier/CFA-2026-000001", "/verifier/CFA-2026-000001?lang=en"),
])
def test_the_switch_keeps_the_page_and_its_query(client, url, expected):
    page = client.get(url, headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert _switch(page, "en") == expected
    english = client.get(expected).get_data(as_text=True)
    assert 'lang="en"' in english and _switch(english, "fr") == expected.replace("lang=en",
                                                                                "lang=fr")


@pytest.mark.parametrize("path", ["//evil.example/x", "/\\evil.example/x", "///evil.example"])
def test_the_switch_never_leaves_the_site(app, path):
    with app.test_request_context(environ_overrides={"PATH_INFO": path, "QUERY_STRING": "a=1"}):
        url = switch_url("en")
    assert url.startswith("/") and not url.startswith(("//", "/\\")) and url.endswith("a=1&lang=en")
