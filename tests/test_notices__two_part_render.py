"""Big notices are rendered in two parts on two cores and joined: the result must be the
notice rendered in one piece, page for page (text, page numbers, sides), and a plan that
does not match the layout must fall back to one piece rather than print a wrong page."""

import os
import random
import shutil
import signal
import subprocess
import threading
import time
from datetime import date

import pytest
from weasyprint import HTML

from notices import parallel, pdf, table_plan
from notices.models import Notice
from notices.pdf import ATTACHMENT_TITLE_EM, allocation_table, render_html, render_pdf
from notices.titles import title_lines

REAL_ACTIVE_COUNT = threading.active_count

pytestmark = pytest.mark.skipif(not shutil.which("pdftotext"),
                                reason="poppler-utils not installed (scripts/setup.sh does)")

COUNTIES = [("430405", "珠晖区"), ("430406", "雁峰区"), ("430421", "衡阳县"),
            ("430481", "耒阳市"), ("430471", "衡阳高新技术产业开发区")]
CATEGORIES = ["企业知识产权贯标培育", "专利导航", "高价值专利培育中心建设项目资助"]
LETTERS = "衡阳市示范新材料科技有限公司知识产权（）、，ABCabc 0123456789-堃喆　"


def varied_rows(count: int, seed: int) -> list[dict]:
    """Recorded rows with names from 2 to 60 characters: CJK, Latin, digits, runs of spaces
    (which collapse) and ideographic spaces (which do not), wrapping to 1–7 lines."""
    chance = random.Random(seed)

    def text(longest):
        return "".join(chance.choice(LETTERS) for _ in range(chance.randint(2, longest)))

    return [{"region_code": code, "county": county, "number": f"2021-{index:05d}",
             "organisation": text(45), "title": text(60),
             "category": chance.choice(CATEGORIES),
             "amount": chance.choice(["30000", "12345.67", "1250000"])}
            for index, (code, county) in enumerate(chance.choice(COUNTIES) for _ in range(count))]


def notice_with(rows: list[dict], **fields) -> Notice:
    values = {"title": "关于下拨2021年度第三批验收通过的知识产权培育资助项目资金的通知",
              "addressees": "各县市区市场监督管理局、财政局：",
              "body": "根据有关规定，现将资金予以下拨。\n一、资金拨付\n（一）请按时足额拨付。",
              "attachment_title": "资金分配表", "copy_to": "省市场监督管理局。",
              "issuers": ["衡阳市市场监督管理局", "衡阳市财政局"], "number_prefix": "衡市监办",
              "year": 2021, "serial": 68, "issued_on": date(2021, 7, 20), "rows": rows}
    return Notice(**{**values, **fields})


def laid_out_page_starts(notice) -> list[int]:
    """Index of the first table row on each attachment page, as WeasyPrint lays it out."""
    table = allocation_table(notice.rows)
    marked = [{**row, "mark": f"row-{index}"} for index, row in enumerate(table["rows"])]
    document = HTML(string=render_html(notice, table, draft=False, rows=marked)).render()
    starts = []
    for page in document.pages:
        rows = sorted(int(name[4:]) for name in page.anchors if name.startswith("row-"))
        if rows:
            starts.append(rows[0])
    return starts


def planned_page_starts(notice) -> list[int]:
    table = allocation_table(notice.rows)
    lines = title_lines(notice.attachment_title, ATTACHMENT_TITLE_EM)
    return table_plan.page_starts(table["rows"], len(lines), table["amount_header"])


def page_texts(data: bytes, tmp_path, name: str, mode: str = "-layout") -> list[str]:
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(data)
    text = subprocess.run(["pdftotext", mode, str(path), "-"], capture_output=True,
                          text=True, check=True).stdout
    return [page for page in text.split("\f") if page.strip()]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_page_plan_is_where_weasyprint_breaks_the_table(seed):
    notice = notice_with(varied_rows(120, seed))
    planned = planned_page_starts(notice)
    assert planned == laid_out_page_starts(notice)
    assert len(planned) > 8


def test_a_long_attachment_title_moves_the_first_page_break():
    notice = notice_with(varied_rows(60, 4), attachment_title="资金分配表" * 8)
    planned = planned_page_starts(notice)
    assert planned == laid_out_page_starts(notice)


@pytest.fixture
def split_from_fifty_rows(settings, monkeypatch):
    """Tables of 50 rows or more are split. Threads already running stay idle (the live
    server that browser tests keep for the session): only threads a test starts count."""
    settings.NOTICE_PARALLEL_ROWS = 50
    idle = set(threading.enumerate()) - {threading.current_thread()}
    monkeypatch.setattr(threading, "active_count",
                        lambda: len(set(threading.enumerate()) - idle))


@pytest.fixture
def two_part_results(monkeypatch):
    """What each attempt to render in two parts returned."""
    results = []
    attempt = parallel.render_in_two_parts

    def recorded(*args):
        results.append(attempt(*args))
        return results[-1]

    monkeypatch.setattr(pdf, "render_in_two_parts", recorded)
    return results


