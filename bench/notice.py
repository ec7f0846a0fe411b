"""Benchmark: rendering disbursement notices of growing size.

    python bench/notice.py                 # 10, 100, 1,000 and 5,000 rows
    BENCH_NOTICE_ROWS=10,100 python bench/notice.py   # a quicker run

For each size prints the time, peak memory (process RSS, the larger of this process and its
child), pages and file size of the notice as the project renders it (`notices.pdf.render_pdf`:
from NOTICE_PARALLEL_ROWS table rows on, in two parts on two cores), how many processes
rendered it, and the time of a plain WeasyPrint render of the same rows in a default table,
with the speed-up. Target: 1,000 rows in 2 s or less and at least 2.5× faster than the plain
render. No database is used: the rows are built in memory.
"""

import io
import os
import resource
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "bench")
os.environ.setdefault("AUDIT_HMAC_KEY", "bench")

import django

django.setup()

from django.utils.html import escape
from pypdf import PdfReader
from weasyprint import HTML

from notices import pdf
from notices.pdf import allocation_table, render_pdf, snapshot_rows
from notices.table_plan import measured_lines

COUNTIES = ["珠晖区", "雁峰区", "石鼓区", "蒸湘区", "南岳区", "衡阳县", "衡南县", "衡山县",
            "衡东县", "祁东县", "耒阳市", "常宁市", "衡阳高新技术产业开发区"]
SIZES = [int(n) for n in os.environ.get("BENCH_NOTICE_ROWS", "10,100,1000,5000").split(",")]


class Region(SimpleNamespace):
    __hash__ = object.__hash__


REGIONS = [Region(code=f"4304{i:02d}", name=name) for i, name in enumerate(COUNTIES)]


def rows(n):
    amounts = (Decimal(30000), Decimal(50000), Decimal(125000), Decimal("12345.67"))
    return [SimpleNamespace(
        region=REGIONS[i % len(REGIONS)], number=f"2021-{i:05d}",
        organisation=SimpleNamespace(name=f"衡阳市示范新材料科技有限公司{i}"),
        title=f"知识产权示范培育项目第{i}号", category=SimpleNamespace(name="企业知识产权贯标培育"),
        approved_amount=amounts[i % len(amounts)]) for i in range(n)]


NOTICE = SimpleNamespace(
    title="关于下拨2021年度第三批验收通过的知识产权培育资助项目资金的通知",
    body="根据有关规定，现将资金予以下拨。\n一、资金拨付\n（一）请按时足额拨付。\n二、资金管理\n（一）专款专用。",
    issuers=["衡阳市市场监督管理局", "衡阳市财政局"], number="衡市监办〔2021〕68号",
    number_prefix="衡市监办", attachment_title="资金分配表", issued_on=date(2021, 7, 20),
    copy_to="省市场监督管理局。", contact="", serial=68)


def plain_html(apps) -> str:
    """The same rows in a default table with a default font stack, no layout care."""
    table = allocation_table(snapshot_rows(apps))
    body = "".join(
        f"<tr><td>{r['serial']}</td><td>{escape(r['county'])}</td>"
        f"<td>{escape(r['organisation'])}</td><td>{escape(r['title'])}</td>"
        f"<td>{escape(r['category'])}</td><td>{r['amount']}</td></tr>"
        if r["kind"] == "row" else
        f"<tr><td colspan='5'>{escape(r['label'])}</td><td>{r['amount']}</td></tr>"
        for r in table["rows"])
    return ("<html><body style='font-family: \"Noto Serif CJK SC\"'><h1>" + NOTICE.title +
            "</h1><table border='1'><thead><tr><th>序号</th><th>县市区</th><th>单位名称</th>"
            "<th>项目名称</th><th>资助类别</th><th>资助金额（万元）</th></tr></thead><tbody>"
            + body + "</tbody></table></body></html>")


def peak_rss() -> int:
    return 1024 * max(resource.getrusage(who).ru_maxrss
                      for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))


def timed_plain(html: str):
    """(seconds, pages, PDF bytes) of a plain WeasyPrint render."""
    start = time.perf_counter()
    document = HTML(string=html).render()
    data = document.write_pdf()
    return time.perf_counter() - start, len(document.pages), len(data)


def count_split_renders() -> list:
    """Records whether each render of notices.pdf was made in two parts."""
    attempt, made = pdf.render_in_two_parts, []

    def recorded(*args):
        made.append(attempt(*args))
        return made[-1]

    pdf.render_in_two_parts = recorded
    return made


def main():
    made = count_split_renders()
    print(f"{'rows':>6} {'ours s':>8} {'processes':>9} {'peak RSS MB':>11} {'pages':>6} {'KB':>7} "
          f"{'plain s':>8} {'speed-up':>8}")
    render_pdf(SimpleNamespace(**vars(NOTICE), rows=snapshot_rows(rows(3))))  # load the fonts
    timed_plain(plain_html(rows(3)))  # once for each renderer before measuring
    for n in SIZES:
        apps = rows(n)
        notice = SimpleNamespace(**vars(NOTICE), rows=snapshot_rows(apps))
        measured_lines.cache_clear()  # plan the pages from a cold start too
        made.clear()
        start = time.perf_counter()
        data = render_pdf(notice)
        seconds = time.perf_counter() - start
        split = bool(made and made[0])
        pages = len(PdfReader(io.BytesIO(data)).pages)
        plain = timed_plain(plain_html(apps))
        print(f"{n:>6} {seconds:>8.2f} {2 if split else 1:>9} {peak_rss() / 1e6:>11.0f} "
              f"{pages:>6} {len(data) / 1024:>7.0f} {plain[0]:>8.2f} {plain[0] / seconds:>7.2f}×")
    print("target: 1,000 rows in <= 2 s and >= 2.5x faster than the plain render")


if __name__ == "__main__":
    main()
