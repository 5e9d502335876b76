"""Charts drawn on the server as SVG: readable without JavaScript or a chart library, by a
screen reader (a title, a description, and the same figures in a table beside every chart)
and on paper (plain strokes and fills, no colour needed to tell the bars apart).

Written here rather than taken from a library: pygal's SVG loads its tooltips script from a
CDN by default and leather is no longer maintained; what the reports need is two shapes of bar
chart, about eighty lines.
"""

from __future__ import annotations

from itertools import count

from markupsafe import Markup, escape

_ids = count(1)
BAR, GAP, LABEL_WIDTH, WIDTH = 22, 8, 190, 640


def _frame(title: str, description: str, width: int, height: int, body: str) -> Markup:
    number = next(_ids)
    return Markup(
        f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" width="100%" '
        f'aria-labelledby="chart-{number}-title chart-{number}-desc" '
        f'xmlns="http://www.w3.org/2000/svg">'
        f'<title id="chart-{number}-title">{escape(title)}</title>'
        f'<desc id="chart-{number}-desc">{escape(description)}</desc>{body}</svg>')


def bars(title: str, rows: list[tuple[str, int | None]], *, description: str,
         hidden: str = "") -> Markup:
    """Horizontal bars, one a row; a row without a number (too small to show) is drawn as a
    hatched stub labelled ``hidden``."""
    top = max((value or 0 for _, value in rows), default=0) or 1
    parts = []
    for index, (label, value) in enumerate(rows):
        y = index * (BAR + GAP)
        width = (WIDTH - LABEL_WIDTH - 60) * max(value or 0, 0) / top  # a negative value: no bar
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + BAR * 0.7}" text-anchor="end" '
            f'class="chart-label">{escape(label[:32])}</text>')
        if value is None:
            parts.append(f'<rect x="{LABEL_WIDTH}" y="{y}" width="12" height="{BAR}" '
                         f'class="chart-hidden"/><text x="{LABEL_WIDTH + 18}" '
                         f'y="{y + BAR * 0.7}" class="chart-value">{escape(hidden)}</text>')
        else:
            parts.append(f'<rect x="{LABEL_WIDTH}" y="{y}" width="{width:.1f}" '
                         f'height="{BAR}" class="chart-bar"/>'
                         f'<text x="{LABEL_WIDTH + width + 6:.1f}" y="{y + BAR * 0.7}" '
                         f'class="chart-value">{value}</text>')
    height = max(len(rows), 1) * (BAR + GAP)
    return _frame(title, description, WIDTH, height, "".join(parts))


def quarters(title: str, rows: list[tuple[str, int, int]], *, description: str,
             first: str, second: str) -> Markup:
    """Vertical pairs of bars by quarter: ``first`` (solid) and ``second`` (outlined)."""
    height, base, column = 220, 180, 2 * BAR + GAP * 2
    top = max((max(a, b) for _, a, b in rows), default=0) or 1
    width = max(len(rows) * column + 40, 320)
    parts = [f'<line x1="20" y1="{base}" x2="{width - 10}" y2="{base}" class="chart-axis"/>']
    for index, (label, done, planned) in enumerate(rows):
        x = 30 + index * column
        for offset, value, kind in ((0, done, "chart-bar"), (BAR, planned, "chart-planned")):
            bar = (base - 30) * value / top
            parts.append(f'<rect x="{x + offset}" y="{base - bar:.1f}" width="{BAR - 2}" '
                         f'height="{bar:.1f}" class="{kind}"/>')
            if value:
                parts.append(f'<text x="{x + offset + BAR / 2 - 1}" y="{base - bar - 4:.1f}" '
                             f'text-anchor="middle" class="chart-value">{value}</text>')
        parts.append(f'<text x="{x + BAR}" y="{base + 16}" text-anchor="middle" '
                     f'class="chart-label">{escape(label)}</text>')
    legend_y = base + 34
    parts.append(
        f'<rect x="30" y="{legend_y - 10}" width="12" height="12" class="chart-bar"/>'
        f'<text x="48" y="{legend_y}" class="chart-label">{escape(first)}</text>'
        f'<rect x="230" y="{legend_y - 10}" width="12" height="12" class="chart-planned"/>'
        f'<text x="248" y="{legend_y}" class="chart-label">{escape(second)}</text>')
    return _frame(title, description, width, height + 20, "".join(parts))


def progress_bar(done: int, planned: int, *, label: str) -> Markup:
    """A target's bar: ``done`` percent solid, then ``planned`` percent hatched (SVG: the
    page's Content-Security-Policy allows no inline style)."""
    planned = max(0, min(planned, 100 - done))
    return _frame(label, label, 200, 16, (
        '<rect x="0.5" y="0.5" width="199" height="15" rx="3" class="chart-track"/>'
        f'<rect x="0.5" y="0.5" width="{1.99 * done:.1f}" height="15" class="chart-bar"/>'
        f'<rect x="{0.5 + 1.99 * done:.1f}" y="0.5" width="{1.99 * planned:.1f}" height="15" '
        'class="chart-planned"/>'))
