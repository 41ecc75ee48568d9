"""The charter: its versions and principles, imported from YAML, published and archived."""

from flask import Flask

from .markdown import render_markdown
from .models import Section


def section_label(section: Section | str) -> str:
    """A section's label as plain text, which the page escapes like any other text."""
    return str(Section(section).label)


def register(app: Flask) -> None:
    app.add_template_filter(render_markdown, "markdown")
    app.add_template_filter(section_label, "section_label")
