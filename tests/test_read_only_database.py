"""A database that cannot write: a French 503 page saying nothing was recorded, with what the
person typed; a JSON 503 under /api/."""

import html

import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from charter_service import create_app
from charter_service.commitments.models import Commitment
from charter_service.errors import cannot_write
from charter_service.extensions import db

from .commitments.helpers import Signatories, commitment_form
from .conftest import _base_config


def _read_only(database_url: str) -> dict:
    """The same database, opened so that every write fails as a read-only one does."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        # `mode=ro`: chmod cannot stop root, who runs the CI containers.
        return {"SQLALCHEMY_DATABASE_URI": f"sqlite:///file:{url.database}?mode=ro&uri=true"}
    return {"SQLALCHEMY_ENGINE_OPTIONS": {
        "pool_pre_ping": True,
        "connect_args": {"options": "-c default_transaction_read_only=on"}}}


@pytest.fixture
def read_only_app(app, database_url, tmp_path):
    config = _base_config(database_url, tmp_path / "outbox-ro") | _read_only(database_url)
    read_only = create_app(config)
    yield read_only
    with read_only.app_context():
        db.engine.dispose()


@pytest.fixture
def signatory(make):
    return Signatories(make, make.version(number=1, principles=3)).new(name="Alpha Coopérative")


def test_a_commitment_that_cannot_be_written_answers_503_with_what_was_typed(
        read_only_app, signatory, login):
    form = commitment_form(signatory.signature.charter_version,
                           title="Achats locaux « circuit court »",
                           description="Acheter auprès des producteurs\nà moins de 50 km.",
                           csrf_token="jeton-secret", password="ne-jamais-afficher")
    client = login(signatory.owner, target=read_only_app.test_client())

    response = client.post(f"{signatory.base}/nouveau", data=form)

    assert response.status_code == 503
    page = html.unescape(response.get_data(as_text=True))
    assert "n’a pas été enregistré" in page
    assert "Achats locaux « circuit court »" in page
    assert "Acheter auprès des producteurs\nà moins de 50 km." in page
    assert "<textarea" in page and "readonly" in page
    assert "jeton-secret" not in page and "ne-jamais-afficher" not in page
    assert db.session.scalar(select(func.count()).select_from(Commitment)) == 0


def test_the_api_answers_json_503(read_only_app, app):
    @read_only_app.get("/api/v1/test-write")
    def _write():
        with db.engine.begin() as connection:
            connection.exec_driver_sql("CREATE TABLE never_created (id INTEGER)")

    response = read_only_app.test_client().get("/api/v1/test-write")
    assert response.status_code == 503
    assert "n’a pas été enregistré" in response.json["error"]["message"]
    assert response.headers["Retry-After"]


def test_a_full_sqlite_disk_counts_as_cannot_write(tmp_path):
    """« database or disk is full », produced for real by capping the file's page count."""
    engine = create_engine(f"sqlite:///{tmp_path / 'full.sqlite3'}")
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE t (data BLOB)")
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA max_page_count = 3")
        with pytest.raises(OperationalError, match="full") as caught:
            connection.exec_driver_sql("INSERT INTO t VALUES (zeroblob(100000))")
    engine.dispose()
    assert cannot_write(caught.value)