def test_two_parts_make_the_notice_rendered_in_one_piece(split_from_fifty_rows,
                                                        two_part_results, settings, tmp_path):
    notice = notice_with(varied_rows(150, 5))
    joined = render_pdf(notice)
    assert two_part_results and two_part_results[0] == joined
    settings.NOTICE_PARALLEL_ROWS = 0
    whole = render_pdf(notice)
    joined_pages, whole_pages = (page_texts(joined, tmp_path, "joined"),
                                 page_texts(whole, tmp_path, "whole"))
    assert len(joined_pages) == len(whole_pages) > 12
    assert joined_pages == whole_pages  # the same rows, numbers ("— 7 —") and sides per page
    info = subprocess.run(["pdfinfo", str(tmp_path / "joined.pdf")], capture_output=True,
                          text=True, check=True).stdout
    assert "Title:           关于下拨2021年度" in info and "595.276 x 841.89 pts (A4)" in info


def test_drafts_keep_their_watermark_on_both_parts(split_from_fifty_rows, two_part_results,
                                                  tmp_path):
    notice = notice_with(varied_rows(150, 6), serial=None, issued_on=None)
    pages = page_texts(render_pdf(notice), tmp_path, "draft", "-raw")
    assert two_part_results[0] and len(pages) > 12
    assert all("草" in page and "稿" in page for page in pages)  # rotated, letter by letter


def test_a_plan_that_misses_the_layout_falls_back_to_one_piece(
        split_from_fifty_rows, two_part_results, monkeypatch, settings, tmp_path, caplog):
    notice = notice_with(varied_rows(150, 7))
    right = table_plan.page_starts

    def one_row_late(rows, title_lines, header):
        starts = right(rows, title_lines, header)
        return [starts[0]] + [start + 1 for start in starts[1:]]

    monkeypatch.setattr(pdf, "page_starts", one_row_late)
    rendered = render_pdf(notice)
    assert two_part_results == [None]
    assert "did not match the layout" in caplog.text
    settings.NOTICE_PARALLEL_ROWS = 0
    assert page_texts(rendered, tmp_path, "fallback") == page_texts(
        render_pdf(notice), tmp_path, "whole")


def test_no_fork_while_other_threads_run(split_from_fifty_rows, two_part_results, tmp_path):
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        rendered = render_pdf(notice_with(varied_rows(80, 8)))
    finally:
        release.set()
        other.join()
    assert two_part_results == []  # not even planned
    assert "衡市监办〔2021〕68号" in page_texts(rendered, tmp_path, "threaded")[0]


def _split_in_a_pool_worker(rows: list[dict]) -> tuple[bool, bool, int]:
    """Runs in a Celery (billiard) pool worker: (daemonic?, split?, PDF size)."""
    import multiprocessing

    attempt, results = pdf.render_in_two_parts, []

    def recorded(*args):
        results.append(attempt(*args))
        return results[-1]

    pdf.render_in_two_parts = recorded
    threading.active_count = REAL_ACTIVE_COUNT  # the worker has no idle test threads
    data = render_pdf(notice_with(rows))
    return multiprocessing.current_process().daemon, results[0] is not None, len(data)


def test_celery_pool_workers_render_in_two_parts(split_from_fifty_rows):
    """Big notices are issued by Celery's daemonic pool workers, which multiprocessing would
    refuse to let start a child."""
    import billiard

    with billiard.Pool(1) as pool:
        daemonic, split, size = pool.apply(_split_in_a_pool_worker, (varied_rows(80, 9),))
    assert daemonic and split and size > 100_000


@pytest.mark.parametrize("failure", ["killed", "cut short"])
def test_a_failed_second_part_falls_back_to_one_piece(
        failure, split_from_fifty_rows, two_part_results, monkeypatch, settings, tmp_path,
        caplog):
    def killed(*args):
        os.kill(os.getpid(), signal.SIGKILL)

    def cut_short(load):
        return b"%PDF-1.7\n1 0 obj\n<<"

    monkeypatch.setattr(parallel, "render_second_part",
                        killed if failure == "killed" else cut_short)
    notice = notice_with(varied_rows(120, 10))
    rendered = render_pdf(notice)
    assert two_part_results == [None] and "rendering in one piece" in caplog.text
    settings.NOTICE_PARALLEL_ROWS = 0
    assert page_texts(rendered, tmp_path, failure) == page_texts(
        render_pdf(notice), tmp_path, "whole")


def test_an_error_in_the_first_part_stops_the_child_at_once(
        split_from_fifty_rows, monkeypatch):
    def slow(load):
        time.sleep(60)

    def broken(load, pages):
        raise RuntimeError("layout failed")

    forked, fork = [], os.fork
    ended, waitpid = [], os.waitpid

    def recorded_fork():
        forked.append(fork())
        return forked[-1]

    def recorded_waitpid(pid, options):
        ended.append(waitpid(pid, options))
        return ended[-1]

    monkeypatch.setattr(parallel, "render_second_part", slow)
    monkeypatch.setattr(parallel, "render_first_part", broken)
    monkeypatch.setattr(os, "fork", recorded_fork)
    monkeypatch.setattr(os, "waitpid", recorded_waitpid)
    with pytest.raises(RuntimeError, match="layout failed"):
        render_pdf(notice_with(varied_rows(120, 11)))
    # killed in its sleep, not waited for (after the sleep it would have exited with 0)
    [status] = [status for pid, status in ended if pid == forked[0]]
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
    with pytest.raises(ChildProcessError):
        waitpid(forked[0], os.WNOHANG)  # reaped: no zombie left
