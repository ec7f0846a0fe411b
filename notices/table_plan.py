"""Where the allocation table's pages break, worked out before the notice is rendered.

A big notice is rendered in two parts on two cores (`notices.parallel`). The second part must
start at a row that also starts a page when the whole notice is rendered at once, and it must
know how many pages come before it. Both come from the plan made here: the table's geometry
(the one place that sets it; the template reads it from here) and each cell's line count,
measured with Pango the way WeasyPrint breaks lines. The parts check the plan against their
own layout, so a wrong plan costs time (the notice is rendered at once instead), never a page.
"""

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from django.conf import settings
from weasyprint.css.properties import INITIAL_VALUES
from weasyprint.text.ffi import TO_UNITS, ffi, pango
from weasyprint.text.fonts import FontConfiguration
from weasyprint.text.line_break import Layout

CSS_SPACES = re.compile("[ \t\n\r\f]+")  # not U+3000, which CSS keeps
PX_PER_PT = 4 / 3
PX_PER_MM = 96 / 25.4


@dataclass(frozen=True)
class TableGeometry:
    """Sizes of the attachment pages and of the allocation table, in CSS units."""

    #: the last column's header names the table's unit (资助金额（万元） or （元）): wide
    #: enough for 12345678.90
    columns: tuple = (("序号", 6), ("县市区", 10), ("单位名称", 26), ("项目名称", 24),
                      ("资助类别", 18), ("资助金额", 16))
    font_pt: float = 10.5
    line_height: float = 1.35
    padding_pt: tuple = (2, 3)
    border_pt: float = 0.6
    text_block_mm: tuple = (156, 225)
    label_line_pt: float = 28.95
    title_pt: float = 18
    title_line_height: float = 1.4
    title_margins_pt: tuple = (28.95, 14)
    label_columns: int = 5  # the subtotal and total labels span all columns but the amount
    #: the mark's box starts this far below the text block so that its glyphs' top edge is
    #: 35 mm below it (§7.2.3), the rest being the line's half-leading (measured)
    mark_top_mm: float = 32.5

    @property
    def line_px(self) -> float:
        return self.font_pt * self.line_height * PX_PER_PT

    def content_widths_px(self) -> list[float]:
        """Text width inside each column's cells (fixed table layout, collapsed borders)."""
        border, padding = self.border_pt * PX_PER_PT, self.padding_pt[1] * PX_PER_PT
        inner = self.text_block_mm[0] * PX_PER_MM - border
        return [inner * percent / 100 - 2 * padding - border for _, percent in self.columns]

    def label_width_px(self) -> float:
        border, padding = self.border_pt * PX_PER_PT, self.padding_pt[1] * PX_PER_PT
        inner = self.text_block_mm[0] * PX_PER_MM - border
        spanned = sum(percent for _, percent in self.columns[:self.label_columns])
        return inner * spanned / 100 - 2 * padding - border

    def row_px(self, lines: int) -> float:
        """Height of a row whose tallest cell has this many lines, borders included."""
        return (lines * self.line_px + 2 * self.padding_pt[0] * PX_PER_PT
                + self.border_pt * PX_PER_PT)


GEOMETRY = TableGeometry()


@cache
def _font_config() -> FontConfiguration:
    return FontConfiguration()


class _Style(dict):
    """The computed style WeasyPrint's text layout reads, for one font and size."""

    font_config = None


@cache
def _layout(fonts: tuple, size_pt: float, weight: int) -> Layout:
    """One reusable Pango layout per font, as WeasyPrint sets it up for a table cell."""
    style = _Style(INITIAL_VALUES)
    style.font_config = _font_config()
    style.update(font_family=(*fonts, "serif"), font_size=size_pt * PX_PER_PT,
                 font_weight=weight, lang="zh-hans", letter_spacing=0)
    return Layout(style)


@lru_cache(maxsize=4096)
def measured_lines(text: str, width_px: float, fonts: tuple, size_pt: float,
                   weight: int) -> int:
    """Lines of `text` at this width in this font, from Pango (kept for repeated texts)."""
    layout = _layout(fonts, size_pt, weight)
    pango.pango_layout_set_width(layout.layout, int(width_px * TO_UNITS))
    layout.set_text(text)
    lines = 1
    while pango.pango_layout_get_line_readonly(layout.layout, lines) != ffi.NULL:
        lines += 1
    return lines


def line_count(text: str, width_px: float, role: str = "body", size_pt: float | None = None,
               weight: int = 400) -> int:
    """Lines that `text` takes at this width, as Pango breaks it for WeasyPrint."""
    size_pt = size_pt or GEOMETRY.font_pt
    text = CSS_SPACES.sub(" ", text).strip(" ")  # as white-space: normal collapses it
    if not text or len(text) * size_pt * PX_PER_PT <= width_px:
        return 1  # no glyph of these fonts is wider than 1 em
    return measured_lines(text, width_px, tuple(settings.NOTICE_FONTS[role]), size_pt, weight)


def row_heights(table_rows: list[dict]) -> list[float]:
    """Height in px of each allocation-table row (the kinds `notices.pdf` builds)."""
    widths, label_width = GEOMETRY.content_widths_px(), GEOMETRY.label_width_px()
    heights = []
    for row in table_rows:
        if row["kind"] == "row":
            cells = (str(row["serial"]), row["county"], row["organisation"], row["title"],
                     row["category"], row["amount"])
            lines = max(line_count(text, width) for text, width in zip(cells, widths, strict=True))
        else:
            lines = max(line_count(row["label"], label_width, "heiti"),
                        line_count(row["amount"], widths[-1], "heiti"))
        heights.append(GEOMETRY.row_px(lines))
    return heights


def header_height(amount_header: str) -> float:
    widths = GEOMETRY.content_widths_px()
    names = [name for name, _ in GEOMETRY.columns[:-1]] + [amount_header]
    return GEOMETRY.row_px(max(line_count(name, width, "heiti")
                               for name, width in zip(names, widths, strict=True)))


def first_page_offset(title_lines: int) -> float:
    """Height in px above the table on the attachment's first page (附件 and its title in
    this many lines)."""
    top, bottom = GEOMETRY.title_margins_pt
    return PX_PER_PT * (GEOMETRY.label_line_pt + top + bottom
                        + title_lines * GEOMETRY.title_pt * GEOMETRY.title_line_height)


def page_starts(table_rows: list[dict], title_lines: int, amount_header: str) -> list[int]:
    """Index of the row that begins each page of the attachment (the first is 0), below an
    attachment title of `title_lines` lines."""
    page_px = GEOMETRY.text_block_mm[1] * PX_PER_MM
    half_border = GEOMETRY.border_pt * PX_PER_PT / 2
    header = header_height(amount_header)
    starts = [0]
    used = first_page_offset(title_lines) + half_border + header
    for index, height in enumerate(row_heights(table_rows)):
        if used + height > page_px and index != starts[-1]:
            starts.append(index)
            used = half_border + header
        used += height
    return starts


def split_point(starts: list[int], rows: int, front_rows: int) -> int:
    """The attachment page at which the second part begins: the one that shares the work
    most evenly, counting the front matter as `front_rows` rows of the first part."""
    if len(starts) < 2:
        return 0
    target = (rows - front_rows) / 2
    return min(range(1, len(starts)), key=lambda page: abs(starts[page] - target))
