"""New drafts (YAML upload or copy of the published version) and their editing; published and
archived texts never change."""

import html
import time
from io import BytesIO

import pytest
from sqlalchemy import func, select

from charter_service.charters.models import CharterVersion, Principle, Section, VersionStatus
from charter_service.charters.services import DEMO_CHARTER_FILE
from charter_service.extensions import db

from .conftest import audit_entries


def _page(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _versions() -> dict[int, CharterVersion]:
    db.session.expire_all()
    return {v.number: v for v in db.session.scalars(select(CharterVersion))}


def _upload(client, content: bytes, name="charte.yaml"):
    return client.post("/admin/charte/importer",
                       data={"charter_file": (BytesIO(content), name)},
                       content_type="multipart/form-data")


def test_versions_list_shows_status_dates_and_signature_counts(as_admin, make):
    from charter_service.signatures.models import SignatureStatus

    v1 = make.version(number=1)
    make.version(number=2, status=VersionStatus.DRAFT)
    for status in (SignatureStatus.APPROVED, SignatureStatus.APPROVED, SignatureStatus.PENDING):
        make.signature(make.organisation(), v1, status=status)
    page = _page(as_admin.get("/admin/charte"))
    # French: 0 takes the singular (« 0, dont 0 approuvée »), 2 the plural.
    assert "3, dont 2 approuvées" in page and "0, dont 0 approuvée" in page
    assert "0, dont 0 approuvées" not in page
    assert "Publiée" in page and "Brouillon" in page and "publiée le" in page
    assert 'href="/admin/charte/v/2/publier"' in page
    assert 'href="/admin/charte/v/1/archiver"' in page


def test_uploading_the_demo_file_creates_an_audited_draft(as_admin, admin, make):
    make.version(number=1)
    response = _upload(as_admin, DEMO_CHARTER_FILE.read_bytes())
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/charte/v/2"
    draft = _versions()[2]
    assert draft.status == VersionStatus.DRAFT and len(draft.principles) > 5
    [entry] = audit_entries("charter.draft_create")
    assert entry["actor_id"] == admin.id and entry["reason"] == "upload"
    assert entry["after"] == {"number": 2, "status": "draft", "sha256": draft.sha256()}
    page = _page(as_admin.get("/admin/charte/v/2"))
    assert "Brouillon de la version 2" in page and draft.principles[0].title in page


BOMB = b"""a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]
charter: {slug: faire-alliance, title: Charte du faire alliance}
version: {title: Bombe}
principles:
  - {code: P1, section: *i, title: T, text: X}
"""


@pytest.mark.parametrize(("content", "message"), [
    (b"charter: [pas ferm\xc3\xa9", "pas un YAML valide : erreur ligne 1, colonne 20"),
    (b"charter:\n  slug: a\n   title: b\n", "erreur ligne 3, colonne 9"),
    (b"version: 2026-13-01", "Le fichier contient une valeur illisible"),
    (b"version: !!timestamp 'x'", "Le fichier contient une valeur illisible"),
    (b"version: !!int 'x'", "Le fichier contient une valeur illisible"),
    (b"\xff\xfe\x00c\x00h", "Le fichier doit être encodé en UTF-8."),
    (b"- une\n- liste\n", "« document » doit être un dictionnaire"),
    (b"charter: {slug: c, title: C}\nversion: {title: V}\nprinciples:\n"
     b"  - {code: P1, section: valeurs, title: T, text: X}\n", "Section inconnue « valeurs »"),
    (b"charter: {slug: c, title: C}\nversion: {title: V}\nprinciples: []\n",
     "« principles » doit être une liste non vide"),
    (b"!!python/object/apply:os.system ['true']", "Le fichier n’est pas un YAML valide"),
    (BOMB, "Les alias YAML"),
    (b"[" * 5000 + b"]" * 5000, "imbriqués trop profondément"),
    (b"a: 1\n" * 30_000, "Le fichier dépasse la taille autorisée (128 Ko)."),
    (b" \n", "Le fichier est vide."),
])
def test_bad_files_are_refused_with_a_french_message(as_admin, make, content, message):
    make.version(number=1)
    started = time.monotonic()
    response = _upload(as_admin, content)
    assert time.monotonic() - started < 2
    assert response.status_code == 200
    page = _page(response)
    assert message in page
    assert 'aria-invalid="true"' in page and "Le formulaire contient des erreurs" in page
    assert list(_versions()) == [1]


def test_a_missing_file_is_asked_for(as_admin):
    response = as_admin.post("/admin/charte/importer", data={},
                             content_type="multipart/form-data")
    assert "Choisissez un fichier YAML." in _page(response)
    assert _versions() == {}


def test_copying_the_published_version_makes_an_identical_draft(as_admin, make):
    published = make.version(number=1, principles=4)
    response = as_admin.post("/admin/charte/nouvelle-version")
    assert response.headers["Location"] == "/admin/charte/v/2"
    copy = _versions()[2]
    assert copy.status == VersionStatus.DRAFT
    assert copy.sha256() != published.sha256()  # the version number is part of the text
    assert [(p.code, p.section, p.title, p.text, p.position) for p in copy.principles] == [
        (p.code, p.section, p.title, p.text, p.position) for p in _versions()[1].principles]
    assert (copy.title, copy.preamble) == (published.title, published.preamble)
    assert audit_entries("charter.draft_create")[0]["reason"] == "copy"


def test_copying_without_a_published_version_explains_why(as_admin):
    response = as_admin.post("/admin/charte/nouvelle-version", follow_redirects=True)
    assert "Aucune version n’est publiée : il n’y a rien à copier." in _page(response)
    assert _versions() == {}


@pytest.fixture
def draft(make):
    make.version(number=1)
    return make.version(number=2, status=VersionStatus.DRAFT, principles=3)


def _principle_form(principle_id, **values):
    prefix = f"p{principle_id}" if principle_id else "nouveau"
    data = {"code": "P9", "section": "moyens", "title": "Titre", "text": "Texte.",
            "position": "1"}
    data.update(values)
    return {f"{prefix}-{key}": value for key, value in data.items()}


def test_editing_the_title_and_preamble_of_a_draft(as_admin, draft):
    response = as_admin.post("/admin/charte/v/2", data={
        "title": "  Version révisée ", "preamble": "Nouveau **préambule**.",
        "is_demonstration": ""})
    assert response.status_code == 302
    version = _versions()[2]
    assert (version.title, version.preamble, version.is_demonstration) == (
        "Version révisée", "Nouveau **préambule**.", False)
    [entry] = audit_entries("charter.draft_edit")
    assert entry["reason"] == "details" and entry["after"]["sha256"] == version.sha256()


def test_a_wrong_title_is_explained_and_nothing_is_lost(as_admin, draft):
    response = as_admin.post("/admin/charte/v/2", data={"title": "", "preamble": "Gardé"})
    page = _page(response)
    assert response.status_code == 200 and "Indiquez le titre de la version." in page
    assert "Gardé" in page
    assert _versions()[2].title == "Version 2"


def test_changing_a_principle_and_moving_it_first(as_admin, draft):
    third = draft.principles[2]
    response = as_admin.post(f"/admin/charte/v/2/principes/{third.id}", data=_principle_form(
        third.id, code="P3", section="principes", title="Nouveau titre",
        text="Texte <b>revu</b>.", position="1"))
    assert response.status_code == 302
    version = _versions()[2]
    assert [(p.code, p.position) for p in version.principles] == [("P3", 1), ("P1", 2), ("P2", 3)]
    moved = version.principles[0]
    assert (moved.title, moved.text, moved.section) == ("Nouveau titre", "Texte <b>revu</b>.",
                                                        Section.PRINCIPES)
    assert "Texte &lt;b&gt;revu&lt;/b&gt;." in as_admin.get("/admin/charte/v/2").get_data(
        as_text=True)
    assert audit_entries("charter.draft_edit")[0]["reason"] == "principle_changed"


def test_adding_and_removing_principles(as_admin, draft):
    response = as_admin.post("/admin/charte/v/2/principes/ajouter",
                             data=_principle_form(None, code="P4", position="99"))
    assert response.status_code == 302
    assert [(p.code, p.position) for p in _versions()[2].principles][-1] == ("P4", 4)
    first = _versions()[2].principles[0]
    as_admin.post(f"/admin/charte/v/2/principes/{first.id}/supprimer")
    assert [(p.code, p.position) for p in _versions()[2].principles] == [
        ("P2", 1), ("P3", 2), ("P4", 3)]
    assert [e["reason"] for e in audit_entries("charter.draft_edit")] == [
        "principle_added", "principle_removed"]


def test_a_duplicate_code_is_refused_next_to_the_field(as_admin, draft):
    response = as_admin.post("/admin/charte/v/2/principes/ajouter",
                             data=_principle_form(None, code="P2", title="Doublon"))
    page = _page(response)
    assert response.status_code == 200
    assert "Le code « P2 » est déjà utilisé par un autre principe" in page
    assert 'id="nouveau-code-error"' in page and 'value="Doublon"' in page
    assert len(_versions()[2].principles) == 3


@pytest.mark.parametrize(("field", "value", "message"), [
    ("code", "", "Indiquez un code"),
    ("code", "P 1", "Lettres, chiffres, points ou tirets"),
    ("code", "P" * 11, "10 caractères au plus."),
    ("section", "valeurs", "Choisissez une section de la liste."),
    ("title", "", "Indiquez le titre du principe."),
    ("text", "", "Indiquez le texte du principe."),
    ("text", "avec\x08retour", "caractère invisible ou de contrôle (U+0008)"),
    ("position", "premier", "Indiquez un nombre entier."),
    ("position", "0", "Indiquez un nombre entre 1 et 999."),
])
def test_wrong_principle_fields_get_a_french_message(as_admin, draft, field, value, message):
    principle = draft.principles[0]
    response = as_admin.post(f"/admin/charte/v/2/principes/{principle.id}",
                             data=_principle_form(principle.id, **{field: value}))
    assert response.status_code == 200
    assert message in _page(response)
    assert f'id="p{principle.id}-{field}-error"' in response.get_data(as_text=True)
    assert _versions()[2].principles[0].code == "P1"


def test_the_last_principle_cannot_be_removed(as_admin, make):
    draft = make.version(number=1, status=VersionStatus.DRAFT, principles=1)
    response = as_admin.post(f"/admin/charte/v/1/principes/{draft.principles[0].id}/supprimer",
                             follow_redirects=True)
    assert "Une version garde au moins un principe" in _page(response)
    assert len(_versions()[1].principles) == 1


def test_a_principle_of_another_version_is_not_found(as_admin, draft):
    other = _versions()[1].principles[0]
    assert as_admin.post(f"/admin/charte/v/2/principes/{other.id}/supprimer").status_code == 404
    assert as_admin.get("/admin/charte/v/7").status_code == 404


@pytest.mark.parametrize("status", [VersionStatus.PUBLISHED, VersionStatus.ARCHIVED])
def test_published_and_archived_versions_are_never_editable(as_admin, make, status):
    version = make.version(number=1, status=status)
    principle = version.principles[0]
    sha256 = version.sha256()
    requests = [
        ("get", "/admin/charte/v/1", None),
        ("post", "/admin/charte/v/1", {"title": "Changé", "preamble": ""}),
        ("post", "/admin/charte/v/1/principes/ajouter", _principle_form(None)),
        ("post", f"/admin/charte/v/1/principes/{principle.id}",
         _principle_form(principle.id, code="P1", text="Changé")),
        ("post", f"/admin/charte/v/1/principes/{principle.id}/supprimer", {}),
        ("get", "/admin/charte/v/1/publier", None),
    ]
    for method, url, data in requests:
        response = getattr(as_admin, method)(url, data=data)
        assert response.status_code == 409, url
        assert "ne peut plus être modifié" in _page(response)
    assert _versions()[1].sha256() == sha256
    assert db.session.scalar(select(func.count(Principle.id))) == 3
    assert audit_entries() == []
