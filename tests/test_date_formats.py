"""Dates are written in one place (charter_service/dates.py): no template or module formats a
day itself, so that « 1er » and « 1 December 2026 » hold everywhere."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Babel's own filters and functions, and strftime patterns that write a
# day or a month for a reader (a machine stamp such as %Y%m%dT%H%M is not one).
FORBIDDEN = re.compile(r"\b(dateformat|datetimeformat|format_date|format_datetime)\(|"
                       r"strftime\([\"'][^\"']*(%[Bbe]|%d[/ .-])")


def _offenders(folder: str, pattern: str) -> list[str]:
    found = []
    for path in sorted((ROOT / folder).rglob(pattern)):
        if path.name == "dates.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if FORBIDDEN.search(line):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    return found


def test_templates_write_dates_with_the_date_filters():
    assert _offenders("templates", "*.*") + _offenders("pdf_templates", "*.html") == []


def test_modules_write_dates_with_charter_service_dates():
    assert _offenders("charter_service", "*.py") == []
