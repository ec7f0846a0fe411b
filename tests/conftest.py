import os
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.utils import translation

from accounts.models import Role
from subsidy.models import Application
from workflows import services as engine
from workflows.stages import State

from .factories import (
    ApplicantFactory,
    ApplicationFactory,
    CountyReviewerFactory,
    OrganisationFactory,
    ProgrammeFactory,
    UserFactory,
    attach_required,
    ensure_reference_data,
    region,
)
from .helpers import PATIENCE, travel_to


@pytest.fixture(autouse=True)
def _media_root(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    (tmp_path / "uploads").mkdir()
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "uploads")


@pytest.fixture(autouse=True)
def _site_language():
    """Each test starts in the site's language (Chinese): a request made with another
    language leaves it active in the thread, and the next test would read English."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: the public forms' rate limits count in it, and
    one test's uses would otherwise count against the next."""
    cache.clear()


@pytest.fixture(autouse=True)
def _today(request):
    """A test marked `@pytest.mark.today(date(2021, 11, 1))` (or a module with that
    `pytestmark`) runs on that day: the clock starts at 09:00 in Hengyang and runs on
    (`tick=False` in the marker stops it). Every fixture of the test sees that day too.
    Unmarked tests keep the real clock; those must not depend on the date."""
    marker = request.node.get_closest_marker("today")
    if marker is None:
        yield None
        return
    with travel_to(*marker.args, **marker.kwargs):
        yield marker.args[0]


@pytest.fixture
def reference(db):
    ensure_reference_data()


@pytest.fixture
def programme(reference):
    return ProgrammeFactory()


@pytest.fixture
def applicant(reference):
    return ApplicantFactory(organisation=OrganisationFactory(region=region("430405")))


@pytest.fixture
def other_applicant(reference):
    return ApplicantFactory(organisation=OrganisationFactory(region=region("430424")))


@pytest.fixture
def county(reference):
    return CountyReviewerFactory(region=region("430405"))


@pytest.fixture
def other_county(reference):
    return CountyReviewerFactory(region=region("430424"))


@pytest.fixture
def city(reference):
    return UserFactory(role=Role.CITY)


@pytest.fixture
def finance(reference):
    return UserFactory(role=Role.FINANCE)


@pytest.fixture
def audited(programme, applicant, county):
    """An application with three audit entries (submit, accept, recommend)."""
    app = ApplicationFactory(programme=programme, organisation=applicant.organisation)
    attach_required(app)
    engine.perform(app, "submit", applicant)
    engine.perform(app, "accept", county)
    engine.perform(app, "recommend", county, comment="同意推荐")
    return app


@pytest.fixture
def waiting(programme):
    """Two applications awaiting disbursement, 30,000 yuan each."""
    apps = [ApplicationFactory(programme=programme, approved_amount=Decimal("30000"))
            for _ in range(2)]
    Application.objects.filter(pk__in=[a.pk for a in apps]).update(
        state=State.AWAITING_DISBURSEMENT)
    return apps


# --- Browser tests: Playwright driving Debian's chromium ----------------------------------
CHROMIUM = "/usr/bin/chromium"
BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--no-first-run"]
SHOTS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"


class PatientBrowser:
    """The launched browser, whose contexts wait up to PATIENCE for every page, element and
    condition (Playwright's defaults, 30 s, are short on a busy machine)."""

    def __init__(self, browser):
        self._browser = browser

    def new_context(self, **options):
        context = self._browser.new_context(**options)
        context.set_default_timeout(PATIENCE * 1000)
        context.set_default_navigation_timeout(PATIENCE * 1000)
        return context

    def __getattr__(self, name):
        return getattr(self._browser, name)


@pytest.fixture
def browser(monkeypatch):
    if not shutil.which(CHROMIUM) and not os.environ.get("CI"):
        pytest.skip("Debian chromium is not installed (scripts/setup.sh installs it)")
    from playwright.sync_api import expect, sync_playwright

    # Playwright's sync API keeps an event loop in this thread; the test's own ORM calls are
    # still plain synchronous code.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    expect.set_options(timeout=PATIENCE * 1000)  # expect(...) retries its check until then
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS,
                                              timeout=PATIENCE * 1000)
        yield PatientBrowser(instance)
        instance.close()
        # the test's ORM calls ran in Playwright's context and opened their own connection
        connections.close_all()
