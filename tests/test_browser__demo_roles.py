"""The demo as each of its people sees it (issue 15, "Done when"): on the seeded demo, every
role's home page, main list and one detail page at 1366×768 and on a phone (390×844), in
Chinese, and the home pages in English too. A person would check two things, and so does
this test: no English left in the Chinese interface (the visible text, `innerText`), and
nothing cut off horizontally (the page no wider than the window, no table clipped by a box
that hides its overflow). Screenshots: docs/screenshots/demo/<role>_<page>_<width>.png
(`…_en.png` in English), reduced to 64 colours: 82 full pages weigh 25 MB otherwise. The
demo is seeded once; every page is looked at and every screenshot taken before the
problems found are reported, all of them, by role, page and width."""

import io
import re
from datetime import date

import pytest
from PIL import Image

from notices.models import Notice, NoticeKind, NoticeStatus
from publicity.models import BatchKind, BatchStatus, PublicityBatch
from subsidy.demo import seed
from subsidy.models import Application, ExpertAssignment, Programme
from workflows.stages import State

from .conftest import SHOTS
from .factories import PASSWORD
from .test_browser__apply_and_review import sign_in

DAY = date(2026, 11, 20)
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True),
              pytest.mark.today(DAY)]
#: (width, height) of the two windows: a laptop, and a phone held upright.
WINDOWS = {1366: 768, 390: 844}
#: Latin words allowed in the Chinese interface: file formats and units by their names (PDF,
#: Excel, KB), the abbreviations Chinese technical writing keeps (API 令牌; in project titles
#: GB/T standards, PCT applications, PCB boards), the language switcher's "English", and the
#: demo's usernames (identifiers, not words).
ALLOWED_WORDS = {"PDF", "Excel", "PNG", "JPEG", "ZIP", "Office", "Word", "KB", "MB", "API",
                 "GB", "PCT", "PCB", "English",
                 "city", "chief", "leader", "finance", "expert", "admin", "system"}


def role_pages() -> dict[str, tuple[str | None, list[tuple[str, str]]]]:
    """{role: (username or None for the public, [(page, path), …])}: home, main list and a
    detail page of each role (city staff: their other lists too)."""
    current = Programme.objects.order_by("-year").first()
    apps = Application.objects.filter(programme=current)
    part_paid = apps.filter(state=State.DISBURSEMENT_NOTIFIED, paid_amount__gt=0)
    mine = part_paid.filter(organisation__users__username="applicant1").first()
    in_county = apps.filter(region__code="430405", state=State.COUNTY_REVIEW).first()
    scored = apps.filter(state=State.EXPERT_REVIEW).exclude(
        expert_assignments__submitted_at__isnull=True).first()
    running = PublicityBatch.objects.filter(programme=current, status=BatchStatus.PUBLISHED)
    acceptance = running.get(kind=BatchKind.ACCEPTANCE)
    approval = running.get(kind=BatchKind.APPROVAL)
    notices = Notice.objects.filter(programme=current)
    issued = notices.get(status=NoticeStatus.ISSUED)
    with_leader = notices.get(status=NoticeStatus.DRAFT, kind=NoticeKind.DISBURSEMENT)
    with_chief = notices.get(status=NoticeStatus.DRAFT, kind=NoticeKind.PUBLICITY)
    task = ExpertAssignment.objects.filter(expert__username="expert",
                                           submitted_at__isnull=True).first()
    return {
        "applicant": ("applicant1", [("home", "/"), ("list", f"/programmes/{current.pk}/"),
                                     ("detail", f"/applications/{mine.pk}/")]),
        "county": ("county-430405", [("home", "/"), ("list", "/desk/review/?all=1"),
                                     ("detail", f"/desk/review/{in_county.pk}/")]),
        "city": ("city", [("home", "/"), ("list", "/desk/review/?all=1"),
                          ("detail", f"/desk/review/{scored.pk}/"),
                          ("publicity", "/desk/publicity/"),
                          ("batch", f"/desk/publicity/{acceptance.pk}/"),
                          ("acceptance", "/desk/publicity/acceptance/"),
                          ("notices", "/desk/notices/"),
                          ("notice", f"/desk/notices/{issued.pk}/")]),
        "chief": ("chief", [("home", "/"), ("list", "/desk/signoff/queue/"),
                            ("detail", f"/desk/notices/{with_chief.pk}/")]),
        "leader": ("leader", [("home", "/"), ("list", "/desk/signoff/queue/"),
                              ("detail", f"/desk/notices/{with_leader.pk}/")]),
        "finance": ("finance", [("home", "/"), ("list", "/desk/review/payments/"),
                                ("detail", f"/desk/review/{part_paid.first().pk}/payments/")]),
        "expert": ("expert", [("home", "/"), ("list", "/notifications/"),
                              ("detail", f"/desk/experts/{task.pk}/")]),
        "admin": ("admin", [("home", "/admin/"), ("list", "/admin/subsidy/application/"),
                            ("detail", f"/admin/subsidy/application/{mine.pk}/change/")]),
        "public": (None, [("home", "/"), ("list", "/publicity/"),
                          ("detail", f"/publicity/{approval.pk}/")]),
    }


