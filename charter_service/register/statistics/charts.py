"""Server-drawn SVG charts for the statistics page: accessible, readable without JavaScript.

Every chart is an `<svg role="img">` named by its `<title>` and `<desc>`; every text that goes
into the markup passes through `escape`. The page shows the same figures as tables.
"""

import math
import textwrap
from collections.abc import Sequence
from datetime import date

from flask_babel import format_decimal, ngettext
from flask_babel import gettext as _
from markupsafe import Markup, escape

from ...dates import month_abbreviation, written_month

INK = "#1b1f2a"
MUTED = "#4a5163"
GRID = "#c9ced8"
BAR = "#1f3a8a"
AREA = "#dfe5f4"
FONT = 'font-family="DejaVu Sans, Segoe UI, Roboto, Arial, sans-serif"'
# The narrow variants are drawn 320 wide: shown in a 280 px frame (a 320 px phone), their
# 14-unit text is 12 px high. The page shows one variant or the other (app.css).
NARROW = 320
NARROW_LABEL_CHARS = 36


def number(value: int) -> str:
    return format_decimal(value)


def open_svg(prefix: str, width: int, height: int, title: str, desc: str,
             variant: str = "") -> str:
    css_class = f"chart chart-{variant}" if variant else "chart"
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="{css_class}" role="img" '
            f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
            f'aria-labelledby="{prefix}-titre {prefix}-desc" {FONT} font-size="14" '
            f'fill="{INK}"><title id="{prefix}-titre">{escape(title)}</title>'
            f'<desc id="{prefix}-desc">{escape(desc)}</desc>')


def nice_step(maximum: int, ticks: int = 5) -> int:
    """The smallest of 1, 2, 5, 10, 20, 25, 50… giving at most `ticks` steps up to `maximum`."""
    scale = 1
    while True:
        for base in (1, 2, 2.5, 5):
            step = base * scale
            if step == int(step) and math.ceil(maximum / step) <= ticks:
                return int(step)
        scale *= 10


