"""The attestation page rendered by WeasyPrint from plain data, never from ORM objects.

One FontConfiguration and one parsed stylesheet per process (most of the per-document cost);
the URL fetcher hands out our own fonts and refuses everything else, and the font configuration
knows no host font: text is set in the shipped fonts only (fonts.py says which characters).
"""

import atexit
import os
import shutil
import threading
from functools import cache
from importlib.resources import files
from io import BytesIO
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

import segno
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from .. import fonts
from ..paths import PDF_TEMPLATES_DIR

TEMPLATES_DIR = PDF_TEMPLATES_DIR
FONTS_DIR = fonts.FONTS_DIR
# A fontconfig configuration without any font directory (see _font_configuration).
FONTCONFIG_FILE = TEMPLATES_DIR / "fontconfig.xml"
PDF_VARIANT = "pdf/a-3u"
OUTPUT_INTENT = "attestation-srgb"
_PDF_OPTIONS = {"pdf_variant": PDF_VARIANT, "output_intent": OUTPUT_INTENT}
# certificate.css: body classes for long names, communes or functions, tightest last.
DENSITIES = ("", "long", "very-long")

_MM = 72 / 25.4
# certificate.css: the .seal block, 76 × 34 mm, at the bottom right of the page area
# (A4 210 mm wide, side margins 18 mm, bottom margin 22 mm). PDF points, origin bottom left.
SIGNATURE_BOX = (round(116 * _MM), round(22 * _MM), round(192 * _MM), round(56 * _MM))

# WeasyPrint (Pango, fontconfig) is not thread-safe; a process renders one page at a time.
_lock = threading.Lock()


class RefusedURL(ValueError):
    pass


def font_file(url: str) -> Path:
    """The font a URL names in our fonts folder; anything else is refused."""
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost") or parts.query:
        raise RefusedURL(f"URL refusée : {url}")
    path = Path(url2pathname(parts.path)).resolve()
    if path.parent != FONTS_DIR or path.suffix not in (".ttf", ".otf") or not path.is_file():
        raise RefusedURL(f"URL refusée : {url}")
    return path


@cache
def _jinja() -> Environment:
    return Environment(loader=FileSystemLoader(TEMPLATES_DIR), autoescape=True,
                       undefined=StrictUndefined)


class _Renderer:
    def __init__(self) -> None:
        from weasyprint.css import ColorProfile
        from weasyprint.text.fonts import FontConfiguration
        from weasyprint.urls import URLFetcher, URLFetcherResponse

        class FontsOnlyFetcher(URLFetcher):
            def fetch(self, url, headers=None):
                return URLFetcherResponse(url, font_file(url).read_bytes(),
                                          {"Content-Type": "font/sfnt"})

        self.fetcher = FontsOnlyFetcher()
        self.font_config = _font_configuration(FontConfiguration)
        atexit.register(self._close)
        # PDF/A's sRGB output intent, loaded once: WeasyPrint's own "srgb" leaves a file open.
        icc = (files("weasyprint.pdf") / "sRGB2014.icc").read_bytes()
        self.color_profiles = {OUTPUT_INTENT: ColorProfile(
            BytesIO(icc), "sRGB2014.icc", "relative-colorimetric", (["r"], ["g"], ["b"]))}
        self.fonts = self.stylesheet_of("fonts.css")
        self.stylesheet = self.stylesheet_of("certificate.css")

    def stylesheet_of(self, name: str):
        from weasyprint import CSS

        return CSS(string=(TEMPLATES_DIR / name).read_text("utf-8"),
                   base_url=TEMPLATES_DIR.as_uri() + "/",
                   url_fetcher=self.fetcher, font_config=self.font_config)

    def _close(self) -> None:
        """Remove the fonts' temporary copies while the interpreter can still do it (the
        font configuration's own finaliser fails at shutdown)."""
        folder, self.font_config._folder = self.font_config._folder, None
        if folder:
            shutil.rmtree(folder, ignore_errors=True)


def _font_configuration(factory):
    """WeasyPrint's font configuration, loaded from our empty fontconfig file instead of the
    host's: fontconfig reads FONTCONFIG_FILE when the configuration is created, and only then."""
    previous = os.environ.get("FONTCONFIG_FILE")
    os.environ["FONTCONFIG_FILE"] = str(FONTCONFIG_FILE)
    try:
        return factory()
    finally:
        if previous is None:
            del os.environ["FONTCONFIG_FILE"]
        else:
            os.environ["FONTCONFIG_FILE"] = previous


@cache
def _renderer() -> _Renderer:
    return _Renderer()


def qr_svg(url: str) -> Markup:
    """A vector QR code; segno draws paths only, so the markup holds no caller text."""
    svg = segno.make(url, error="m").svg_inline(omitsize=True, border=0, dark="#1b1f2a")
    return Markup(svg)  # noqa: S704 - segno's own markup, no caller text in it


def render_html(data: dict) -> str:
    return _jinja().get_template("certificate.html").render(**data,
                                                            qr_svg=qr_svg(data["verify_url"]))


def render_pdf(data: dict) -> bytes:
    """The page exactly as `data` says, its density included."""
    return write_pdf(render_html(data))


def render_fitted(data: dict) -> tuple[bytes, dict]:
    """The page on one A4 sheet: from the density `data` suggests, tighter until it fits.

    Returns the PDF and the data it was rendered from, density as used.
    """
    start = DENSITIES.index(data["density"])
    with _lock:
        for density in DENSITIES[start:]:
            data = {**data, "density": density}
            document = _layout(render_html(data))
            if len(document.pages) == 1:
                break
        return document.write_pdf(**_PDF_OPTIONS), data


def write_pdf(html: str) -> bytes:
    """WeasyPrint alone: HTML to PDF/A."""
    with _lock:
        return _layout(html).write_pdf(**_PDF_OPTIONS)


def _layout(html: str):
    from weasyprint import HTML

    renderer = _renderer()
    return HTML(string=html, base_url=TEMPLATES_DIR.as_uri() + "/",
                url_fetcher=renderer.fetcher).render(
        stylesheets=[renderer.fonts, renderer.stylesheet], font_config=renderer.font_config,
        color_profiles=renderer.color_profiles, **_PDF_OPTIONS)
