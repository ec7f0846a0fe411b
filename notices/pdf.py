"""All PDF work for notices: GB/T 9704-2012 layout rendered with WeasyPrint."""

from collections import OrderedDict
from decimal import Decimal

from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import HTML

from subsidy.money import capital, format_wan

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
    """Rows grouped by county (code order) with subtotals, and the grand total."""
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
        rows.append({"kind": "subtotal", "county": county, "amount": format_wan(subtotal)})
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


def render_html(notice, rows_snapshot: list[dict], *, draft: bool) -> str:
    table = allocation_table(rows_snapshot)
    return render_to_string("notices/notice.html", {
        "notice": notice, "draft": draft, "paragraphs": paragraphs(notice.body),
        "table": table, "issuers": notice.issuers,
        "organs": stacked_organs(notice.issuers),
        "fonts": {role: font_stack(role) for role in settings.NOTICE_FONTS},
    })


def render_pdf(notice, *, draft: bool | None = None) -> bytes:
    """The notice as PDF bytes from its recorded rows (drafts carry a 草稿 watermark)."""
    if draft is None:
        draft = notice.serial is None
    html = render_html(notice, notice.rows, draft=draft)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