MEASURE = """() => {
  // the text a person reads: visible text nodes, but not icon-font ligatures ("menu",
  // "arrow_drop_down" drawn as icons by Material Icons)
  const words = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const box = node.parentElement;
    if (!node.textContent.trim() || !box || !box.checkVisibility({visibilityProperty: true})
        || /material icons/i.test(getComputedStyle(box).fontFamily)
        || ['SCRIPT', 'STYLE', 'NOSCRIPT'].includes(box.tagName)) continue;
    words.push(node.textContent);
  }
  const clipped = [];
  for (const table of document.querySelectorAll('table')) {
    for (let box = table.parentElement; box && box !== document.body; box = box.parentElement) {
      const x = getComputedStyle(box).overflowX;
      if ((x === 'hidden' || x === 'clip') && box.scrollWidth > box.clientWidth + 1) {
        clipped.push(`${box.tagName.toLowerCase()}.${box.className} `
                     + `${box.scrollWidth}>${box.clientWidth}px`);
        break;
      }
    }
  }
  return {text: words.join(' '), scrollWidth: document.documentElement.scrollWidth,
          innerWidth: window.innerWidth, clipped: clipped,
          viewport: !!document.querySelector('meta[name=viewport]')};
}"""


def english_words(text: str) -> list[str]:
    """Latin words in `text` but the allowed ones. A run of Latin letters, digits and
    punctuation with a digit or an @ in it is a number, a code (91430405MA4L…, 2026-ERNVYJCQ)
    or an e-mail address, not words; nor is a file name's extension (申报书.pdf)."""
    words = []
    for run in re.findall(r"[A-Za-z0-9@./'_-]+", text, re.ASCII):
        if re.search(r"[\d@]", run) or run.startswith("."):
            continue
        words += [w for w in re.split(r"[./'_-]", run)
                  if len(w) > 1 and w not in ALLOWED_WORDS and w not in words]
    return words


def look(page, base, path, shot, width, chinese, refused=None) -> list[str]:
    """Open `path`, take the screenshot, and say what a person would object to; `refused`
    collects what the Content-Security-Policy blocked (the browser's console says so)."""
    if refused is not None:
        refused.clear()
    response = page.goto(base + path)
    page.evaluate("document.fonts.ready")
    found = page.evaluate(MEASURE)
    height = page.evaluate("document.documentElement.scrollHeight")
    png = page.screenshot(full_page=True,
                          clip={"x": 0, "y": 0, "width": width, "height": min(height, 4000)})
    shot.parent.mkdir(parents=True, exist_ok=True)
    Image.open(io.BytesIO(png)).quantize(colors=64).save(shot, optimize=True)
    problems = [f"blocked by the Content-Security-Policy: {text[:160]}"
                for text in (refused or [])]
    if response is None or response.status >= 400:
        problems.append(f"status {response.status if response else 'none'}")
    if not found["viewport"]:
        problems.append("no viewport meta tag: a phone shows it shrunk")
    # (a phone widens its layout to the content: a page wider than the window shows as a
    # wider layout, and as a scroll width past it on a laptop)
    widest = max(found["scrollWidth"], found["innerWidth"])
    if widest > width + 1:
        problems.append(f"wider than the window: {widest} > {width} px")
    problems += [f"table clipped by {box}" for box in found["clipped"]]
    if chinese:
        words = english_words(found["text"])
        if words:
            problems.append("English: " + ", ".join(words[:25])
                            + (f" … ({len(words)} words)" if len(words) > 25 else ""))
    return problems


def test_every_role_sees_the_demo_in_chinese_with_nothing_cut_off(browser, live_server):
    seed(password=PASSWORD, history=True)  # committed (a transactional test), as by the command
    pages = role_pages()
    problems = []
    for role, (username, role_paths) in pages.items():
        problems += look_as(browser, live_server.url, role, username, role_paths)
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)


def look_as(browser, base, role, username, pages) -> list[str]:
    """Every page of `role` at both widths (the home page in English too): the problems."""
    signed_in = None
    if username:
        context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 768})
        sign_in(context.new_page(), base, username)
        signed_in = context.storage_state()  # one sign-in (a code is good once) for all
        context.close()
    problems = []
    for width, height in WINDOWS.items():
        phone = {"is_mobile": True, "has_touch": True} if width < 600 else {}
        for language, locale in (("zh", "zh-CN"), ("en", "en-US")):
            context = browser.new_context(locale=locale, viewport={"width": width,
                                                                   "height": height},
                                          storage_state=signed_in, **phone)
            page = context.new_page()
            refused = []
            page.on("console", lambda message, refused=refused: refused.append(message.text)
                    if "Content Security Policy" in message.text else None)
            for name, path in pages:
                if language == "en" and name != "home":
                    continue
                suffix = "_en" if language == "en" else ""
                shot = SHOTS / "demo" / f"{role}_{name}_{width}{suffix}.png"
                for problem in look(page, base, path, shot, width, chinese=language == "zh",
                                    refused=refused):
                    problems.append(f"{role} {name} {width}{suffix} ({path}): {problem}")
            context.close()
    return problems
