"""Rendering one document in two parts on two cores, then joining them into one PDF.

WeasyPrint lays a document out in one process. `notices.pdf` splits a big notice at a page
boundary of its allocation table and gives this module the two parts as HTML; the second is
rendered in a forked child while this process renders the first.

- The first part checks the plan. It goes one row further than the split: the split row (id
  "split") and the one after it, so that the split row is not the table's last (a last row
  needs room for the table's bottom border too). The split row must start a page exactly
  `pages` pages after the start of the attachment (id "appendix"), with the row before it
  (id "split-before") on the page before: then it starts that page in the whole notice too.
- The second part lays out the front matter and `pages` blank pages before the rest of the
  table, so that its pages carry the numbers and sides they have in the whole notice.

If the check fails, the child fails or dies, the parts cannot be joined, or this process
cannot fork safely, `render_in_two_parts` returns None and the caller renders the notice in
one piece: a wrong plan costs time, never a page.
"""

import gc
import io
import logging
import os
import signal
import threading

from pypdf import PdfReader, PdfWriter

logger = logging.getLogger(__name__)


def _anchor_pages(document) -> dict[str, int]:
    where = {}
    for index, page in enumerate(document.pages):
        for name in page.anchors:
            where.setdefault(name, index)
    return where


def render_first_part(render, pages: int) -> bytes | None:
    """PDF of the front matter and the table up to the split, or None if the plan was wrong.
    `render` returns the part as a rendered WeasyPrint document."""
    document = render()
    where = _anchor_pages(document)
    split = where.get("split")
    if (split is None or where.get("split-before") != split - 1
            or split - where.get("appendix", split) != pages):
        return None
    return document.copy(document.pages[:split]).write_pdf()


def render_second_part(render) -> bytes | None:
    """PDF of the table from the split on, numbered as in the whole notice (blank pages
    stand in for the first part's), or None. `render` returns the part rendered."""
    document = render()
    start = _anchor_pages(document).get("split")
    if start is None:
        return None
    return document.copy(document.pages[start:]).write_pdf()


def _second_part_in_child(second, write_end: int) -> None:
    """The forked child's work: render and send the PDF, then leave with status 0 (an empty
    PDF if the plan was wrong or rendering failed)."""
    pdf = b""
    try:
        pdf = render_second_part(second) or b""
    except Exception:  # the parent renders the notice in one piece instead
        logger.exception("rendering the second part failed")
    with os.fdopen(write_end, "wb") as pipe:
        pipe.write(pdf)
    os._exit(0)


def can_fork() -> bool:
    """A forked child has only the calling thread: with other threads running (a threaded
    web server) a lock one of them holds inside fontconfig or Pango would never be released.
    (A process fork is used rather than multiprocessing, which refuses to start children
    from Celery's daemonic pool workers, where big notices are rendered.)"""
    return hasattr(os, "fork") and threading.active_count() == 1


def join_pdfs(*parts: bytes) -> bytes:
    """One PDF of the parts' pages in order (the first part's metadata and outline kept)."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(parts[0])))
    for part in parts[1:]:
        writer.append(PdfReader(io.BytesIO(part)))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _in_child(second, read_end: int, write_end: int) -> None:
    """Never returns: whatever happens in the child, it leaves with os._exit, so it cannot
    run on in the parent's code (its transactions, its exit handlers)."""
    try:
        os.close(read_end)
        _second_part_in_child(second, write_end)
    finally:
        os._exit(1)


def render_in_two_parts(first, second, pages: int) -> bytes | None:
    """Both parts rendered at once and joined, or None. `first` and `second` return each
    part as a rendered WeasyPrint document; the child renders its own."""
    if not can_fork():
        return None
    read_end, write_end = os.pipe()
    try:
        child = os.fork()
    except OSError:
        logger.warning("could not fork to render in two parts", exc_info=True)
        os.close(read_end)
        os.close(write_end)
        return None
    if child == 0:
        _in_child(second, read_end, write_end)
    os.close(write_end)
    first_pdf = second_pdf = None
    try:
        with os.fdopen(read_end, "rb") as pipe:
            first_pdf = render_first_part(first, pages)
            if first_pdf:
                gc.collect()  # the first part's layout, while the child finishes the second
                second_pdf = pipe.read()  # until the child closes its end
    finally:
        if second_pdf is None:  # a wrong plan or an error here: the child's work is moot
            os.kill(child, signal.SIGKILL)
        _, status = os.waitpid(child, 0)
    if not (first_pdf and second_pdf and os.waitstatus_to_exitcode(status) == 0):
        logger.warning("the page plan did not match the layout, or the second part failed; "
                       "rendering in one piece")
        return None
    try:
        return join_pdfs(first_pdf, second_pdf)
    except Exception:  # e.g. a part cut short
        logger.exception("could not join the two parts; rendering in one piece")
        return None
