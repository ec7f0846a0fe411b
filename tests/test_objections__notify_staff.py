"""A new objection reaches the staff who handle it: in the app and by e-mail, only once it is
committed, and on the application's page on the desk with its status and where it is
handled. A county reviewer of another county sees none of it."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from accounts.models import Role
from notifications.models import Notification
from publicity.models import Objection, ObjectionStatus
from publicity.objections import receive_objection
from publicity.services import handle_objection

from .factories import ApplicationFactory, UserFactory
from .helpers import signed_in
from .publicity_data import TODAY, objection_data, published_batch

pytestmark = [pytest.mark.django_db, pytest.mark.today(TODAY)]


@pytest.fixture
def staff(city):
    """Who handles objections (the city section and its chief), and who does not."""
    return {"city": city, "chief": UserFactory(role=Role.CHIEF),
            "finance": UserFactory(role=Role.FINANCE), "leader": UserFactory(role=Role.LEADER)}


@pytest.fixture
def batch_and_app(programme, city, applicant):
    app = ApplicationFactory(programme=programme, organisation=applicant.organisation,
                             approved_amount=30000, title="被异议的项目")
    batch, _apps = published_batch(programme, city, apps=[app])
    return batch, app


def test_the_city_section_is_told_in_the_app_and_by_mail_after_the_commit(
        batch_and_app, staff, county, applicant, django_capture_on_commit_callbacks):
    batch, app = batch_and_app
    mail.outbox.clear()
    Notification.objects.all().delete()  # what publishing told
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        objection, _created = receive_objection(batch, objection_data(app),
                                                 site_url="https://zizhu.example/")
        assert not Notification.objects.exists() and mail.outbox == []  # not before the commit
    assert callbacks
    told = Notification.objects.filter(application=app)
    assert {n.user for n in told} == {staff["city"], staff["chief"]}
    note = told.first()
    assert objection.receipt in note.subject and app.number in note.subject
    assert "该单位申报的专利与本人专利相同" in note.body and batch.title in note.body
    handle = f"https://zizhu.example{reverse('desk:publicity:batch', args=[batch.pk])}"
    assert handle in note.body
    assert sorted(m.to[0] for m in mail.outbox) == sorted([staff["city"].email,
                                                          staff["chief"].email])
    assert all(len(m.to) == 1 and m.subject == note.subject for m in mail.outbox)
    assert "&quot;" not in note.body and "&#x27;" not in note.body  # plain text, not HTML


def test_a_refused_objection_tells_no_one(batch_and_app, staff,
                                          django_capture_on_commit_callbacks):
    batch, app = batch_and_app
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        receive_objection(batch, objection_data(app, name=""))
    assert not Notification.objects.filter(subject__contains="异议").exists()
    assert mail.outbox == []


def test_the_public_form_tells_the_staff(batch_and_app, staff,
                                         django_capture_on_commit_callbacks):
    batch, app = batch_and_app
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post(f"/publicity/{batch.pk}/", objection_data(app))
    assert response.status_code == 303
    objection = Objection.objects.get()
    assert Notification.objects.filter(user=staff["city"],
                                       subject__contains=objection.receipt).exists()
    link = signed_in(staff["city"]).get("/notifications/").content.decode()
    assert reverse("desk:review:detail", args=[app.pk]) in link


def test_the_desk_application_page_shows_the_objection_and_its_status(
        batch_and_app, city, county, other_county):
    batch, app = batch_and_app
    objection, _created = receive_objection(batch, objection_data(app))
    page_url = reverse("desk:review:detail", args=[app.pk])
    handle = reverse("desk:publicity:batch", args=[batch.pk])

    page = signed_in(city).get(page_url).content.decode()
    assert objection.receipt in page and "已收到" in page and handle in page
    handle_objection(city, objection, ObjectionStatus.INVESTIGATING)
    page = signed_in(city).get(page_url).content.decode()
    assert "调查核实中" in page

    own = signed_in(county).get(page_url)  # the application's own county sees it, not the link
    assert own.status_code == 200 and objection.receipt in own.content.decode()
    assert handle not in own.content.decode()
    stranger = signed_in(other_county).get(page_url)
    assert stranger.status_code == 404 and objection.receipt not in stranger.content.decode()
    assert not Notification.objects.filter(user__in=[county, other_county],
                                           subject__contains=objection.receipt).exists()


def test_an_application_without_objections_shows_no_objection_part(batch_and_app, city):
    _batch, app = batch_and_app
    page = signed_in(city).get(reverse("desk:review:detail", args=[app.pk])).content.decode()
    assert 'id="objections"' not in page
