"""Markdown for text written by administrators: raw HTML is shown as text, links stay harmless."""

from functools import lru_cache
from html import unescape
from urllib.parse import urlsplit

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markdown.util import AMP_SUBSTITUTE
from markupsafe import Markup

SAFE_SCHEMES = {"", "http", "https", "mailto"}
URL_ATTRIBUTES = ("href", "src")
HEADINGS = {f"h{level}" for level in range(1, 7)}


def _is_safe_url(url: str) -> bool:
    # What the browser will read: entities decoded ("&#106;avascript:"), then control
    # characters and whitespace dropped ("java\tscript:").
    decoded = unescape(url.replace(AMP_SUBSTITUTE, "&"))
    compact = "".join(ch for ch in decoded if ch.isprintable() and not ch.isspace())
    try:
        return urlsplit(compact).scheme.lower() in SAFE_SCHEMES
    except ValueError:
        return False


class _SafeTree(Treeprocessor):
    def __init__(self, md, heading_offset: int) -> None:
        super().__init__(md)
        self.heading_offset = heading_offset

    def run(self, root):
        for element in root.iter():
            for attribute in URL_ATTRIBUTES:
                value = element.get(attribute)
                if value is not None and not _is_safe_url(value):
                    del element.attrib[attribute]
            if element.tag in HEADINGS:
                level = min(int(element.tag[1]) + self.heading_offset, 6)
                element.tag = f"h{level}"
        return None


class _SafeMarkdown(Extension):
    def __init__(self, heading_offset: int) -> None:
        super().__init__()
        self.heading_offset = heading_offset

    def extendMarkdown(self, md):  # noqa: N802 (Markdown's API name)
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        # After "unescape" (priority 0), which restores backslash-escaped characters in URLs.
        md.treeprocessors.register(_SafeTree(md, self.heading_offset), "safe_tree", -10)


@lru_cache(maxsize=64)
def render_markdown(text: str, heading_offset: int = 1) -> Markup:
    """HTML from Markdown where raw HTML in the source is escaped, never interpreted.

    Headings move down by `heading_offset` so that the page keeps a single h1. Cached: a
    version's preamble is rendered on every view of the charter and never changes once published.
    """
    html = markdown.markdown(text or "", extensions=[_SafeMarkdown(heading_offset)],
                             output_format="html")
    return Markup(html)  # noqa: S704  (raw HTML escaped, unsafe URLs removed above)
