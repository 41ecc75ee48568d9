"""The packages of charter_service/ form layers: a package imports only its own layer and those
below. The order is written down once, here; a new package must be placed in it."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "charter_service"

# Lowest first. Modules directly in charter_service/ are the foundation (layer 0), with the
# packages in FOUNDATION, except the modules that assemble everything, which sit on top.
LAYERS = (
    "mailing",
    "accounts",
    "audit",
    "idempotency",
    "charters",
    "organisations",
    "signatures",
    "certificates",
    "commitments",
    "moderation",
    "register",
    "public",
    "api",
    "admin",
    "demo",
)
# Foundation packages: no domain knowledge, importable from anywhere.
FOUNDATION = {"jobs"}
ASSEMBLY = {"__init__", "cli", "models", "text_columns", "text_commands", "worker"}


def layer_of(name: str, package: Path = PACKAGE) -> int:
    if name in ASSEMBLY:
        return len(LAYERS) + 1
    if name in LAYERS:
        return LAYERS.index(name) + 1
    if name in FOUNDATION or (package / f"{name}.py").is_file():
        return 0
    raise AssertionError(f"charter_service/{name}/ is not placed in LAYERS")


def imported_units(path: Path, package: Path) -> set[str]:
    """The first-level names under charter_service that this file imports, anywhere in it
    (late imports inside functions included)."""
    here = path.relative_to(package).parts[:-1]
    units = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            units |= {alias.name.split(".")[1] for alias in node.names
                      if alias.name.startswith("charter_service.")}
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0:
                parts = (node.module or "").split(".")
                if parts[0] != "charter_service":
                    continue
                target = parts[1:]
            else:
                base = list(here[:len(here) - (node.level - 1)])
                target = base + (node.module.split(".") if node.module else [])
            if target:
                units.add(target[0])
            else:  # from charter_service import x: a module, or a name of the app factory's
                units |= {alias.name if _is_unit(package, alias.name) else "__init__"
                          for alias in node.names}
    return units


def _is_unit(package: Path, name: str) -> bool:
    return (package / f"{name}.py").is_file() or (package / name / "__init__.py").is_file()


def unit_of(path: Path, package: Path) -> str:
    parts = path.relative_to(package).parts
    return parts[0] if len(parts) > 1 else parts[0].removesuffix(".py")


def upward_imports(package: Path = PACKAGE) -> list[str]:
    found = []
    for path in sorted(package.rglob("*.py")):
        unit = unit_of(path, package)
        for target in sorted(imported_units(path, package) - {unit}):
            if layer_of(target, package) > layer_of(unit, package):
                found.append(f"{path.relative_to(package.parent)} imports {target}")
    return found


def test_every_package_is_placed_in_a_layer():
    for path in PACKAGE.iterdir():
        if path.is_dir() and (path / "__init__.py").is_file():
            layer_of(path.name)


def test_no_package_imports_a_higher_one():
    assert upward_imports() == []


def test_the_scan_sees_late_relative_and_absolute_imports(tmp_path):
    package = tmp_path / "charter_service"
    files = {
        "links.py": "from .extensions import db\n",
        "extensions.py": "",
        "accounts/__init__.py": "from . import views\n",
        "accounts/views.py": "def f():\n    from ..register import sync\n",
        "register/__init__.py": "from ..accounts import views\n",
        "register/sync.py": "",
        "mailing/__init__.py": "import charter_service.signatures.models\n",
        "signatures/__init__.py": "from charter_service.links import db\n",
        "signatures/models.py": "",
        "jobs/__init__.py": "def run():\n    from .. import create_app\n",
        "__init__.py": "def create_app():\n    pass\n",
    }
    for name, text in files.items():
        (package / name).parent.mkdir(parents=True, exist_ok=True)
        (package / name).write_text(text)
    assert upward_imports(package) == [
        "charter_service/accounts/views.py imports register",
        "charter_service/jobs/__init__.py imports __init__",
        "charter_service/mailing/__init__.py imports signatures",
    ]
