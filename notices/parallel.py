"""Rendering one document in two parts on two cores, then joining them into one PDF.

WeasyPrint lays a document out in one process. `notices.pdf` splits a big notice at a page
boundary of its allocation table and gives this module the two parts as HTML; the second is
rendered in a forked child while this process renders the first. Each part checks, by
anchors in its own layout, that the split really falls where it was planned:

- the first part ends one row past the split (id "split"), which must land alone on a new
  page, exactly `pages` pages after the start of the attachment (id "appendix"), with the
  row before it (id "split-before") on the page before;
- the second part lays out the front matter and `pages` blank pages (the first has id
  "appendix") before the rest of the table, so that its pages carry the numbers and sides
  they have in the whole notice; the split row must start the page right after them.

If a check fails, or this process cannot fork safely, `render_in_two_parts` returns None and
the caller renders the notice in one piece: a wrong plan costs time, never a page.
"""

import gc
import io
import logging
import os
import threading

from pypdf import PdfReader, PdfWriter

logger = logging.getLogger(__name__)


def _anchor_pages(document) -> dict[str, int]:
    where = {}
    for index, page in enumerate(document.pages):
        for name in page.anchors:
            where.setdefault(name, index)
    return where


def render_first_part(load, pages: int) -> bytes | None:
    """PDF of the front matter and the table up to the split, or None if the plan was wrong.
    `load` returns the part as a WeasyPrint HTML document."""
    document = load().render()
    where, last = _anchor_pages(document), len(document.pages) - 1
    if (where.get("split") != last or where.get("split-before") != last - 1
            or last - where.get("appendix", last) != pages):
        return None
    return document.copy(document.pages[:last]).write_pdf()


def render_second_part(load, pages: int) -> bytes | None:
    """PDF of the table from the split on, numbered as in the whole notice, or None."""
    document = load().render()
    where = _anchor_pages(document)
    start = where.get("split")
    if start is None or start != where.get("appendix", -1) + pages:
        return None
    return document.copy(document.pages[start:]).write_pdf()


def _second_part_in_child(second, pages: int, write_end: int) -> None:
    """The forked child's whole life: render, send the PDF (empty if the plan was wrong or
    rendering failed) and leave at once, whatever happens, without the parent's exit
    handlers."""
    pdf = b""
    try:
        pdf = render_second_part(second, pages) or b""
    except Exception:  # the parent renders the notice in one piece instead
        logger.exception("rendering the second part failed")
    finally:
        try:
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(pdf)
        finally:
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


def render_in_two_parts(first, second, pages: int) -> bytes | None:
    """Both parts rendered at once and joined, or None. `first` and `second` return each
    part as a WeasyPrint HTML document; the child builds its own."""
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
        os.close(read_end)
        _second_part_in_child(second, pages, write_end)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        try:
            first_pdf = render_first_part(first, pages)
            gc.collect()  # the first part's layout, while the child finishes the second
        finally:
            second_pdf = pipe.read()  # until the child closes its end
            os.waitpid(child, 0)
    if not (first_pdf and second_pdf):
        logger.warning("the page plan did not match the layout; rendering in one piece")
        return None
    return join_pdfs(first_pdf, second_pdf)
