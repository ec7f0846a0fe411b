"""Chart geometry for server-side SVG: plain numbers computed here, drawn by the templates
(templates/desk/reports/_bars.html and _lines.html). No JavaScript, nothing downloaded."""

from decimal import Decimal
from itertools import pairwise

WAN = Decimal(10000)


def bars(items: list[dict], *, width: int = 760, label_width: int = 270, row: int = 24,
         value_width: int = 110) -> dict:
    """Horizontal bars, one per item {label, value, part, text}, scaled to the largest value;
    `part` (at most `value`) is drawn darker inside the bar, `text` after it."""
    top = float(max((item["value"] for item in items), default=0)) or 1.0
    span = width - label_width - value_width
    rows = []
    for index, item in enumerate(items):
        length = span * float(item["value"]) / top
        rows.append({**item, "y": index * row + 4, "text_y": index * row + row * 0.62 + 2,
                     "length": round(length, 1),
                     "part_length": round(span * float(item.get("part") or 0) / top, 1),
                     "value_x": round(label_width + length + 6, 1)})
    return {"width": width, "height": len(items) * row + 8, "label_x": label_width - 8,
            "bar_x": label_width, "bar_height": row - 8, "rows": rows}


def wan_label(amount) -> str:
    """A compact axis label in 万元 (1234.5万)."""
    value = Decimal(amount) / WAN
    return f"{value:,.0f}万" if value >= 10 or value == 0 else f"{value:,.2f}万"


def spread(positions: list[float], gap: float, lowest: float) -> list[float]:
    """`positions` (y of labels, in any order) moved just enough that any two are at least
    `gap` apart, keeping their order: down, then up where that would pass `lowest`;
    returned in the order given."""
    order = sorted(range(len(positions)), key=lambda i: positions[i])
    placed = list(positions)
    for before, after in pairwise(order):
        placed[after] = max(placed[after], placed[before] + gap)
    if order:
        placed[order[-1]] = min(placed[order[-1]], lowest)
    for before, after in pairwise(reversed(order)):
        placed[after] = min(placed[after], placed[before] - gap)
    return [round(y, 1) for y in placed]


def lines(months: list, series: list[dict], budget, *, width: int = 760, height: int = 300,
          left: int = 80, right: int = 110, top: int = 14, bottom: int = 34) -> dict:
    """Cumulative lines over months against a horizontal budget line. `series` items are
    {label, color, values} with one value per month."""
    values = [float(v) for s in series for v in s["values"]]
    peak = max([float(budget), *values]) or 1.0
    plot_w, plot_h = width - left - right, height - top - bottom
    step = plot_w / max(len(months) - 1, 1)

    def x(index):
        return round(left + index * step, 1)

    def y(value):
        return round(top + plot_h * (1 - float(value) / peak), 1)

    drawn = []
    for item in series:
        points = [(x(i), y(v)) for i, v in enumerate(item["values"])]
        drawn.append({**item, "points": " ".join(f"{px},{py}" for px, py in points),
                      "dots": points, "last_x": points[-1][0] + 6 if points else left,
                      "last_y": points[-1][1] + 4 if points else top,
                      "last_text": wan_label(item["values"][-1]) if item["values"] else ""})
    # end labels of lines ending close together would overlap
    label_ys = spread([item["last_y"] for item in drawn], 14, top + plot_h + 4)
    for item, label_y in zip(drawn, label_ys, strict=True):
        item["last_y"] = label_y
    every = max(1, -(-len(months) // 10))  # at most about ten month labels
    return {
        "width": width, "height": height, "left": left, "right": width - right,
        "top": top, "bottom": top + plot_h, "lines": drawn,
        "budget_y": y(budget), "budget_text": wan_label(budget),
        "y_ticks": [{"y": y(peak * k / 4), "text": wan_label(Decimal(peak * k / 4))}
                    for k in range(5)],
        "x_ticks": [{"x": x(i), "text": f"{m:%Y-%m}"}
                    for i, m in enumerate(months) if i % every == 0 or i == len(months) - 1],
    }
