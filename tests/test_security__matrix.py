"""The permission matrix: every route × every role × own and foreign objects, 0 leaks.

A scene with two organisations in two counties. Each application's title and attachment carry
a marker (MKA1 …); the notice and the draft publicity batch carry theirs. Every role requests
every route (GET) with the ids of every object, and POSTs to the routes of objects it may not
see. A leak is a forbidden marker in any answer (HTML, JSON, Excel cells, files), an answer
with content for a forbidden PDF, or any change to data after a forbidden POST. The expected
visibility is written out by hand below, not derived from the code under test."""

import hashlib
import io
import re
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from openpyxl import load_workbook

from accounts.models import Role
from config.access import routes
from notices.models import Notice
from notices.services import draft_disbursement_notice
from notices.signoff import start_signoff, waiting_task
from notifications.models import Notification
from publicity.models import PublicityBatch
from subsidy.models import Application, Attachment, ExpertAssignment
from workcalendar.models import ScheduleYear
from workflows.models import AuditEntry
from workflows.stages import State

from .factories import (
    ApplicantFactory,
    ApplicationFactory,
    AttachmentFactory,
    CountyReviewerFactory,
    OrganisationFactory,
    UserFactory,
    region,
)
from .helpers import sign_in

pytestmark = pytest.mark.django_db

CITY_SIDE = {"city", "chief", "leader", "finance", "admin"}
#: Who may see what, by hand: the policy of the office.
MAY_SEE = {
    "anonymous": set(),
    "applicant_a": {"MKA1", "MKA2"},
    "applicant_b": {"MKB1", "MKB2"},
    "county_a": {"MKA1", "MKA2"},
    "county_b": {"MKB1", "MKB2"},
    "city": {"MKA1", "MKA2", "MKB1", "MKB2", "MKNOTICE", "MKBATCH"},
    "chief": {"MKA1", "MKA2", "MKB1", "MKB2", "MKNOTICE", "MKBATCH"},
    "leader": {"MKA1", "MKA2", "MKB1", "MKB2", "MKNOTICE", "MKBATCH"},
    "admin": {"MKA1", "MKA2", "MKB1", "MKB2", "MKNOTICE", "MKBATCH"},
    "finance": {"MKA2", "MKB2", "MKNOTICE", "MKBATCH"},
    "expert": {"MKA1"},
}
MARKERS = {"MKA1", "MKA2", "MKB1", "MKB2", "MKNOTICE", "MKBATCH"}


@pytest.fixture
def scene(programme):
    a_org = OrganisationFactory(region=region("430405"), name="甲单位")
    b_org = OrganisationFactory(region=region("430424"), name="乙单位")
    people = {
        "applicant_a": ApplicantFactory(organisation=a_org),
        "applicant_b": ApplicantFactory(organisation=b_org),
        "county_a": CountyReviewerFactory(region=region("430405")),
        "county_b": CountyReviewerFactory(region=region("430424")),
        **{role: UserFactory(role=role) for role in ("city", "chief", "leader", "finance",
                                                     "expert")},
        "admin": UserFactory(role=Role.ADMIN, is_staff=True, is_superuser=True),
    }
    apps = {}
    for marker, org, state in (("MKA1", a_org, State.COUNTY_REVIEW),
                               ("MKA2", a_org, State.AWAITING_DISBURSEMENT),
                               ("MKB1", b_org, State.COUNTY_REVIEW),
                               ("MKB2", b_org, State.AWAITING_DISBURSEMENT)):
        app = ApplicationFactory(programme=programme, organisation=org, title=f"项目{marker}",
                                 approved_amount=Decimal("10000"))
        Application.objects.filter(pk=app.pk).update(state=state)
        AttachmentFactory(application=app, file=ContentFile(
            f"%PDF-1.4\n% {marker}\n".encode(), name="a.pdf"))
        Notification.objects.create(user=people["applicant_a" if org == a_org else
                                              "applicant_b"], application=app,
                                    subject=f"通知{marker}", body=marker)
        apps[marker] = Application.objects.get(pk=app.pk)
    ExpertAssignment.objects.create(application=apps["MKA1"], expert=people["expert"],
                                    assigned_by=people["city"])
    # the notice lists two other items with neutral titles: its own marker is its title
    neutral = []
    for org in (a_org, b_org):
        item = ApplicationFactory(programme=programme, organisation=org, title="中性项目",
                                  approved_amount=Decimal("20000"))
        Application.objects.filter(pk=item.pk).update(state=State.AWAITING_DISBURSEMENT)
        neutral.append(item.pk)
    notice = draft_disbursement_notice(people["city"], programme, neutral, label="MKNOTICE")
    start_signoff(notice)
    batch = PublicityBatch.objects.create(
        programme=programme, kind="approval", title="MKBATCH公示", start_date="2026-12-01",
        end_date="2026-12-08", created_by=people["city"])
    ScheduleYear.objects.create(year=2027, source="2027年安排")  # the calendar's edit page
    return {"people": people, "apps": apps, "notice": notice, "batch": batch,
            "programme": programme}


