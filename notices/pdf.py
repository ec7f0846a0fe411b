"""Notice PDFs: the GB/T 9704-2012 layout rendered with WeasyPrint. Big notices are split in
two and rendered on two cores (the page plan in `table_plan`, the processes in `parallel`);
every render runs with the interpreter settings of `interpreter`."""

from collections import OrderedDict
from decimal import Decimal

from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import HTML

from subsidy.money import capital_rmb, document_unit, format_in_unit

from .interpreter import collection_paused, with_room_on_the_stack
from .organs import seal_images
from .parallel import can_fork, render_in_two_parts
from .table_plan import GEOMETRY, page_starts, split_point
from .titles import title_lines, width_em

#: The front matter (letterhead, body, signature) costs the first part about as much as this
#: many table rows; the split moves that far towards the start to share the work evenly.
FRONT_ROWS = 60

HEADINGS = (("一二三四五六七八九十", "、", "h1"), ("（", "）", "h2"))


def paragraphs(body: str) -> list[tuple[str, str, str]]:
    """(css class, heading, text) per line. A 一、 or （一） line's heading is the line when it
    is only a heading, else its first sentence when more follows (一、资金拨付。请…), else just
    its number: only the heading is set in 黑体 or 楷体 (§7.3.3), the text in the body font."""
    out = []
    for line in (ln.strip() for ln in body.splitlines()):
        if not line:
            continue
        kind = "p"
        if line[0] in HEADINGS[0][0] and "、" in line[:4]:
            kind, number_end = "h1", line.index("、") + 1
        elif line.startswith("（") and "）" in line[:5]:
            kind, number_end = "h2", line.index("）") + 1
        if kind == "p":
            out.append((kind, "", line))
            continue
        stop = line.find("。")
        if stop == -1:
            heading_end = len(line)
        elif stop < len(line) - 1:
            heading_end = stop + 1
        else:
            heading_end = number_end
        out.append((kind, line[:heading_end], line[heading_end:]))
    return out


def snapshot_rows(applications) -> list[dict]:
    """The facts a notice prints about each item, recorded when it is drafted so that what
    is signed off is what is issued (later renames do not leak in)."""
    return [{"region_code": a.region.code, "county": a.region.name, "number": a.number,
             "organisation": a.organisation.name, "title": a.title,
             "category": a.category.name, "amount": str(a.approved_amount or 0)}
            for a in sorted(applications, key=lambda a: (a.region.code, a.number))]


def allocation_table(rows_snapshot: list[dict]) -> dict:
    """Rows grouped by county (code order), each county closed by its subtotal and the table
    by the grand total (kinds "row", "subtotal", "total"), in the unit an office would write
    (万元 with two decimals when that is exact for every amount, else 元), and the total in
    that unit and in 大写."""
    groups = OrderedDict()
    for row in sorted(rows_snapshot, key=lambda r: (r["region_code"], r["number"])):
        groups.setdefault(row["county"], []).append(row)
    unit = document_unit(row["amount"] for row in rows_snapshot)
    rows, serial, total = [], 0, Decimal(0)
    for county, items in groups.items():
        subtotal = Decimal(0)
        for item in items:
            serial += 1
            amount = Decimal(item["amount"])
            subtotal += amount
            rows.append({"kind": "row", "serial": serial, "county": county,
                         "organisation": item["organisation"], "title": item["title"],
                         "category": item["category"], "amount": format_in_unit(amount, unit)})
        total += subtotal
        rows.append({"kind": "subtotal", "label": f"{county}小计",
                     "amount": format_in_unit(subtotal, unit)})
    rows.append({"kind": "total", "label": "合计", "amount": format_in_unit(total, unit)})
    return {"rows": rows, "total": total, "unit": unit,
            "amount_header": f"资助金额（{unit}）",
            "total_text": f"{format_in_unit(total, unit)}{unit}",
            "total_capital": capital_rmb(total)}


