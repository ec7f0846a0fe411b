"""The office's 文号 register: paper documents share the sequence, so an administrator sets
where a year's numbers continue, never below one the system issued, and every setting is
kept with who, when and why."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from accounts.models import Role
from notices.models import DocumentNumberChange, DocumentSequence, Notice, NoticeKind, NoticeStatus
from notices.numbers import allocate
from notices.register import set_next_number

from .factories import UserFactory
from .helpers import signed_in

pytestmark = pytest.mark.django_db

ADD_URL = "/admin/notices/documentsequence/add/"


@pytest.fixture
def administrator(reference):
    return UserFactory(role=Role.ADMIN, is_staff=True, is_superuser=True)


def issued(programme, user, serial, prefix="衡市监办", year=2021):
    """A notice the system issued under that number."""
    return Notice.objects.create(
        programme=programme, kind=NoticeKind.DISBURSEMENT, title="关于下拨资金的通知", body="正文",
        number_prefix=prefix, year=year, serial=serial, status=NoticeStatus.ISSUED,
        issued_on=date(year, 6, 1), created_by=user)


def next_allocated(prefix="衡市监办", year=2021) -> int:
    with transaction.atomic():
        return allocate(prefix, year)


def test_the_office_continues_after_its_paper_documents(administrator):
    set_next_number(administrator, "衡市监办", 2021, 68, "纸质公文已用到第67号")
    assert next_allocated() == 68
    assert next_allocated() == 69  # gapless from there
    change = DocumentNumberChange.objects.get()
    assert (change.previous_next, change.next_number, change.changed_by) == (1, 68, administrator)
    assert change.reason == "纸质公文已用到第67号"


def test_raised_again_and_never_below_a_number_the_system_issued(administrator, programme):
    set_next_number(administrator, "衡市监办", 2021, 68, "纸质公文已用到第67号")
    issued(programme, administrator, next_allocated())
    issued(programme, administrator, next_allocated())  # 68 and 69 issued
    set_next_number(administrator, "衡市监办", 2021, 80, "纸质公文用到了第79号")
    assert next_allocated() == 80
    with pytest.raises(ValidationError) as refused:
        set_next_number(administrator, "衡市监办", 2021, 69, "误操作")
    assert "衡市监办〔2021〕69号" in str(refused.value) and "不能小于70" in str(refused.value)
    # lowering is allowed down to just after the highest number issued (a raise by mistake)
    set_next_number(administrator, "衡市监办", 2021, 70, "第80号为误设")
    assert next_allocated() == 70
    assert [c.next_number for c in DocumentNumberChange.objects.order_by("id")] == [68, 80, 70]


def test_only_an_administrator_sets_numbers_and_always_with_a_reason(administrator, city):
    with pytest.raises(PermissionDenied):
        set_next_number(city, "衡市监办", 2021, 68, "纸质公文已用到第67号")
    with pytest.raises(ValidationError) as refused:
        set_next_number(administrator, "衡市监办", 2021, 68, "  ")
    assert "原因" in str(refused.value)
    assert not DocumentSequence.objects.exists() and not DocumentNumberChange.objects.exists()


def test_the_record_is_append_only(administrator):
    set_next_number(administrator, "衡市监办", 2021, 68, "纸质公文已用到第67号")
    change = DocumentNumberChange.objects.get()
    change.reason = "改写"
    with pytest.raises(ValueError):
        change.save()
    with pytest.raises(ValueError):
        change.delete()
    with pytest.raises(Exception, match="append-only"):  # the database refuses it too
        with transaction.atomic():
            DocumentNumberChange.objects.filter(pk=change.pk).update(reason="改写")
    assert DocumentNumberChange.objects.get().reason == "纸质公文已用到第67号"


def test_the_admin_sets_the_number_and_shows_the_record(administrator, programme):
    client = signed_in(administrator)
    response = client.post(ADD_URL, {"prefix": "衡市监办", "year": "2021", "next_number": "68",
                                     "reason": "纸质公文已用到第67号"})
    assert response.status_code == 302, response.content.decode()[:2000]
    sequence = DocumentSequence.objects.get(prefix="衡市监办", year=2021)
    assert sequence.next_number == 68
    page = client.get(f"/admin/notices/documentsequence/{sequence.pk}/change/").content.decode()
    assert "纸质公文已用到第67号" in page and "68" in page


def test_the_admin_form_refuses_with_the_values_kept(administrator, programme):
    client = signed_in(administrator)
    client.post(ADD_URL, {"prefix": "衡市监办", "year": "2021", "next_number": "68",
                          "reason": "纸质公文已用到第67号"})
    issued(programme, administrator, next_allocated())
    sequence = DocumentSequence.objects.get()
    response = client.post(f"/admin/notices/documentsequence/{sequence.pk}/change/",
                           {"next_number": "50", "reason": "调回"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "不能小于69" in page and 'value="50"' in page and 'value="调回"' in page
    assert DocumentSequence.objects.get().next_number == 69


def test_staff_who_are_not_administrators_cannot_open_the_register(reference):
    chief = UserFactory(role=Role.CHIEF, is_staff=True)
    assert signed_in(chief).get(ADD_URL).status_code == 403
