"""A committed transition tells the applicant and whoever acts next; a refused one tells no one."""

import pytest
from django.core import mail

from notifications.models import Notification
from workflows import services as engine
from workflows.exceptions import GuardFailed

from .factories import ApplicationFactory, attach_required


@pytest.mark.django_db
def test_submit_notifies_applicant_and_county(programme, applicant, county, other_county,
                                              django_capture_on_commit_callbacks):
    app = ApplicationFactory(programme=programme, organisation=applicant.organisation,
                             created_by=applicant)
    attach_required(app)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        engine.perform(app, "submit", applicant)
    assert len(callbacks) == 1 and not mail.outbox  # nothing is sent before commit
    callbacks[0]()
    recipients = set(Notification.objects.values_list("user__username", flat=True))
    assert recipients == {applicant.username, county.username}
    assert {m.to[0] for m in mail.outbox} == {applicant.email, county.email}
    assert app.number in mail.outbox[0].subject and "提交申报" in mail.outbox[0].subject


@pytest.mark.django_db
def test_refused_transition_queues_nothing(programme, applicant,
                                           django_capture_on_commit_callbacks):
    app = ApplicationFactory(programme=programme, organisation=applicant.organisation)
    with django_capture_on_commit_callbacks(execute=True) as callbacks, \
            pytest.raises(GuardFailed):
        engine.perform(app, "submit", applicant)  # attachments missing
    assert callbacks == [] and not Notification.objects.exists()


@pytest.mark.django_db
def test_in_app_list_shows_only_ones_own(programme, applicant, county,
                                         django_capture_on_commit_callbacks):
    from .api_client import ApiClient

    app = ApplicationFactory(programme=programme, organisation=applicant.organisation,
                             created_by=applicant)
    attach_required(app)
    with django_capture_on_commit_callbacks(execute=True):
        engine.perform(app, "submit", applicant)
    mine = ApiClient(applicant).get("/notifications").json()["items"]
    assert len(mine) == 1 and app.number in mine[0]["subject"]
    theirs = ApiClient(county).get("/notifications").json()["items"]
    assert ApiClient(applicant).post(f"/notifications/{theirs[0]['id']}/read").status_code == 404
    read = ApiClient(applicant).post(f"/notifications/{mine[0]['id']}/read").json()
    assert read["read_at"] is not None
    assert ApiClient(applicant).get("/notifications", unread=True).json()["count"] == 0
