"""WeasyPrint, set up once per process for every PDF the service prints (attestations, the
register): Jinja templates from pdf_templates/, our fonts only, nothing else fetched.

One FontConfiguration and one parsed stylesheet per file per process (most of the per-document
cost); the URL fetcher hands out our own fonts and refuses everything else, and the font
configuration knows no host font: text is set in the shipped fonts only (fonts.py says which
characters). WeasyPrint (Pango, fontconfig) is not thread-safe: lay out and write a document
while holding `lock`.
"""

import atexit
import os
import shutil
import threading
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from . import fonts
from .paths import PDF_TEMPLATES_DIR

TEMPLATES_DIR = PDF_TEMPLATES_DIR
FONTS_DIR = fonts.FONTS_DIR
# A fontconfig configuration without any font directory (see _font_configuration).
FONTCONFIG_FILE = TEMPLATES_DIR / "fontconfig.xml"
BASE_URL = TEMPLATES_DIR.as_uri() + "/"

# A process lays out one document at a time.
lock = threading.Lock()


class RefusedURL(ValueError):
    pass


def font_file(url: str) -> Path:
    """The font a URL names in our fonts folder; anything else is refused."""
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost") or parts.query:
        raise RefusedURL(f"URL refusée : {url}")
    path = Path(url2pathname(parts.path)).resolve()
    if path.parent != FONTS_DIR or path.suffix not in (".ttf", ".otf") or not path.is_file():
        raise RefusedURL(f"URL refusée : {url}")
    return path


@cache
def jinja() -> Environment:
    return Environment(loader=FileSystemLoader(TEMPLATES_DIR), autoescape=True,
                       undefined=StrictUndefined)


def layout(html: str, stylesheets: tuple[str, ...], **options):
    """The WeasyPrint document of `html`, styled by fonts.css then `stylesheets` (files of
    pdf_templates/); `options` go to WeasyPrint's render. Call it holding `lock`."""
    from weasyprint import HTML

    engine = _engine()
    return HTML(string=html, base_url=BASE_URL, url_fetcher=engine.fetcher).render(
        stylesheets=[engine.stylesheet("fonts.css"), *map(engine.stylesheet, stylesheets)],
        font_config=engine.font_config, **options)


class _Engine:
    def __init__(self) -> None:
        from weasyprint.text.fonts import FontConfiguration
        from weasyprint.urls import URLFetcher, URLFetcherResponse

        class FontsOnlyFetcher(URLFetcher):
            def fetch(self, url, headers=None):
                return URLFetcherResponse(url, font_file(url).read_bytes(),
                                          {"Content-Type": "font/sfnt"})

        self.fetcher = FontsOnlyFetcher()
        self.font_config = _font_configuration(FontConfiguration)
        self._stylesheets: dict = {}
        atexit.register(self._close)

    def stylesheet(self, name: str):
        from weasyprint import CSS

        if name not in self._stylesheets:
            self._stylesheets[name] = CSS(
                string=(TEMPLATES_DIR / name).read_text("utf-8"), base_url=BASE_URL,
                url_fetcher=self.fetcher, font_config=self.font_config)
        return self._stylesheets[name]

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
def _engine() -> _Engine:
    return _Engine()
