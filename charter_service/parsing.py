"""Numbers typed by people or forged in URLs: only ASCII digits count (int() also takes « ² »
or Arabic-Indic digits, and str.isdigit() says yes to the first, which int() then refuses)."""


def natural(value: str | None, max_digits: int = 9) -> int | None:
    """A whole number ≥ 0 written with at most `max_digits` ASCII digits, or None."""
    value = (value or "").strip()
    if value.isascii() and value.isdigit() and len(value) <= max_digits:
        return int(value)
    return None