#: Seals are 42 mm across (the size of a city bureau's 公章); signers stand at least this
#: far apart, centre to centre, so that the seals neither touch nor overlap (§7.3.5.1).
SEAL_MM = 42
SIGNER_PITCH_MM = SEAL_MM + 6
BODY_EM_MM = 16 * 25.4 / 72  # one character of the 16 pt body, in mm
#: Characters a title line holds: the 156 mm text block in the title's size, a little less
#: so the estimate of the title's glyphs stays on the safe side.
TITLE_EM = 19.5  # 22 pt
ATTACHMENT_TITLE_EM = 24  # 18 pt


def issued_date(notice) -> str:
    """成文日期 in Arabic numerals (2021年7月20日), blank spaces before it is issued."""
    if notice.issued_on:
        day = notice.issued_on
        return f"{day.year}年{day.month}月{day.day}日"
    return "　　年　　月　　日"


def signers(notice, date: str, seals: dict[str, str] | None = None) -> list[dict]:
    """Each issuing organ as it signs: its name, its seal (from `seals`, the image's URL by
    organ name; None when it has none: the room is kept anyway) and the space left before
    it, so that the seals stand side by side with the last one centred on the date
    (§7.3.5.1, figure 7)."""
    seals = seals or {}
    names = list(notice.issuers)
    widths = [width_em(name) * BODY_EM_MM for name in names]
    widths[-1] = max(widths[-1], width_em(date) * BODY_EM_MM)
    out = []
    for index, name in enumerate(names):
        gap = 0.0
        if index:
            gap = max(4.0, SIGNER_PITCH_MM - (widths[index - 1] + widths[index]) / 2)
        out.append({"name": name, "seal": seals.get(name), "gap_mm": round(gap, 2),
                    "width_mm": round(max(widths[index], 1), 2)})
    return out


ORGAN_PT = 28


def stacked_organs(issuers) -> list[tuple[str, float]]:
    """(name, letter spacing in pt) so that jointly issuing organs stack to one width."""
    longest = max((len(name) for name in issuers), default=1)
    width = longest * ORGAN_PT + (longest - 1) * ORGAN_PT * 0.1
    return [(name, round((width - len(name) * ORGAN_PT) / max(len(name) - 1, 1), 2))
            for name in issuers]


def font_stack(role: str) -> str:
    return ", ".join(f'"{name}"' for name in settings.NOTICE_FONTS[role]) + ", serif"


def pdf_fonts() -> dict[str, str]:
    """CSS font stacks per role (title, body, heiti, kaiti) for every PDF the project prints
    (notices, application forms): the faces the system check guarantees."""
    return {role: font_stack(role) for role in settings.NOTICE_FONTS}


class Closing:
    """Where the 版记 goes: at the foot of the last page, alone on a page of its own, or on
    its own page after a blank one (both unnumbered, §7.5); the first of two parts has none."""

    FOOT, ALONE, AFTER_BLANK, NONE = "foot", "alone", "after-blank", ""


def render_html(notice, table: dict, *, draft: bool, part: str = "whole",
                rows: list[dict] | None = None, blank_pages: int = 0,
                closing: str = Closing.FOOT, seals: dict[str, str] | None = None) -> str:
    """The notice as HTML. `part` "first" stops after `rows` (no closing blocks); "second"
    lays out the front matter and `blank_pages` empty pages, then continues the table with
    `rows`, so that its pages carry the numbers and sides they have in the whole notice.
    `seals` are the organs' seal images by name (see `signers`)."""
    date = issued_date(notice)
    return render_to_string("notices/notice.html", {
        "notice": notice, "draft": draft, "paragraphs": paragraphs(notice.body),
        "title_lines": title_lines(notice.title, TITLE_EM, hint=notice.title_lines),
        "attachment_title_lines": title_lines(notice.attachment_title, ATTACHMENT_TITLE_EM,
                                              hint=notice.attachment_title_lines),
        "table": table, "rows": table["rows"] if rows is None else rows, "part": part,
        "blank_pages": range(blank_pages), "geometry": GEOMETRY,
        "closing": Closing.NONE if part == "first" else closing, "date": date,
        "issuers": notice.issuers, "organs": stacked_organs(notice.issuers),
        "signers": signers(notice, date, seals), "seal_mm": SEAL_MM, "fonts": pdf_fonts(),
    })


