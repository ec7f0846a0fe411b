"""A corrected holiday schedule counts unfinished publicity periods again: a draft's end date
follows it; a published batch keeps the dates the public saw and staff are told to check."""

from datetime import date

import pytest

from accounts.models import Role
from publicity.models import BatchKind, PublicityBatch
from publicity.services import create_batch, publish_batch
from workcalendar.schedules import HolidayEntry
from workflows.stages import State

from .factories import ApplicationFactory, UserFactory
from .helpers import at, signed_in
from .holiday_schedules import HOLIDAYS_2027, enter_2027

pytestmark = [pytest.mark.django_db, pytest.mark.today(date(2027, 1, 29))]



def test_a_corrected_spring_festival_moves_drafts_and_flags_published_batches(
        reference, programme, city):
    admin = UserFactory(role=Role.ADMIN, is_staff=True, is_superuser=True)
    schedule = enter_2027(admin)
    apps = [at(ApplicationFactory(programme=programme), State.APPROVED) for _ in range(2)]
    # Monday 1 February: four working days, 春节 5–12 February, the 5th is Monday 15th
    draft = create_batch(city, programme, BatchKind.APPROVAL, "草稿", date(2027, 2, 1), 5,
                         [apps[0].pk])
    public = create_batch(city, programme, BatchKind.APPROVAL, "公示中", date(2027, 2, 1), 5,
                          [apps[1].pk])
    publish_batch(city, public)
    assert draft.end_date == public.end_date == date(2027, 2, 15)
    corrected = [h if h.name != "春节" else HolidayEntry("春节", date(2027, 2, 6),
                                                        date(2027, 2, 12))
                 for h in HOLIDAYS_2027]
    saved = enter_2027(admin, holidays=corrected, editing=schedule, revision=schedule.revision)
    notes = [str(n) for n in saved.notes]
    assert PublicityBatch.objects.get(pk=draft.pk).end_date == date(2027, 2, 5)
    assert PublicityBatch.objects.get(pk=public.pk).end_date == date(2027, 2, 15)
    assert any("“草稿”的截止日按新安排改为 2027-02-05" in n for n in notes)
    assert any("“公示中”按新安排应于 2027-02-05 截止，公布的是 2027-02-15" in n for n in notes)


def test_the_desk_shows_what_the_save_changed(reference, programme, city):
    admin = UserFactory(role=Role.ADMIN, is_staff=True, is_superuser=True)
    schedule = enter_2027(admin)
    app = at(ApplicationFactory(programme=programme), State.APPROVED)
    create_batch(city, programme, BatchKind.APPROVAL, "草稿", date(2027, 2, 1), 5, [app.pk])
    desk = signed_in(admin)
    form = desk.get("/desk/calendar/2027/").context
    data = {"action": "save", "year": "2099", "source": "", "notice_text": "",
            "revision": str(schedule.revision),
            "holiday-TOTAL_FORMS": str(form["holiday_rows"].total_form_count()),
            "holiday-INITIAL_FORMS": "0", "workday-TOTAL_FORMS": "0",
            "workday-INITIAL_FORMS": "0"}
    for i, h in enumerate(HOLIDAYS_2027):
        first = date(2027, 2, 6) if h.name == "春节" else h.first_day
        data.update({f"holiday-{i}-name": h.name, f"holiday-{i}-first_day": first.isoformat(),
                     f"holiday-{i}-last_day": h.last_day.isoformat()})
    page = desk.post("/desk/calendar/2027/", data, follow=True).content.decode()
    assert "已保存 2027 年节假日安排" in page  # the posted year 2099 is ignored: 2027 stays
    assert "“草稿”的截止日按新安排改为 2027-02-05" in page
