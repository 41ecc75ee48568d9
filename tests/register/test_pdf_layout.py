"""The register PDF carries every value in full, in every accepted script, in fonts we ship,
with its columns aligned by display width. One PDF, rendered once for the module."""

import re
import shutil
import subprocess
from datetime import date
from io import BytesIO

import pytest
from pypdf import PdfReader

from charter_service import create_app
from charter_service.register import queries
from charter_service.register.exports import pdf, pdf_lines

from ..certificates.pdf_fonts import embedded_coverage, foreign_fonts, printed_characters
from ..certificates.test_fonts import SCRIPTS
from ..conftest import _base_config, require

LONG_NAMES = ["-" + "Abcdefghij" * 19 + "Abcdefghi",  # 200 characters, one word
              "=Association " + "des amis de la ville " * 9 + "fin",
              "中法友好协会" * 6 + "上海分会"]
KINDS = ("entreprise", "collectivite", "academique", "association")
MM = 72 / 25.4
# register.css: left margin 12 mm, 7.6 pt monospaced cells of 0.6 em.
NAME_COLUMN_RIGHT = 12 * MM + (48 + 1) * 7.6 * 0.6
LINE = 5 * MM


def _row(number: int, name: str, commune: str = "Villefranche-sur-Saône") -> dict:
    return {"name": name, "slug": f"s-{number}", "kind": KINDS[number % len(KINDS)],
            "siren": "732829320" if number % 2 else None, "commune": commune,
            "departement_code": "69", "region_code": "84", "charter_version": 2,
            "signed_on": date(2026, 5, 1), "certificate_number": f"CFA-2026-{number:06d}",
            "public_commitments": number % 4}


ROWS = ([_row(n, name, commune) for n, (name, commune) in enumerate(SCRIPTS.values())]
        + [_row(100 + n, name) for n, name in enumerate(LONG_NAMES)])


@pytest.fixture(scope="module")
def register_pdf(tmp_path_factory) -> bytes:
    application = create_app(_base_config("sqlite://", tmp_path_factory.mktemp("outbox")))
    with application.app_context():
        header = pdf.header_data(queries.Selection(), len(ROWS), now=_now(),
                                 source_url="http://localhost/registre")
        return pdf.render_rows(ROWS, len(ROWS), header)


def _pdftotext(data: bytes, *args: str) -> str:
    require(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils) is not installed")
    return subprocess.run(["pdftotext", *args, "-", "-"], input=data,  # noqa: S603,S607
                          capture_output=True, check=True).stdout.decode()


def _flat(text: str) -> str:
    """Text without white space or bidi marks: how a wrapped value reads once joined."""
    return re.sub(r"[\s\u202a-\u202e\u2066-\u2069]", "", text)


def _words(data: bytes, page: int) -> list[tuple[float, float, str]]:
    """(x, y, word) for every word poppler finds on a page, in points from the top left."""
    return [(float(x), float(y), word) for x, y, word in re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]*)</word>',
        _pdftotext(data, "-bbox", "-f", str(page), "-l", str(page)))]


def test_every_character_prints_in_an_embedded_font_of_ours(register_pdf):
    needed = printed_characters("".join(row["name"] + row["commune"] for row in ROWS))
    assert needed - embedded_coverage(register_pdf) == set()
    assert foreign_fonts(register_pdf) == []


def test_long_names_wrap_and_appear_in_full(register_pdf):
    # Page 1: the sixteen names in scripts take 23 of its 26 lines; the five lines of the
    # 200-character name do not fit, so they start page 2.
    assert len(PdfReader(BytesIO(register_pdf)).pages) == 2
    names = _flat(_pdftotext(register_pdf, "-layout", "-x", "0", "-y", "0",
                             "-W", str(int(NAME_COLUMN_RIGHT)), "-H", "1000"))
    for name in LONG_NAMES + [SCRIPTS[script][0] for script in ("latin", "chinese", "greek")]:
        assert _flat(name) in names, name
    assert "…" not in _pdftotext(register_pdf)


@pytest.mark.parametrize("page", [1, 2])
def test_columns_after_wide_names_line_up(register_pdf, page):
    words = _words(register_pdf, page)
    numbers = [(x, y) for x, y, word in words if word.startswith("CFA-2026-")]
    assert len(numbers) == {1: len(SCRIPTS), 2: len(LONG_NAMES)}[page]
    assert max(x for x, _ in numbers) - min(x for x, _ in numbers) < 0.1
    sirens = [x for x, _, word in words if word == "732829320"]
    assert sirens and max(sirens) - min(sirens) < 0.1
    # Rows start on the line grid: no fallback font pushes a line down.
    tops = sorted(y for _, y in numbers)
    for above, below in zip(tops, tops[1:], strict=False):
        assert abs((below - above) / LINE - round((below - above) / LINE)) < 0.01


def test_display_width_counts_cells_of_the_monospaced_face():
    assert pdf_lines.cells("Saint-Étienne") == 13
    assert pdf_lines.cells("中法") == 4 and pdf_lines.cells("한불") == 4
    assert pdf_lines.cells("e\u0301") == 1 and pdf_lines.cells("\u200d") == 0
    assert pdf_lines.cells("👍🏽") >= 4


def test_wrap_breaks_at_spaces_then_inside_words_never_before_a_mark():
    assert pdf_lines.wrap("", 10) == [""]
    assert pdf_lines.wrap("Association des amis", 11) == ["Association", "des amis"]
    assert pdf_lines.wrap("-" + "A" * 9, 4) == ["-AAA", "AAAA", "AA"]
    assert pdf_lines.wrap("中法友好协会", 5) == ["中法", "友好", "协会"]
    assert pdf_lines.wrap("e\u0301" * 5, 2) == ["e\u0301e\u0301", "e\u0301e\u0301", "e\u0301"]


def test_a_row_never_breaks_across_pages():
    tall = [["line"] * 3] * 9  # 27 lines: the ninth row does not fit in page 1's 26
    pages = pdf.pages_of(tall)
    assert [page.rows for page in pages] == [8, 1]
    assert [len(page.lines) for page in pages] == [24, 3]
    assert [page.rows for page in pdf.pages_of([])] == [0]


def _now():
    from datetime import UTC, datetime

    return datetime(2026, 11, 30, 21, 5, tzinfo=UTC)
