"""Hostile input on every form route: never a 500, nothing stored, a clear French answer."""

import io

import pytest
from flask import url_for
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.routing import IntegerConverter
from werkzeug.test import encode_multipart

from charter_service.extensions import db
from charter_service.organisations.models import Organisation
from charter_service.signatures.models import Signature

TEN_MB = 10 * 1024 * 1024
FORGED_INT = 987654


def _post_routes(app):
    for rule in app.url_map.iter_rules():
        if "POST" in rule.methods and not rule.rule.startswith("/api/"):
            yield rule


def _url(app, rule, values):
    """Fill the rule's arguments: known ones from `values`, ints forged, strings unknown."""
    arguments = {}
    for name in rule.arguments:
        converter = rule._converters[name]
        forged = FORGED_INT if isinstance(converter, IntegerConverter) else "inconnu"
        arguments[name] = values.get(name, forged)
    with app.test_request_context():
        return url_for(rule.endpoint, **arguments)


@pytest.fixture
def owner_setup(make, login, client):
    owner = make.user()
    organisation = make.organisation(owner=owner, siren="732829320")
    make.version()
    login(owner)
    return {"organisation_id": organisation.id, "token": "jeton-invalide",
            "slug": organisation.slug}


def _counts():
    return (db.session.scalar(select(func.count()).select_from(Organisation)),
            db.session.scalar(select(func.count()).select_from(Signature)))


def test_ten_megabyte_body_is_refused_with_413_everywhere(app, client, owner_setup):
    boundary, body = encode_multipart(
        {"file": FileStorage(io.BytesIO(b"x" * TEN_MB), filename="gros.pdf")})
    content_type = f"multipart/form-data; boundary={boundary}"
    before = _counts()
    for rule in _post_routes(app):
        url = _url(app, rule, owner_setup)
        response = client.post(url, data=body, content_type=content_type)
        assert response.status_code == 413, url
        assert "Envoi trop volumineux" in response.get_data(as_text=True), url
    assert _counts() == before


@pytest.mark.parametrize("body", [
    b"name=\xff\xfe\xfa&email=\xc3\x28@example.org&password=\x80\x81",
    b"name=%F0%9F%98%80%E2%80%AE%D8%B9%D8%B1%D8%A8%D9%8A&email=<script>alert(1)</script>",
    b"",
])
def test_odd_bodies_never_answer_500(app, client, owner_setup, body):
    for rule in _post_routes(app):
        url = _url(app, rule, owner_setup)
        response = client.post(url, data=body, content_type="application/x-www-form-urlencoded")
        assert response.status_code < 500, url
        if response.mimetype.startswith("text/") or response.is_json:  # a PDF is no page
            assert "<script>alert(1)</script>" not in response.get_data(as_text=True), url


def test_get_routes_with_forged_ids_never_answer_500(app, client, owner_setup):
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        url = _url(app, rule, {})
        response = client.get(url)
        assert response.status_code < 500, url
        if rule.arguments & {"organisation_id", "signature_id"}:
            assert response.status_code in (403, 404), url


class TestCSRF:
    @pytest.fixture
    def app_config(self):
        return {"WTF_CSRF_ENABLED": True}

    def test_posts_without_or_with_a_foreign_token_are_refused(self, app, client, owner_setup):
        before = _counts()
        for rule in _post_routes(app):
            url = _url(app, rule, owner_setup)
            for token in (None, "IjFhMmIzYyI.Zm9yZWlnbg.c2lnbmF0dXJl"):
                data = {"name": "Nouvelle", "csrf_token": token} if token else {"name": "Nouvelle"}
                response = client.post(url, data=data)
                assert response.status_code == 400, url
                assert "Le formulaire a expiré" in response.get_data(as_text=True), url
        assert _counts() == before
