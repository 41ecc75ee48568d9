"""Reading a charter file safely: UTF-8, bounded nesting, no aliases, every PyYAML error turned
into a French message. Used by `flask charter import` and by the admin upload."""

from pathlib import Path

import yaml
from flask_babel import gettext as _

from .services import CharterError

# A charter file needs two levels; PyYAML takes seconds from a few thousand.
MAX_FLOW_DEPTH = 32


def parse_charter_yaml(content: bytes) -> object:
    """The YAML document of a charter file, ready for import_version().

    Aliases are refused before loading: nested aliases (a « billion laughs » file) stay small
    once loaded but explode as soon as anything walks or prints them.
    """
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CharterError(_("Le fichier doit être encodé en UTF-8.")) from exc
    if not text.strip():
        raise CharterError(_("Le fichier est vide."))
    if _flow_depth(text) > MAX_FLOW_DEPTH:
        raise CharterError(_("Le fichier contient des listes ou des dictionnaires imbriqués "
                             "trop profondément."))
    try:
        if any(isinstance(token, yaml.AliasToken) for token in yaml.scan(text)):
            raise CharterError(_("Les alias YAML (« *nom ») ne sont pas acceptés dans un "
                                 "fichier de charte : écrivez chaque texte en entier."))
        return yaml.safe_load(text)
    except CharterError:
        raise
    except yaml.YAMLError as exc:
        raise CharterError(_syntax_error(exc)) from exc
    except RecursionError as exc:
        raise CharterError(_("Le fichier contient des listes ou des dictionnaires imbriqués "
                             "trop profondément.")) from exc
    except (ValueError, TypeError, AttributeError) as exc:
        # PyYAML's constructors let these through, e.g. for « 2026-13-01 » or « !!int x ».
        raise CharterError(_("Le fichier contient une valeur illisible (%(error)s). Mettez les "
                             "textes entre guillemets.", error=exc)) from exc


def _syntax_error(exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None)
    detail = getattr(exc, "problem", None) or str(exc)
    if mark is None:
        return _("Le fichier n’est pas un YAML valide (%(detail)s).", detail=detail)
    return _("Le fichier n’est pas un YAML valide : erreur ligne %(line)s, colonne %(column)s "
             "(%(detail)s).", line=mark.line + 1, column=mark.column + 1, detail=detail)


def _flow_depth(text: str) -> int:
    """An upper bound of the [ ] / { } nesting: PyYAML's scanner is quadratic in that depth."""
    depth = deepest = 0
    for char in text:
        if char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}" and depth:
            depth -= 1
    return deepest


def read_charter_file(path: Path) -> object:
    """The YAML document in a charter file on disk, ready for import_version()."""
    return parse_charter_yaml(Path(path).read_bytes())