def months_chart(months: Sequence, *, prefix: str, title: str, variant: str = "") -> Markup:
    """Cumulative signatories at the end of each month, as a step line over a light area;
    `variant="narrow"` draws it for a phone."""
    narrow = variant == "narrow"
    width, height = (NARROW, 260) if narrow else (720, 340)
    left, right, top, bottom = (56, 12, 20, 64) if narrow else (64, 20, 20, 64)
    if not months:
        return _empty(prefix, width, 120, title, variant)
    first, last = months[0], months[-1]
    desc = _("Nombre de signataires de %(start)s à %(end)s : de %(first)s à %(last)s.",
             start=written_month(first.month), end=written_month(last.month),
             first=number(first.total), last=number(last.total))
    step = nice_step(max(last.total, 1))
    top_value = step * math.ceil(max(last.total, 1) / step)
    plot_w, plot_h = width - left - right, height - top - bottom
    band = plot_w / len(months)

    def x(i: float) -> float:
        return round(left + i * band, 1)

    def y(value: float) -> float:
        return round(top + plot_h - value / top_value * plot_h, 1)

    parts = [open_svg(prefix, width, height, title, desc, variant)]
    for value in range(0, top_value + 1, step):
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y(value)}" y2="{y(value)}" '
                     f'stroke="{GRID}" stroke-width="1"/>'
                     f'<text x="{left - 8}" y="{y(value) + 5}" text-anchor="end">'
                     f'{escape(number(value))}</text>')
    line = f"M{x(0)} {y(0)}" + "".join(
        f"V{y(m.total)}H{x(i + 1)}" for i, m in enumerate(months))
    parts.append(f'<path d="{line}V{y(0)}Z" fill="{AREA}" stroke="none"/>'
                 f'<path d="{line}" fill="none" stroke="{BAR}" stroke-width="3" '
                 f'stroke-linejoin="round"/>'
                 f'<line x1="{left}" x2="{width - right}" y1="{y(0)}" y2="{y(0)}" '
                 f'stroke="{MUTED}" stroke-width="1.5"/>')
    parts.extend(_month_labels(months, x, y(0), most=plot_w // 53))
    for i, m in enumerate(months):
        label = _("%(month)s : %(total)s au total (+%(new)s)",
                  month=written_month(m.month), total=number(m.total),
                  new=number(m.new))
        parts.append(f'<rect x="{x(i)}" y="{top}" width="{round(band, 1)}" height="{plot_h}" '
                     f'fill="#ffffff" fill-opacity="0" data-month="{m.month:%Y-%m}" '
                     f'data-total="{m.total}" data-new="{m.new}">'
                     f'<title>{escape(label)}</title></rect>')
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 (every text above is escaped)


def _month_labels(months: Sequence, x, baseline: float, most: int) -> list[str]:
    """Month initials under the axis (every 1, 3, 6 or 12 months: at most `most` labels), the
    year under January."""
    count = len(months)
    every = next((n for n in (1, 3, 6) if count <= most * n), 12)
    aligned = [i for i, m in enumerate(months) if (m.month.month - 1) % every == 0]
    # The first month gets a label too when the next aligned one leaves room for it.
    labelled = aligned if aligned and aligned[0] < max(2, every // 2) else [0, *aligned]
    parts = []
    for i in labelled:
        m = months[i]
        centre = round((x(i) + x(i + 1)) / 2, 1)
        tick = (f'<line x1="{x(i)}" x2="{x(i)}" y1="{baseline}" y2="{baseline + 6}" '
                f'stroke="{MUTED}"/>')
        text = "" if every == 12 else escape(month_abbreviation(m.month))
        year = escape(str(m.month.year)) if (m.month.month == 1 or i == labelled[0]) else ""
        parts.append(f'{tick}<text x="{centre}" y="{baseline + 22}" text-anchor="middle">'
                     f'{text}</text>')
        if year:
            parts.append(f'<text x="{centre}" y="{baseline + 42}" text-anchor="middle" '
                         f'font-weight="bold">{year}</text>')
    return parts


def bar_chart(rows: Sequence[tuple[str, str, int]], *, prefix: str, title: str,
              variant: str = "") -> Markup:
    """Horizontal bars, one per (key, label, value), with the value written after the bar."""
    width, row_h, top = 720, 32, 8
    label_end, bar_start, bar_max = 292, 302, 340
    height = top * 2 + row_h * len(rows)
    if not rows:
        return _empty(prefix, width, 120, title, variant)
    desc = _describe_bars(rows)
    maximum = max(value for _, _, value in rows) or 1
    parts = [open_svg(prefix, width, height, title, desc, variant)]
    for i, (key, label, value) in enumerate(rows):
        y = top + i * row_h
        length = round(value / maximum * bar_max, 1)
        parts.append(
            f'<g data-key="{escape(key)}" data-value="{value}">'
            f'<text x="{label_end}" y="{y + 21}" text-anchor="end">{escape(label)}</text>'
            f'<rect x="{bar_start}" y="{y + 5}" width="{length}" height="22" fill="{BAR}"/>'
            f'<text x="{bar_start + length + 8}" y="{y + 21}" font-weight="bold">'
            f'{escape(number(value))}</text></g>')
    parts.append(f'<line x1="{bar_start}" x2="{bar_start}" y1="{top}" y2="{height - top}" '
                 f'stroke="{MUTED}" stroke-width="1.5"/></svg>')
    return Markup("".join(parts))  # noqa: S704 (every text above is escaped)


def narrow_bar_chart(rows: Sequence[tuple[str, str, int]], *, prefix: str,
                     title: str) -> Markup:
    """The bars of `bar_chart` for a phone: each label on its own line(s) above its bar."""
    if not rows:
        return _empty(prefix, NARROW, 120, title, "narrow")
    bar_max, line_h, top = NARROW - 64, 18, 8
    desc = _describe_bars(rows)
    maximum = max(value for _, _, value in rows) or 1
    parts, y = [], top
    for key, label, value in rows:
        lines = textwrap.wrap(label, NARROW_LABEL_CHARS) or [""]
        texts = "".join(f'<tspan x="0" dy="{line_h if n else 0}">{escape(line)}</tspan>'
                        for n, line in enumerate(lines))
        bar_y = y + len(lines) * line_h
        length = round(value / maximum * bar_max, 1)
        parts.append(
            f'<g data-key="{escape(key)}" data-value="{value}">'
            f'<text x="0" y="{y + 14}">{texts}</text>'
            f'<rect x="0" y="{bar_y}" width="{length}" height="18" fill="{BAR}"/>'
            f'<text x="{length + 6}" y="{bar_y + 14}" font-weight="bold">'
            f'{escape(number(value))}</text></g>')
        y = bar_y + 18 + 12
    return Markup(open_svg(prefix, NARROW, y, title, desc, "narrow")  # noqa: S704 (escaped)
                  + "".join(parts) + "</svg>")


def _describe_bars(rows: Sequence[tuple[str, str, int]]) -> str:
    return "; ".join(_("%(label)s : %(message)s", label=label, message=number(value))
                     for _key, label, value in rows) + "."


def _empty(prefix: str, width: int, height: int, title: str, variant: str = "") -> Markup:
    message = _("Aucun signataire pour l’instant.")
    return Markup(  # noqa: S704 (every text is escaped)
        open_svg(prefix, width, height, title, message, variant)
        + f'<rect x="1" y="1" width="{width - 2}" height="{height - 2}" fill="#f4f5f8" '
          f'stroke="{GRID}"/><text x="{width // 2}" y="{height // 2 + 6}" '
          f'text-anchor="middle" fill="{MUTED}">{escape(message)}</text></svg>')


def signatories(count: int) -> str:
    return ngettext("%(count)s signataire", "%(count)s signataires", count,
                    count=number(count))


def month_label(month: date) -> str:
    return written_month(month)