def variants(route: str, name: str, scene) -> list[tuple[str | None, dict]]:
    """(marker of the object the URL points at, URL kwargs) for each object the route takes."""
    names = set(re.findall(r"<(?:\w+:)?(\w+)>", route))
    if not names:
        return [(None, {})]
    notice, batch = scene["notice"], scene["batch"]
    task = waiting_task(notice)
    common = {"code": "01", "name": "accept", "programme_pk": scene["programme"].pk,
              "objection_pk": 999999, "process_pk": task.process_id, "task_pk": task.pk,
              "notice_id": notice.pk, "year": 2027, "token_id": 999999, "key": "0" * 40}
    if names & {"pk"} and ("publicity" in name):
        return [("MKBATCH", {**common, "pk": batch.pk})]
    if names & {"pk"} and "notices" in name:
        return [("MKNOTICE", {**common, "pk": notice.pk})]
    if name == "programme":
        return [(None, {**common, "pk": scene["programme"].pk})]
    if names <= set(common):
        marker = "MKNOTICE" if names & {"process_pk", "notice_id"} else None
        return [(marker, common)]
    out = []
    for marker, app in scene["apps"].items():
        attachment = Attachment.objects.get(application=app)
        notification = Notification.objects.get(application=app)
        assignment = ExpertAssignment.objects.filter(application=app).first()
        pk = assignment.pk if (assignment and name.startswith("desk:experts:score")) else app.pk
        out.append((marker, {**common, "pk": pk, "application_id": app.pk,
                             "attachment_pk": attachment.pk, "attachment_id": attachment.pk,
                             "notification_id": notification.pk}))
    return out


def fill(route: str, kwargs: dict) -> str:
    """The URL of `route` (a path, or a library's regex such as captcha's image URL)."""
    route = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"<\1>", route).lstrip("^").replace("$", "")
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(kwargs[m.group(1)]), route)


def visible_text(response) -> str:
    """Everything a response shows: text, Excel cells, or the bytes of a file."""
    if getattr(response, "streaming", False):
        body = b"".join(response.streaming_content)
    else:
        body = response.content
    kind = response.get("Content-Type", "")
    if "spreadsheetml" in kind:
        book = load_workbook(io.BytesIO(body), read_only=True)
        return " ".join(str(cell) for sheet in book.worksheets
                        for row in sheet.iter_rows(values_only=True) for cell in row)
    return body.decode("utf-8", errors="replace")


def fingerprint() -> str:
    """Everything a forbidden POST could change."""
    rows = [list(Application.objects.order_by("pk").values_list("pk", "state", "title",
                                                                 "approved_amount")),
            AuditEntry.objects.count(), Attachment.objects.count(),
            list(Notice.objects.values_list("pk", "status", "body", "title")),
            list(PublicityBatch.objects.values_list("pk", "status", "title")),
            list(ExpertAssignment.objects.values_list("pk", "total", "submitted_at")),
            list(Notification.objects.values_list("pk", "read_at")),
            list(ScheduleYear.objects.values_list("pk", "year", "source", "entered_at"))]
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def test_no_role_sees_or_changes_what_is_not_its_own(scene):
    clients = {"anonymous": Client()}
    for key, user in scene["people"].items():
        clients[key] = sign_in(Client(), user)
    leaks, checked = [], 0
    for route, name, _view in routes():
        if name.startswith("admin:") and name != "admin:index":
            continue  # the admin is for superusers, who see everything; its door is checked
        for marker, kwargs in variants(route, name, scene):
            url = fill(route, kwargs)
            for role, client in clients.items():
                allowed = MAY_SEE[role]
                response = client.get(url)
                checked += 1
                if response.status_code == 200:
                    shown = {m for m in MARKERS - allowed if m in visible_text(response)}
                    if shown:
                        leaks.append(("GET", role, url, sorted(shown)))
                    if marker and marker not in allowed and "pdf" in name:
                        leaks.append(("GET pdf", role, url, marker))
                if name.startswith("admin:") and role != "admin" \
                        and response.status_code == 200:
                    leaks.append(("GET admin", role, url))
                if marker and marker not in allowed:
                    before = fingerprint()
                    posted = client.post(url, {"action": "accept", "comment": "越权"})
                    checked += 1
                    if fingerprint() != before:
                        leaks.append(("POST changed data", role, url, posted.status_code))
                    elif posted.status_code == 200 and marker in visible_text(posted):
                        leaks.append(("POST", role, url, marker))
    assert leaks == []
    assert checked > 2500  # every route, every role, every object (2,788 now)
