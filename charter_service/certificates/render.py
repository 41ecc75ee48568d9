"""The attestation page rendered by WeasyPrint from plain data, never from ORM objects, as
PDF/A-3u on one A4 sheet (rendering.py sets WeasyPrint up: our fonts only, nothing fetched).
"""

from functools import cache
from importlib.resources import files
from io import BytesIO

import segno
from markupsafe import Markup

from .. import rendering

PDF_VARIANT = "pdf/a-3u"
OUTPUT_INTENT = "attestation-srgb"
_PDF_OPTIONS = {"pdf_variant": PDF_VARIANT, "output_intent": OUTPUT_INTENT}
# certificate.css: body classes for long names, communes or functions, tightest last.
DENSITIES = ("", "long", "very-long")

_MM = 72 / 25.4
# certificate.css: the .seal block, 76 × 34 mm, at the bottom right of the page area
# (A4 210 mm wide, side margins 18 mm, bottom margin 22 mm). PDF points, origin bottom left.
SIGNATURE_BOX = (round(116 * _MM), round(22 * _MM), round(192 * _MM), round(56 * _MM))


@cache
def _color_profiles() -> dict:
    """PDF/A's sRGB output intent, loaded once: WeasyPrint's own "srgb" leaves a file open."""
    from weasyprint.css import ColorProfile

    icc = (files("weasyprint.pdf") / "sRGB2014.icc").read_bytes()
    return {OUTPUT_INTENT: ColorProfile(
        BytesIO(icc), "sRGB2014.icc", "relative-colorimetric", (["r"], ["g"], ["b"]))}


def qr_svg(url: str) -> Markup:
    """A vector QR code; segno draws paths only, so the markup holds no caller text."""
    svg = segno.make(url, error="m").svg_inline(omitsize=True, border=0, dark="#1b1f2a")
    return Markup(svg)  # noqa: S704 - segno's own markup, no caller text in it


def render_html(data: dict) -> str:
    return rendering.jinja().get_template("certificate.html").render(
        **data, qr_svg=qr_svg(data["verify_url"]))


def render_pdf(data: dict) -> bytes:
    """The page exactly as `data` says, its density included."""
    return write_pdf(render_html(data))


def render_fitted(data: dict) -> tuple[bytes, dict]:
    """The page on one A4 sheet: from the density `data` suggests, tighter until it fits.

    Returns the PDF and the data it was rendered from, density as used.
    """
    start = DENSITIES.index(data["density"])
    with rendering.lock:
        for density in DENSITIES[start:]:
            data = {**data, "density": density}
            document = _layout(render_html(data))
            if len(document.pages) == 1:
                break
        return document.write_pdf(**_PDF_OPTIONS), data


def write_pdf(html: str) -> bytes:
    """WeasyPrint alone: HTML to PDF/A."""
    with rendering.lock:
        return _layout(html).write_pdf(**_PDF_OPTIONS)


def _layout(html: str):
    return rendering.layout(html, ("certificate.css",), color_profiles=_color_profiles(),
                            **_PDF_OPTIONS)
