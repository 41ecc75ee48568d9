"""Where the folders that sit beside the package live: `templates/`, `pdf_templates/`,
`migrations/`.

In a source checkout (and an editable install) they are at the repository's top level, as the
project card asks. A built wheel carries them inside the package (pyproject.toml's force-include),
because an installed package has no repository around it. Both layouts are looked up here, once.
"""

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
CHECKOUT_DIR = PACKAGE_DIR.parent


def resource_dir(name: str) -> Path:
    """The folder `name`: inside the installed package if a wheel put it there, else the
    checkout's top level."""
    installed = PACKAGE_DIR / name
    return installed if installed.is_dir() else CHECKOUT_DIR / name


TEMPLATES_DIR = resource_dir("templates")
PDF_TEMPLATES_DIR = resource_dir("pdf_templates")
MIGRATIONS_DIR = resource_dir("migrations")
