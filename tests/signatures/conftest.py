from io import BytesIO

import pytest
from pypdf import PdfWriter


@pytest.fixture
def owner(make):
    return make.user(email="maire@mairie.example.org", full_name="Claire Dupont")


@pytest.fixture
def organisation(make, owner):
    return make.organisation(owner=owner, name="Commune de Saint-Exemple")


@pytest.fixture
def version(make):
    return make.version(number=1, principles=4)


@pytest.fixture
def small_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    buffer = BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def form_data(version, **overrides):
    data = {
        "signatory_name": "Claire Dupont",
        "signatory_function": "Maire",
        "signatory_email": "claire.dupont@mairie.example.org",
        "authority_attested": "y",
        "principles_accepted": "y",
        "version_id": str(version.id),
        "version_sha256": version.sha256(),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}

