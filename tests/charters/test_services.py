import copy

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from charter_service.charters.models import CharterVersion, Section, VersionStatus
from charter_service.charters.services import (
    DEMO_CHARTER_FILE,
    CharterError,
    current_version,
    import_version,
    publish_version,
)
from charter_service.charters.yamlfile import read_charter_file
from charter_service.extensions import db


@pytest.fixture(autouse=True)
def request_context(app):
    """Error messages are translated: Flask-Babel's locale selector reads the request."""
    with app.test_request_context():
        yield


@pytest.fixture
def demo():
    return read_charter_file(DEMO_CHARTER_FILE)


def test_shipped_demo_charter_imports_as_a_draft(app, demo):
    version = import_version(demo)
    db.session.commit()

    assert version.number == 1 and version.status == VersionStatus.DRAFT
    assert version.is_demonstration and version.published_at is None
    assert version.charter.slug == "faire-alliance"
    assert "démonstration" in version.preamble
    codes = [p.code for p in version.principles]
    assert 10 <= len(codes) <= 14 and codes == [f"P{i}" for i in range(1, len(codes) + 1)]
    assert {p.section for p in version.principles} == set(Section)
    assert [p.position for p in version.principles] == list(range(1, len(codes) + 1))
    assert current_version() is None  # a draft is not open for signing


def test_demo_charter_speaks_of_the_movement(demo):
    texts = [demo["version"]["preamble"], *(p["text"] for p in demo["principles"])]
    text = " ".join(" ".join(texts).split())
    for phrase in ("vision partagée", "capacité d'action transformatrice", "gestion régulatrice",
                   "hybrider son modèle socio-économique", "pratiques responsables",
                   "coopération économique", "innovation sociétale", "mécénat",
                   "innovation territoriale et sociétale", "ODD 17", "co-construire"):
        assert phrase in text, phrase
    for principle in demo["principles"]:
        sentences = [s for s in principle["text"].replace("…", ".").split(".") if s.strip()]
        assert 2 <= len(sentences) <= 4, principle["code"]


def test_each_import_takes_the_next_number(app, demo):
    first = import_version(demo)
    second = import_version(copy.deepcopy(demo))
    db.session.commit()
    assert (first.number, second.number) == (1, 2)
    assert first.charter_id == second.charter_id


def _broken(demo, change):
    data = copy.deepcopy(demo)
    change(data)
    return data


@pytest.mark.parametrize(("change", "message"), [
    (lambda d: d["principles"][0].update(section="valeurs"), "Section inconnue « valeurs »"),
    (lambda d: d["principles"][1].update(code="P1"), "« P1 » est utilisé par plusieurs"),
    (lambda d: d["principles"][2].update(text="   "), "« text » est obligatoire"),
    (lambda d: d["principles"][2].pop("title"), "« title » est obligatoire"),
    (lambda d: d["principles"].append("P99"), "« principe n° 14 » doit être un dictionnaire"),
    (lambda d: d.update(principles=[]), "liste non vide"),
    (lambda d: d.update(version="v1"), "« version » doit être un dictionnaire"),
    (lambda d: d["version"].update(demonstration="oui"), "true ou false"),
    (lambda d: d["charter"].update(slug="Faire Alliance"), "charter.slug"),
    (lambda d: d["principles"][0].update(code="P1-beaucoup-trop-long"), "dépasse 10 caractères"),
    (lambda d: d["principles"][0].update(text="nul\x00"), r"\(U\+0000\)"),
    (lambda d: d["principles"][0].update(title="P\u202e1"), r"contrôle \(U\+202E\)"),
])
def test_invalid_structure_is_refused_with_a_clear_message(app, demo, change, message):
    with pytest.raises(CharterError, match=message):
        import_version(_broken(demo, change))
    db.session.rollback()
    assert db.session.scalar(select(CharterVersion)) is None


@pytest.mark.parametrize("document", [None, "texte", ["a", "b"], 42])
def test_a_document_that_is_not_a_mapping_is_refused(app, document):
    with pytest.raises(CharterError, match="« document » doit être un dictionnaire"):
        import_version(document)


def test_the_signed_charter_title_cannot_change(app, demo):
    import_version(demo)
    db.session.commit()
    renamed = _broken(demo, lambda d: d["charter"].update(title="Autre titre"))
    with pytest.raises(CharterError, match="ne peut pas changer"):
        import_version(renamed)


def test_invalid_yaml_file_is_refused(tmp_path):
    path = tmp_path / "charte.yaml"
    path.write_text("charter: [unclosed", encoding="utf-8")
    with pytest.raises(CharterError, match="YAML valide"):
        read_charter_file(path)
    path.write_bytes("titre: é".encode("latin-1"))
    with pytest.raises(CharterError, match="UTF-8"):
        read_charter_file(path)


def test_publish_archives_the_previous_version(app, demo):
    first = import_version(demo)
    second = import_version(copy.deepcopy(demo))
    publish_version(1)
    db.session.commit()
    assert first.status == VersionStatus.PUBLISHED and first.published_at is not None
    assert current_version() == first

    publish_version(2)
    db.session.commit()
    db.session.expire_all()
    assert second.status == VersionStatus.PUBLISHED
    assert first.status == VersionStatus.ARCHIVED
    assert first.archived_at == second.published_at
    assert current_version() == second


@pytest.mark.parametrize(("number", "message"), [
    (9, "Aucune version numéro 9"), (2, "déjà publiée"), (1, "archivée"),
])
def test_publish_refuses_unknown_published_or_archived(app, make, number, message):
    make.version(number=1, status=VersionStatus.ARCHIVED)
    make.version(number=2, status=VersionStatus.PUBLISHED)
    with pytest.raises(CharterError, match=message):
        publish_version(number)


def test_database_refuses_two_published_versions(app, make):
    make.version(number=1)
    draft = make.version(number=2, status=VersionStatus.DRAFT)
    draft.status = VersionStatus.PUBLISHED
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_publish_names_the_charter_when_several_have_that_number(app, demo):
    import_version(demo)
    other = _broken(demo, lambda d: d["charter"].update(slug="autre-charte", title="Autre"))
    import_version(other)
    with pytest.raises(CharterError, match="précisez la charte"):
        publish_version(1)
    published = publish_version(1, "autre-charte")
    db.session.commit()
    assert published.charter.slug == "autre-charte"
    assert published.status == VersionStatus.PUBLISHED
