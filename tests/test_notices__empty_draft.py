"""Drafting a notice with no item ticked is refused, saying why, with the form as it was
sent (nothing ticked, the label kept); the API refuses it too."""

import pytest

from notices.models import Notice

from .api_client import ApiClient
from .helpers import signed_in

pytestmark = pytest.mark.django_db


def test_the_desk_refuses_a_draft_with_nothing_ticked(programme, city, waiting):
    answer = signed_in(city).post(f"/desk/notices/?programme={programme.pk}",
                                  {"programme": programme.pk, "label": "第三批"})
    page = answer.content.decode()
    assert answer.status_code == 422 and not Notice.objects.exists()
    assert "请至少选择一个待下拨资金" in page
    assert 'value="第三批"' in page  # the typed label is kept
    assert " checked" not in page  # nothing ticked, as sent
    assert all(a.number in page for a in waiting)


def test_the_api_refuses_an_empty_draft(programme, city, waiting):
    refused = ApiClient(city).post("/notices", {"programme": programme.pk,
                                                "application_ids": []})
    assert refused.status_code == 422 and not Notice.objects.exists()
    assert "请至少选择一个" in refused.json()["errors"]["__all__"][0]
