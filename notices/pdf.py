"""Notice PDFs: the GB/T 9704-2012 layout rendered with WeasyPrint. Big notices are split in
two and rendered on two cores (the page plan in `table_plan`, the processes in `parallel`);
every render runs with the interpreter settings of `interpreter`."""

from collections import OrderedDict
from decimal import Decimal

from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import HTML

from subsidy.money import capital, format_wan

from .interpreter import collection_paused, with_room_on_the_stack
from .parallel import can_fork, render_in_two_parts
from .table_plan import GEOMETRY, page_starts, split_point

#: The front matter (letterhead, body, signature) costs the first part about as much as this
#: many table rows; the split moves that far towards the start to share the work evenly.
FRONT_ROWS = 60

HEADINGS = (("一二三四五六七八九十", "、", "h1"), ("（", "）", "h2"))


def paragraphs(body: str) -> list[tuple[str, str]]:
    """(css class, text) per line: 一、 headings in 黑体, （一） in 楷体, the rest plain."""
    out = []
    for line in (ln.strip() for ln in body.splitlines()):
        if not line:
            continue
        kind = "p"
        if line[0] in HEADINGS[0][0] and "、" in line[:4]:
            kind = "h1"
        elif line.startswith("（") and "）" in line[:5]:
            kind = "h2"
        out.append((kind, line))
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
    by the grand total (kinds "row", "subtotal", "total"), and the total in 万元 and 大写."""
    groups = OrderedDict()
    for row in sorted(rows_snapshot, key=lambda r: (r["region_code"], r["number"])):
        groups.setdefault(row["county"], []).append(row)
    rows, serial, total = [], 0, Decimal(0)
    for county, items in groups.items():
        subtotal = Decimal(0)
        for item in items:
            serial += 1
            amount = Decimal(item["amount"])
            subtotal += amount
            rows.append({"kind": "row", "serial": serial, "county": county,
                         "organisation": item["organisation"], "title": item["title"],
                         "category": item["category"], "amount": format_wan(amount)})
        total += subtotal
        rows.append({"kind": "subtotal", "label": f"{county}小计",
                     "amount": format_wan(subtotal)})
    rows.append({"kind": "total", "label": "合计", "amount": format_wan(total)})
    return {"rows": rows, "total": total, "total_wan": format_wan(total),
            "total_capital": capital(total)}


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


def render_html(notice, table: dict, *, draft: bool, part: str = "whole",
                rows: list[dict] | None = None, blank_pages: int = 0) -> str:
    """The notice as HTML. `part` "first" stops after `rows` (no closing blocks); "second"
    lays out the front matter and `blank_pages` empty pages, then continues the table with
    `rows`, so that its pages carry the numbers and sides they have in the whole notice."""
    return render_to_string("notices/notice.html", {
        "notice": notice, "draft": draft, "paragraphs": paragraphs(notice.body),
        "table": table, "rows": table["rows"] if rows is None else rows, "part": part,
        "blank_pages": range(blank_pages), "geometry": GEOMETRY,
        "issuers": notice.issuers, "organs": stacked_organs(notice.issuers),
        "fonts": pdf_fonts(),
    })


def html_document(html: str) -> HTML:
    return HTML(string=html, base_url=str(settings.BASE_DIR))


def _marked(rows: list[dict], marks: dict[int, str]) -> list[dict]:
    return [{**row, "mark": marks[index]} if index in marks else row
            for index, row in enumerate(rows)]


def render_split(notice, table: dict, *, draft: bool) -> bytes | None:
    """The notice rendered in two parts on two cores (`notices.parallel`), split at the
    attachment page that shares the work most evenly; None if it cannot be done."""
    if not can_fork():  # checked first: the page plan's Pango layouts serve one thread
        return None
    rows = table["rows"]
    starts = page_starts(rows, notice.attachment_title)
    page = split_point(starts, len(rows), FRONT_ROWS)
    if not page:
        return None
    split = starts[page]
    marks = {split - 1: "split-before", split: "split"}

    def first():
        return html_document(render_html(notice, table, draft=draft, part="first",
                                         rows=_marked(rows[:split + 2], marks)))

    def second():
        return html_document(render_html(notice, table, draft=draft, part="second",
                                         blank_pages=page,
                                         rows=_marked(rows[split:], {0: "split"})))

    return render_in_two_parts(first, second, page)


def render_pdf(notice, *, draft: bool | None = None) -> bytes:
    """The notice as PDF bytes from its recorded rows (drafts carry a 草稿 watermark).
    Notices with at least NOTICE_PARALLEL_ROWS table rows are rendered on two cores when
    that can be done safely."""
    if draft is None:
        draft = notice.serial is None
    table = allocation_table(notice.rows)

    def render() -> bytes:
        if (notice.attachment_title
                and len(table["rows"]) >= settings.NOTICE_PARALLEL_ROWS > 0
                and (pdf := render_split(notice, table, draft=draft))):
            return pdf
        return html_document(render_html(notice, table, draft=draft)).write_pdf()

    with collection_paused():
        return with_room_on_the_stack(render)
