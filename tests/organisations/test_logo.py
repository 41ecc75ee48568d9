"""Logos: checked by content, re-encoded to a clean PNG, served publicly with safe headers."""

from io import BytesIO

import pytest
from PIL import Image
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from charter_service.extensions import db
from charter_service.signatures.models import SignatureStatus

from .helpers import (
    CREATE_URL,
    gif,
    jpeg_with_exif,
    only_organisation,
    organisation_count,
    organisation_form,
    png,
    png_header_only,
    text,
    upload,
)


@pytest.fixture
def owner(make, login):
    user = make.user()
    login(user)
    return user


def _create_with_logo(client, data: bytes, filename: str):
    return client.post(CREATE_URL, data={**organisation_form(), "logo": upload(data, filename)})


def test_png_logo_is_reencoded_without_its_metadata_and_served(client, owner):
    original = png(size=(1200, 300), comment="secret-location-45.76N")
    assert _create_with_logo(client, original, "logo.png").status_code == 302
    organisation = only_organisation()
    response = client.get(f"/organisations/{organisation.slug}/logo")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "image/png"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    # No public page yet: its owner sees it, uncached (tests/organisations/test_logo_access.py).
    assert response.headers["Cache-Control"] == "private, no-store" and response.headers["ETag"]
    served = response.get_data()
    assert served != original and b"secret-location" not in served
    image = Image.open(BytesIO(served))
    assert image.format == "PNG" and image.size == (800, 200) and image.mode == "RGBA"
    assert "Comment" not in image.info
    again = client.get(f"/organisations/{organisation.slug}/logo",
                       headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def test_jpeg_logo_becomes_a_png_without_exif(client, owner):
    assert _create_with_logo(client, jpeg_with_exif(), "photo.JPG").status_code == 302
    organisation = only_organisation()
    assert organisation.logo_mime == "image/png"
    served = client.get(f"/organisations/{organisation.slug}/logo").get_data()
    image = Image.open(BytesIO(served))
    assert image.format == "PNG" and image.size == (800, 600) and image.mode == "RGB"
    assert b"secret-gps" not in served and "exif" not in image.info


@pytest.mark.parametrize("data,filename,message", [
    (b"Ceci n'est pas une image.\n" * 20, "logo.png", "n’est pas une image PNG ou JPEG"),
    (gif(), "logo.gif", "n’est pas une image PNG ou JPEG"),
    (gif(), "logo.png", "n’est pas une image PNG ou JPEG"),
    (png()[:60], "tronque.png", "n’est pas une image PNG ou JPEG"),
    (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "logo.png", "n’est pas une image PNG ou JPEG"),
    (png_header_only(30000, 30000), "bombe.png", "L’image est trop grande"),
    (png_header_only(5000, 5000), "grande.png", "L’image est trop grande"),
], ids=["text", "gif", "gif-renamed", "truncated", "svg", "bomb", "over-pixels"])
def test_unacceptable_files_are_refused(client, owner, data, filename, message):
    response = _create_with_logo(client, data, filename)
    assert response.status_code == 200
    assert message in text(response)
    assert organisation_count() == 0


def test_oversize_logo_is_refused(client, owner, app):
    app.config["LOGO_MAX_BYTES"] = 4096
    noisy = Image.frombytes("RGB", (64, 64), bytes(range(256)) * 48)
    output = BytesIO()
    noisy.save(output, format="PNG", compress_level=0)
    assert len(output.getvalue()) > 4096
    page = text(_create_with_logo(client, output.getvalue(), "lourd.png"))
    assert "la limite est de 4 Ko" in page
    assert organisation_count() == 0


def test_over_pixel_logo_is_refused(client, owner, app):
    app.config["LOGO_MAX_PIXELS"] = 100 * 100
    page = text(_create_with_logo(client, png(size=(200, 100)), "large.png"))
    assert "L’image est trop grande : 10 000 pixels au plus" in page.replace("\u202f", " ")
    assert organisation_count() == 0


def test_upload_over_the_request_limit_gets_the_french_413_page(client, owner):
    # Encoded in memory: the test client would otherwise spool the body to a file it never closes.
    big = FileStorage(BytesIO(b"\x89PNG" + b"\x00" * (10 * 1024 * 1024)), filename="big.png")
    boundary, body = encode_multipart({**organisation_form(), "logo": big})
    assert len(body) > 10 * 1024 * 1024
    response = client.post(CREATE_URL, data=body,
                           content_type=f"multipart/form-data; boundary={boundary}")
    assert response.status_code == 413
    assert "Envoi trop volumineux" in text(response)
    assert organisation_count() == 0


def test_logo_url_is_404_without_a_logo_or_an_organisation(client, make):
    organisation = make.organisation()
    assert client.get(f"/organisations/{organisation.slug}/logo").status_code == 404
    assert client.get("/organisations/inconnue/logo").status_code == 404


def test_a_signatory_logo_is_public(client, make):
    organisation = make.organisation()
    organisation.logo, organisation.logo_mime = png(), "image/png"
    db.session.commit()
    make.signature(organisation, make.version(), status=SignatureStatus.APPROVED)
    response = client.get(f"/organisations/{organisation.slug}/logo")
    assert response.status_code == 200 and response.get_data() == png()
    assert response.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"
