"""Chart geometry: the end labels of the burn-down lines never overlap."""

from datetime import date
from decimal import Decimal
from itertools import pairwise

from reports.charts import lines, spread


def test_spread_keeps_labels_apart_and_in_order():
    assert spread([100.0, 40.0, 200.0], 14, 300) == [100.0, 40.0, 200.0]
    assert spread([100.0, 95.0, 104.0], 14, 300) == [109.0, 95.0, 123.0]
    # not below the axis: pushed up instead
    assert spread([100.0, 95.0, 104.0], 14, 110) == [96.0, 82.0, 110.0]


def test_lines_ending_together_get_separate_labels():
    months = [date(2021, 7, 1), date(2021, 8, 1)]
    chart = lines(months, [
        {"label": "a", "color": "#000", "values": [Decimal(0), Decimal(290000)]},
        {"label": "b", "color": "#111", "values": [Decimal(0), Decimal(80000)]},
        {"label": "c", "color": "#222", "values": [Decimal(0), Decimal(80000)]},
    ], Decimal(10000000))
    ys = sorted(line["last_y"] for line in chart["lines"])
    assert all(later - earlier >= 14 for earlier, later in pairwise(ys))
    assert ys[-1] <= chart["bottom"] + 4  # clear of the month labels below the axis
