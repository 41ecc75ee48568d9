"""Names print as text in any script, with our embedded fonts; nothing is fetched from outside."""

import json
import re
import shutil
import subprocess
from io import BytesIO

import pytest
from PIL import Image, ImageOps
from pypdf import PdfReader
from pypdf.generic import ContentStream

from charter_service import rendering
from charter_service.certificates import render
from charter_service.extensions import db
from charter_service.signatures.workflow import Transition, apply

from ..conftest import require
from .conftest import only_valid, pdf_text

NAMES = {
    "latin": "Œuvre & Cie — Ça déménage à l’Haÿ",
    "arabic": "جمعية الصداقة الفرنسية العربية",
    "hebrew": "עמותת הידידות הצרפתית",
    "cyrillic": "Общество дружбы «Волга»",
    "greek": "Σύλλογος Φιλίας Ελλάδας",
    "chinese": "中法友好协会",
    "japanese": "日仏交流協会 さくら",
    "korean": "한불 우호 협회",
}
HOSTILE = ('<b>Gras</b><style>*{display:none}</style>'
           '<img src="file:///etc/passwd"> url(http://example.org/x)')
_CID_CHAR = re.compile(r"<([0-9a-fA-F]+)>\s+(\d+)")


def _cids(font) -> dict[int, int]:
    """Code → CID from WeasyPrint's embedded encoding CMap; empty for Identity-H."""
    encoding = font["/Encoding"].get_object()
    if not hasattr(encoding, "get_data"):
        assert encoding == "/Identity-H", encoding
        return {}
    return {int(code, 16): int(cid)
            for code, cid in _CID_CHAR.findall(encoding.get_data().decode("latin-1"))}


def _missing_glyphs(pdf: bytes) -> int:
    """How many characters are drawn as CID 0, the .notdef box of a glyph the font lacks."""
    page = PdfReader(BytesIO(pdf)).pages[0]
    fonts = {name: font.get_object() for name, font in page["/Resources"]["/Font"].items()}
    cids, missing = {}, 0
    for operands, operator in ContentStream(page.get_contents(), page.pdf).operations:
        if operator == b"Tf":
            cids = _cids(fonts[operands[0]])
        elif operator in (b"Tj", b"TJ"):
            strings = operands[0] if operator == b"TJ" else operands
            for string in strings:
                if isinstance(string, (int, float)):
                    continue  # a TJ kerning adjustment
                # The 2-byte codes, not the text pypdf decoded them into.
                raw = string if isinstance(string, bytes) else string.get_original_bytes()
                codes = [int.from_bytes(raw[i:i + 2]) for i in range(0, len(raw), 2)]
                missing += sum(1 for code in codes if cids.get(code, code) == 0)
    return missing


def _embedded_fonts(pdf: bytes) -> set[str]:
    fonts = PdfReader(BytesIO(pdf)).pages[0]["/Resources"]["/Font"].values()
    return {font.get_object()["/BaseFont"].split("+", 1)[1] for font in fonts}


@pytest.mark.real_pdf
@pytest.mark.parametrize("script", NAMES)
def test_names_in_every_script_print_with_embedded_fonts(make, approve, script):
    name = NAMES[script]
    certificate = approve(make.organisation(owner=make.user(), name=name, commune=name[:10]))
    text = pdf_text(certificate.pdf)
    assert text.count(name) >= 2, text  # the heading and the table of facts
    assert _missing_glyphs(certificate.pdf) == 0
    fonts = _embedded_fonts(certificate.pdf)
    expected = {"arabic": "Arabic", "hebrew": "Hebrew", "chinese": "CJK", "japanese": "CJK",
                "korean": "CJK"}.get(script, "Serif")
    assert any(expected in font for font in fonts), fonts


@pytest.mark.real_pdf
def test_the_longest_values_the_forms_allow_still_fit_one_page(make, moderator, version):
    organisation = make.organisation(owner=make.user(), name=("Wwwwwwwww Mmmmmmmm " * 11)[:200],
                                     commune=("Saint-Wwwwwwww-de-Mmmmmmmm " * 5)[:120])
    signature = make.signature(organisation, version)
    signature.signatory_name = ("Wwwwwwww Mmmmmm " * 8)[:120]
    signature.signatory_function = ("Mmmmmmmm Wwwwww " * 8)[:120]
    apply(signature, Transition.APPROVE, actor=moderator)
    db.session.commit()
    pdf = only_valid(signature).pdf
    reader = PdfReader(BytesIO(pdf))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert "L’équipe de modération" in text and "Vérifier cette attestation" in text


def test_the_missing_glyph_check_can_fail(certificate):
    data = json.loads(certificate.rendered_from)
    data["organisation"]["name"] = "Private \ue000 use"
    assert _missing_glyphs(render.render_pdf(data)) > 0


@pytest.mark.real_pdf
def test_markup_in_a_name_prints_as_text(make, approve):
    certificate = approve(make.organisation(owner=make.user(), name=HOSTILE))
    flat = "".join(pdf_text(certificate.pdf).split())
    assert "".join(HOSTILE.split()) in flat
    assert "Attestation de signature" in pdf_text(certificate.pdf)  # the style did not apply


@pytest.mark.real_pdf
def test_the_stored_data_renders_the_same_page_again(certificate):
    again = render.render_pdf(json.loads(certificate.rendered_from))
    assert pdf_text(again) == pdf_text(certificate.pdf)


@pytest.mark.parametrize("url", [
    "file:///etc/passwd",
    f"file://{rendering.TEMPLATES_DIR}/certificate.css",
    f"file://{rendering.FONTS_DIR}/../certificate.html",
    f"file://{rendering.FONTS_DIR}/OFL.txt",
    "http://example.org/font.ttf",
    "https://charte.example.org/static/app.css",
    "data:font/ttf;base64,AAAA",
])
def test_the_fetcher_refuses_anything_but_our_fonts(url):
    with pytest.raises(rendering.RefusedURL):
        rendering.font_file(url)


def test_the_fetcher_hands_out_our_fonts():
    path = rendering.font_file((rendering.FONTS_DIR / "NotoSans-Regular.ttf").as_uri())
    assert path.name == "NotoSans-Regular.ttf"


@pytest.mark.real_pdf
def test_page_one_looks_like_an_a4_document(certificate, tmp_path):
    require(shutil.which("pdftoppm") is not None, "pdftoppm (poppler-utils) is not installed")
    (tmp_path / "a.pdf").write_bytes(certificate.pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1",  # noqa: S603,S607
                    "-singlefile", str(tmp_path / "a.pdf"), str(tmp_path / "page")], check=True)
    image = Image.open(tmp_path / "page.png").convert("L")
    assert abs(image.width / image.height - 210 / 297) < 0.01
    inked = ImageOps.invert(image).point(lambda value: 255 if value > 60 else 0)
    left, top, right, bottom = inked.getbbox()
    # Ink from the masthead to the footer, within the margins.
    assert top < image.height * 0.1 and bottom > image.height * 0.9
    assert left > image.width * 0.05 and right < image.width * 0.95
    # The QR code (bottom left) is a dense block of dark modules.
    qr = inked.crop((int(image.width * 0.08), int(image.height * 0.80),
                     int(image.width * 0.25), int(image.height * 0.93)))
    dark = qr.histogram()[255] / (qr.width * qr.height)
    assert 0.3 < dark < 0.7