def html_document(html: str) -> HTML:
    return HTML(string=html, base_url=str(settings.BASE_DIR))


def _anchor_page(document, name: str) -> int | None:
    return next((index for index, page in enumerate(document.pages) if name in page.anchors),
                None)


def with_closing_on_an_even_page(render):
    """The rendered document whose 版记 is on its last page and that page even (§7.4.1):
    `render(closing)` lays the notice out with the 版记 where `closing` says. It is laid out
    at the foot first; when that ends on an odd page, or the 版记 did not fit under the
    content, it goes on an unnumbered page of its own (after a blank one if needed)."""
    document = render(Closing.FOOT)
    end = _anchor_page(document, "content-end")
    closing = _anchor_page(document, "closing")
    if end is None or (closing == end and len(document.pages) % 2 == 0):
        return document
    content_pages = end + 1
    return render(Closing.ALONE if content_pages % 2 else Closing.AFTER_BLANK)


def _marked(rows: list[dict], marks: dict[int, str]) -> list[dict]:
    return [{**row, "mark": marks[index]} if index in marks else row
            for index, row in enumerate(rows)]


def render_split(notice, table: dict, *, draft: bool,
                 seals: dict[str, str] | None = None) -> bytes | None:
    """The notice rendered in two parts on two cores (`notices.parallel`), split at the
    attachment page that shares the work most evenly; None if it cannot be done."""
    if not can_fork():  # checked first: the page plan's Pango layouts serve one thread
        return None
    rows = table["rows"]
    attachment_lines = len(title_lines(notice.attachment_title, ATTACHMENT_TITLE_EM,
                                       hint=notice.attachment_title_lines))
    starts = page_starts(rows, attachment_lines, table["amount_header"])
    page = split_point(starts, len(rows), FRONT_ROWS)
    if not page:
        return None
    split = starts[page]
    marks = {split - 1: "split-before", split: "split"}

    def first():
        return html_document(render_html(notice, table, draft=draft, part="first",
                                         rows=_marked(rows[:split + 2], marks),
                                         seals=seals)).render()

    def second():
        return with_closing_on_an_even_page(lambda closing: html_document(render_html(
            notice, table, draft=draft, part="second", blank_pages=page,
            rows=_marked(rows[split:], {0: "split"}), closing=closing,
            seals=seals)).render())

    return render_in_two_parts(first, second, page)


def render_pdf(notice, *, draft: bool | None = None,
               seals: dict[str, str] | None = None) -> bytes:
    """The notice as PDF bytes from its recorded rows (drafts carry a 草稿 watermark), each
    organ's seal in its place: `seals` by organ name, by default the images uploaded for
    the organs of an issued notice in the database (looked up here, once, before any process is
    forked; an unsaved notice, as a measurement or a preview builds, has none unless given).
    Notices with at least NOTICE_PARALLEL_ROWS table rows are rendered on two cores when
    that can be done safely."""
    if draft is None:
        draft = notice.serial is None
    table = allocation_table(notice.rows)
    if seals is None:
        # a draft is never sealed: a printed draft must not pass for the issued notice
        seals = seal_images(notice.issuers) if getattr(notice, "pk", None) and not draft else {}

    def render() -> bytes:
        if (notice.attachment_title
                and len(table["rows"]) >= settings.NOTICE_PARALLEL_ROWS > 0
                and (pdf := render_split(notice, table, draft=draft, seals=seals))):
            return pdf
        return with_closing_on_an_even_page(lambda closing: html_document(render_html(
            notice, table, draft=draft, closing=closing, seals=seals)).render()).write_pdf()

    with collection_paused():
        return with_room_on_the_stack(render)
