"""The stylesheets, the fonts folder and charter_service.fonts agree: every shipped font is
declared, and every font-family stack names a Latin face then all the fallbacks, in order, and
nothing else (no generic family, no host font)."""

import re

import pytest

from charter_service import fonts, rendering

LATIN_FACES = {"Print Serif", "Print Sans", "Print Mono"}
_FACE = re.compile(r'@font-face \{ font-family: "([^"]+)"; src: url\(fonts/([^)]+)\)')
_STACK = re.compile(r"font-family:([^;]+);")


def _faces() -> dict[str, list[str]]:
    faces: dict[str, list[str]] = {}
    for family, file in _FACE.findall((rendering.TEMPLATES_DIR / "fonts.css").read_text()):
        faces.setdefault(family, []).append(file)
    return faces


def test_every_shipped_font_is_declared_and_documented():
    declared = {file for files in _faces().values() for file in files}
    shipped = {path.name for path in fonts.font_files()}
    assert declared == shipped
    readme = (fonts.FONTS_DIR / "README.md").read_text()
    for name in shipped:
        stem = name.rsplit("-", 1)[0]
        assert name in readme or f"{stem}-{{Regular,Bold}}" in readme, name


@pytest.mark.parametrize("stylesheet", ["certificate.css", "register.css"])
def test_every_stack_is_a_latin_face_then_all_the_fallbacks(stylesheet):
    faces = _faces()
    fallbacks = [family for family in faces if family not in LATIN_FACES]
    assert [faces[family][0] for family in fallbacks] == list(fonts.FALLBACKS)
    stacks = _STACK.findall((rendering.TEMPLATES_DIR / stylesheet).read_text())
    assert stacks
    for stack in stacks:
        families = [family.strip().strip('"') for family in stack.split(",")]
        assert families[0] in LATIN_FACES, stack
        assert families[1:] == fallbacks, stack
    assert "@font-face" not in (rendering.TEMPLATES_DIR / stylesheet).read_text()
