"""The page of the « rapport annuel d’alliance » (report_documents.py issues and stores it):
what the template prints from the document's data, and the densest layout that holds on one
A4 sheet, from the roomiest to the tightest."""

from datetime import date

from .. import rendering
from ..dates import french_date
from . import render

# Tightest last: smaller type, then shorter excerpts, until the page holds on one sheet.
DENSITIES = ("", "compact", "tight", "minimal")
# Characters of all the sections' texts together, per density; each section gets its share.
_TEXT_BUDGET = {"": 2400, "compact": 1500, "tight": 1200, "minimal": 0}
_TEXT_MIN, _TEXT_MAX = 40, 900
# The tightest page prints at most this many sections, one line each, and counts the others:
# fewer when a long name or long titles leave less room.
_MOST_SECTIONS = (30, 20, 12, 6, 0)


def _shorten(text: str, limit: int) -> str:
    """One paragraph of at most `limit` characters, cut at a word and ended with « … »."""
    text = " ".join((text or "").split())
    if len(text) <= limit:
        return text
    cut = text[:limit - 1]
    if " " in cut[limit // 2:]:
        cut = cut[:cut.rindex(" ")]
    return cut.rstrip(" ,;:.–-") + "…"


def _printed(data: dict, density: str, most: int = 0) -> dict:
    """What the template prints at `density`: the sections' texts shortened to their share;
    at the tightest, the first `most` sections only, the others counted."""
    sections = data.get("sections") or []
    limit = max(_TEXT_MIN, min(_TEXT_MAX, _TEXT_BUDGET[density] // max(1, len(sections))))
    if density == "minimal":
        limit = _TEXT_MIN
    short = {"": 90, "compact": 70, "tight": 50, "minimal": 50}[density]
    printed = []
    for section in sections:
        values = [{"value": value.get("value", ""), "unit": value.get("unit") or "",
                   "target": value.get("target") or "",
                   "name": _shorten(value.get("name", ""), short)}
                  for value in section.get("values") or []]
        printed.append({
            **section,
            "status": section.get("status") or "",
            "commitment": _shorten(section.get("commitment", ""),
                                   short if density == "minimal" else 2 * short),
            "text": _shorten(section.get("text", ""), limit),
            # The tightest page keeps each commitment's status and the first words of its text.
            "values": [] if density == "minimal" else values,
            "partners": [] if density == "minimal" else
            [_shorten(name, short) for name in section.get("partners") or []],
            "evidence": _shorten(section.get("evidence", ""), short)
            if density in ("", "compact") else "",
            "principles": [_shorten(name, short) for name in section.get("principles") or []]
            if density in ("", "compact") else [],
        })
    # Beyond what the tightest page holds, the others are counted: the full report is online.
    hidden = max(0, len(printed) - most) if density == "minimal" else 0
    printed = printed[:len(printed) - hidden]
    submitted_on = data.get("submitted_on")
    upload = data.get("upload")
    if upload:
        upload = {"filename": upload.get("filename", ""), "sha256": upload.get("sha256", ""),
                  "pages": upload.get("pages", "")}
    organisation = data.get("organisation") or {}
    organisation = {key: organisation.get(key) or ""
                    for key in ("name", "kind_label", "identifier", "commune")}
    return {**data, "organisation": organisation, "upload": upload,
            "mode": data.get("mode", "form"),
            "submitted_by": data.get("submitted_by", ""),
            "density": density, "printed_sections": printed, "hidden_sections": hidden,
            "submitted_on_text": french_date(date.fromisoformat(submitted_on))
            if submitted_on else ""}


def render_html(data: dict, density: str = "", most: int = _MOST_SECTIONS[0]) -> str:
    return rendering.jinja().get_template("annual_report.html").render(
        **_printed(data, density, most), qr_svg=render.qr_svg(data["verify_url"]))


def _layouts():
    """(density, sections at most) from the roomiest page to the tightest."""
    for density in DENSITIES[:-1]:
        yield density, _MOST_SECTIONS[0]
    for most in _MOST_SECTIONS:
        yield DENSITIES[-1], most


def render_fitted(data: dict) -> bytes:
    """The page on one A4 sheet, from the roomiest density to the tightest that fits."""
    with rendering.lock:
        for density, most in _layouts():
            document = rendering.layout(render_html(data, density, most),
                                        ("certificate.css", "annual_report.css"),
                                        color_profiles=render._color_profiles(),
                                        **render._PDF_OPTIONS)
            if len(document.pages) == 1:
                break
        return document.write_pdf(**render._PDF_OPTIONS)
