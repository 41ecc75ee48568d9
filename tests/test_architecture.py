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
    "directory",
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


def imported_names(path: Path, package: Path) -> set[tuple[str, ...]]:
    """Every name under charter_service that this file imports, anywhere in it (late imports
    inside functions included), as its dotted path below the package: ("register", "queries")."""
    here = path.relative_to(package).parts[:-1]
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names |= {tuple(alias.name.split(".")[1:]) for alias in node.names
                      if alias.name.startswith("charter_service.")}
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0:
                parts = (node.module or "").split(".")
                if parts[0] != "charter_service":
                    continue
                target = parts[1:]
            else:
                target = [*here[:len(here) - (node.level - 1)],
                          *(node.module.split(".") if node.module else [])]
            names |= {(*target, alias.name) for alias in node.names}
    return names


def imported_units(path: Path, package: Path) -> set[str]:
    """The first-level modules and packages this file imports from; a name of the app
    factory's own (`from charter_service import create_app`) counts as "__init__"."""
    return {name[0] if len(name) > 1 or _is_unit(package, name[0]) else "__init__"
            for name in imported_names(path, package)}


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


def _write_tree(root: Path, files: dict[str, str]) -> None:
    """A probe source tree: {relative path: text}."""
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)


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
    _write_tree(package, files)
    assert upward_imports(package) == [
        "charter_service/accounts/views.py imports register",
        "charter_service/jobs/__init__.py imports __init__",
        "charter_service/mailing/__init__.py imports signatures",
    ]


# Inside the register, the same idea one level down: its folders and what each may read of the
# register (its own modules aside). The top level is the page and the selection every edge reads;
# only __init__.py (the wiring) and commands.py (the CLI) reach into exports/ and statistics/.
REGISTER = PACKAGE / "register"
REGISTER_ROOMS = {
    "readmodel": set(),
    "page": {"readmodel"},
    "exports": {"readmodel", "page"},
    "statistics": {"readmodel", "page"},
}
REGISTER_ASSEMBLY = {"__init__", "commands"}


def register_room(parts: list[str], register: Path) -> str:
    """The room of register/<parts...>: its folder, else the assembly's name, else "page"."""
    if (register / parts[0]).is_dir():
        return parts[0]
    name = parts[0].removesuffix(".py")
    return name if name in REGISTER_ASSEMBLY else "page"


def register_imports(path: Path, register: Path) -> set[str]:
    """The rooms of the register that this file imports from (anything else is left out)."""
    return {register_room(list(name[1:]), register)
            for name in imported_names(path, register.parent)
            if name[0] == register.name and len(name) > 1}


def register_trespasses(register: Path = REGISTER) -> list[str]:
    found = []
    for path in sorted(register.rglob("*.py")):
        room = register_room(list(path.relative_to(register).parts), register)
        if room in REGISTER_ASSEMBLY:
            continue
        for other in sorted(register_imports(path, register) - {room} - REGISTER_ROOMS[room]):
            found.append(f"register/{path.relative_to(register)} reads {other}")
    return found


def test_every_folder_of_the_register_is_a_room():
    folders = {path.name for path in REGISTER.iterdir() if (path / "__init__.py").is_file()}
    assert folders == set(REGISTER_ROOMS) - {"page"}


def test_the_register_rooms_read_only_what_lies_below():
    assert register_trespasses() == []


def test_the_register_scan_sees_each_room(tmp_path):
    register = tmp_path / "register"
    files = {
        "__init__.py": "from .exports import views\n",
        "queries.py": "from .readmodel.cache import cached\nfrom ..extensions import db\n",
        "readmodel/__init__.py": "",
        "readmodel/cache.py": "def f():\n    from .. import queries\n",
        "exports/__init__.py": "",
        "exports/views.py": "from .. import queries\nfrom ...links import base_url\n",
        "statistics/__init__.py": "",
        "statistics/views.py": "from charter_service.register.exports import views\n",
    }
    _write_tree(register, files)
    assert register_trespasses(register) == [
        "register/readmodel/cache.py reads page",
        "register/statistics/views.py reads exports",
    ]
