"""Every script the forms accept prints on the attestation, in fonts we ship and no other.

One attestation per script, rendered once for the module without signing (the fonts are what
is checked here); fontTools reads the font programs WeasyPrint embedded.
"""

import pytest

from charter_service import fonts
from charter_service.certificates import render

from .pdf_fonts import embedded_coverage, embedded_fonts, foreign_fonts, printed_characters
from .test_rendering import _missing_glyphs

# script: (organisation name, signatory name)
SCRIPTS = {
    "latin": ("Œuvre & Cie — Ça déménage à l’Haÿ", "Éloïse Nguyễn-Þórsdóttir"),
    "greek": ("Σύλλογος Φιλίας Ελλάδας", "Γιώργος Παπαδόπουλος"),
    "cyrillic": ("Общество дружбы «Волга»", "Ганна Іваненко-Щёкина"),
    "arabic": ("جمعية الصداقة الفرنسية العربية", "فاطمة الزهراء"),
    "hebrew": ("עמותת הידידות הצרפתית", "שרה כהן"),
    "chinese": ("中法友好协会", "王小明"),
    "japanese": ("日仏交流協会 さくら", "山田 花子 カタカナ"),
    "korean": ("한불 우호 협회", "김민준"),
    "devanagari": ("भारत-फ्रांस मैत्री संघ", "प्रिया शर्मा"),
    "bengali": ("বাংলা সাংস্কৃতিক সমিতি", "রবীন্দ্রনাথ ঠাকুর"),
    "tamil": ("தமிழ் கலாச்சார சங்கம்", "முத்து வேல்"),
    "thai": ("สมาคมมิตรภาพไทย-ฝรั่งเศส", "สมชาย ใจดี"),
    "armenian": ("Հայ-ֆրանսիական բարեկամության միություն", "Արամ Խաչատրյան"),
    "georgian": ("ქართულ-ფრანგული მეგობრობის საზოგადოება", "ნინო ბერიძე"),
    "ethiopic": ("የኢትዮጵያ ፈረንሳይ ወዳጅነት ማህበር", "አበበ ቢቂላ"),
    "emoji": ("Les Amis du Vélo 🚲 ❤️ 👍🏽", "Camille 🌻 👩‍🔬"),
}
# A character some host fonts have (DejaVu, Noto Sans Math) and ours do not.
NOT_SHIPPED = "\U0001d54f"  # MATHEMATICAL DOUBLE-STRUCK CAPITAL X


def attestation_data(name: str, signatory: str) -> dict:
    """What certificates.data.rendering_data gives the template, as a literal."""
    return {
        "number": "CFA-2026-000042", "issued_at": "2026-11-30T10:00:00+00:00",
        "issued_on": "30 novembre 2026", "approved_at": "2026-11-30T09:00:00+00:00",
        "approved_on": "30 novembre 2026", "density": "",
        "organisation": {"name": name, "slug": "organisation", "kind": "Association",
                         "kind_code": "association", "identifier_label": "RNA",
                         "identifier": "W691234567", "commune": "Lyon",
                         "departement_code": "69", "departement_name": "Rhône"},
        "signatory": {"name": signatory, "function": "Présidente"},
        "charter": {"version": 1, "title": "Version 1", "sha256": "ab" * 32,
                    "sha256_short": "abab abab abab abab"},
        "verify_url": "https://charte.example.org/verifier/CFA-2026-000042",
        "signer": "Fondation des Territoires", "development": True,
    }


@pytest.fixture(scope="module")
def attestations() -> dict[str, bytes]:
    return {script: render.render_pdf(attestation_data(*names))
            for script, names in SCRIPTS.items()}


@pytest.mark.parametrize("script", SCRIPTS)
def test_every_character_of_the_names_has_a_glyph_in_an_embedded_font(attestations, script):
    pdf = attestations[script]
    needed = printed_characters("".join(SCRIPTS[script]))
    assert needed - embedded_coverage(pdf) == set()
    assert _missing_glyphs(pdf) == 0


@pytest.mark.parametrize("script", SCRIPTS)
def test_only_our_fonts_are_embedded(attestations, script):
    assert foreign_fonts(attestations[script]) == []


def test_the_shipped_fonts_cover_every_accepted_script():
    for names in SCRIPTS.values():
        assert fonts.uncovered_characters(" ".join(names)) == []


def test_uncovered_characters_lists_each_missing_character_once():
    assert fonts.uncovered_characters("") == []
    assert fonts.uncovered_characters("Ville de Lyon\u00a0\t") == []
    assert fonts.uncovered_characters("👨\u200d👩\u200d👧 ❤\ufe0f ☃\ufe0e") == []
    text = f"A\ue000b{NOT_SHIPPED}c\ue000\U000e0001"
    assert fonts.uncovered_characters(text) == ["\ue000", NOT_SHIPPED, "\U000e0001"]


def test_a_character_we_do_not_ship_is_not_taken_from_the_host(attestations):
    pdf = render.render_pdf(attestation_data(f"Ateliers {NOT_SHIPPED}", "Dominique Durand"))
    assert foreign_fonts(pdf) == []
    assert _missing_glyphs(pdf) > 0
    assert NOT_SHIPPED not in embedded_coverage(pdf)


def test_the_foreign_font_check_can_fail(attestations):
    fonts_in_pdf = embedded_fonts(attestations["latin"])
    program = next(iter(fonts_in_pdf.values()))
    program["head"].created += 1  # as another build of the same family would be
    from .pdf_fonts import _identity, shipped_identities

    assert _identity(program) not in shipped_identities()
