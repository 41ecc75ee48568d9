import pytest
from sqlalchemy import select

from charter_service.charters.models import CharterVersion, VersionStatus
from charter_service.charters.services import DEMO_CHARTER_FILE
from charter_service.extensions import db


@pytest.fixture
def cli(app):
    runner = app.test_cli_runner()

    def invoke(*args):
        return runner.invoke(args=["charter", *map(str, args)])

    return invoke


def _statuses():
    db.session.expire_all()
    return dict(db.session.execute(select(CharterVersion.number, CharterVersion.status)).all())


def test_import_then_publish_from_the_command_line(cli):
    result = cli("import", DEMO_CHARTER_FILE)
    assert result.exit_code == 0, result.output
    assert "Version 1 importée (brouillon)" in result.output
    assert _statuses() == {1: VersionStatus.DRAFT}

    result = cli("publish", 1)
    assert result.exit_code == 0, result.output
    assert "Version 1 publiée" in result.output
    assert cli("import", DEMO_CHARTER_FILE).exit_code == 0
    assert cli("publish", 2).exit_code == 0
    assert _statuses() == {1: VersionStatus.ARCHIVED, 2: VersionStatus.PUBLISHED}


@pytest.mark.parametrize(("number", "message"), [
    (7, "Aucune version numéro 7"), (2, "déjà publiée"), (1, "archivée"),
])
def test_publish_errors_exit_with_code_1(cli, make, number, message):
    make.version(number=1, status=VersionStatus.ARCHIVED)
    make.version(number=2)
    result = cli("publish", number)
    assert result.exit_code == 1
    assert "Erreur : " in result.output and message in result.output
    assert _statuses() == {1: VersionStatus.ARCHIVED, 2: VersionStatus.PUBLISHED}


@pytest.mark.parametrize(("content", "message"), [
    ("charter: [pas fermé", "n’est pas un YAML valide"),
    ("- une\n- liste\n", "« document » doit être un dictionnaire"),
    ("charter: {slug: c, title: C}\nversion: {title: V}\nprinciples:\n"
     "  - {code: P1, section: valeurs, title: T, text: X}\n", "Section inconnue « valeurs »"),
    ("a: &a [x, x, x]\nb: &b [*a, *a, *a]\ncharter: {slug: c, title: *b}\n",
     "Les alias YAML"),
    ("charter: {slug: c, title: 2026-13-01}\n", "valeur illisible"),
    ("charter: " + "[" * 200 + "]" * 200 + "\n", "imbriqués trop profondément"),
])
def test_import_of_a_bad_file_exits_with_code_1_and_stores_nothing(cli, tmp_path, content,
                                                                   message):
    path = tmp_path / "charte.yaml"
    path.write_text(content, encoding="utf-8")
    result = cli("import", path)
    assert result.exit_code == 1
    assert message in result.output
    assert _statuses() == {}


def test_import_of_a_missing_file_is_refused(cli, tmp_path):
    result = cli("import", tmp_path / "absent.yaml")
    assert result.exit_code == 2
    assert "does not exist" in result.output
