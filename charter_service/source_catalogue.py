"""The French catalogue: the messages are written in French, so it translates nothing, but it
carries French's plural rule. Without it, gettext counts as English does for a language it has
no catalogue for, and a count of zero took the plural (« 0 jours »); in French, 0 and 1 take the
singular. It holds each plural message of messages.pot with its own two forms, and is written
from the template by `make translations` (python -m charter_service.source_catalogue)."""

import sys
from io import BytesIO
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

DIRECTORY = Path(__file__).parent / "translations"
TEMPLATE = DIRECTORY / "messages.pot"
FRENCH = DIRECTORY / "fr" / "LC_MESSAGES" / "messages.po"


HEADER = ("# The French catalogue of charter-service: plural forms only, the messages being\n"
          "# written in French. Written from messages.pot by charter_service/source_catalogue.py"
          "\n# (make translations): do not edit.")


def template() -> Catalog:
    """messages.pot, as extracted from the code and templates."""
    with TEMPLATE.open("rb") as file:
        return read_po(file)


def french_catalogue(template: Catalog) -> Catalog:
    catalogue = Catalog(locale="fr", project="charter-service", version=None,
                        header_comment=HEADER, creation_date=template.creation_date,
                        revision_date=template.creation_date, fuzzy=False)
    for message in template:
        if message.id and message.pluralizable:
            catalogue.add(message.id, tuple(message.id), locations=message.locations,
                          flags=message.flags - {"fuzzy"}, auto_comments=message.auto_comments,
                          context=message.context)
    return catalogue


def written(catalogue: Catalog) -> bytes:
    buffer = BytesIO()
    write_po(buffer, catalogue, width=0, omit_header=False, include_previous=False)
    return buffer.getvalue()


def main() -> None:
    catalogue = french_catalogue(template())
    FRENCH.parent.mkdir(parents=True, exist_ok=True)
    FRENCH.write_bytes(written(catalogue))
    print(f"{FRENCH}: {len(catalogue)} plural messages", file=sys.stderr)


if __name__ == "__main__":
    main()
