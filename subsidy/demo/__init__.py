"""The demo data set: reference data, the people, and two programme years in flight.

`seed()` (the command `manage.py seed_demo`) loads the 13 regions and 23 categories, about
170 organisations of Hengyang with one applicant account each, the staff, experts and
county reviewers, and a programme modelled on the 2021 call for the current year and the
previous one, dated relative to the office's today. With `history` (as the command does)
it then plays each programme's story through the project's services (see `plan` and
`story`): about 390 applications, every category in every state of its lifecycle. The story
counts working days with the working calendar; while the calendar cannot count as far as
today (next year's holiday schedule not entered yet), the story is told as of the latest day
it can count for (see `day`), and the StoryDay returned says so.

Running it again changes nothing: people and organisations are updated in place, a programme
that has applications keeps them, and one without any is dated afresh. Every random choice
is seeded, so the same day gives the same data.
"""

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from notices.models import DocumentSequence
from notices.register import set_next_number
from notices.services import number_prefix
from workcalendar.workdays import Calendar

from ..models import Application, Category, Programme, ProgrammeCategory, ProgrammeStatus, Region
from .day import story_day
from .organisations import credit_code, organisations
from .people import applicant_users, staff_users
from .plan import ProgrammePlan
from .reference import (
    CATEGORY_BUDGETS,
    PROGRAMME,
    Timeline,
    call_serial,
    programme_facts,
    programme_years,
)
from .steps import local
from .story import Play, committed_by_category, read_older_notifications, staff_by_username

__all__ = ["CATEGORY_BUDGETS", "PROGRAMME", "credit_code", "seed"]

#: Budgets leave this much room above what the demo's approvals spend.
HEADROOM = 1.2


def seed(password: str | None = None, history: bool = False,
         known_passwords: bool = True) -> dict:
    """Load the demo (see the module docstring); returns counts of what is there and the
    `story`'s day (a StoryDay). Without `known_passwords` every account is left without a
    usable password."""
    # hashed once for all; make_password(None) is an unusable password
    password_hash = make_password((password or settings.DEMO_PASSWORD) if known_passwords
                                  else None)
    call_command("loaddata", "regions", "categories", verbosity=0)
    calendar = Calendar()
    # without the story nothing is counted: the programmes are dated from the office's today
    story = story_day(timezone.localdate(), calendar)
    today = story.day if history else story.today
    years = programme_years(today, calendar)
    with transaction.atomic():
        orgs = organisations()
        applicants = applicant_users(orgs, password_hash)
        administrator = staff_users(password_hash)["admin"]
        programmes = [ensure_programme(year, call_date, in_flight, today, administrator)
                      for year, call_date, in_flight in years]
    if history:
        staff = staff_by_username()
        categories = list(Category.objects.order_by("code"))
        regions = list(Region.objects.order_by("code").values_list("code", flat=True))
        for (year, call_date, in_flight), programme in zip(years, programmes, strict=True):
            if programme.applications.exists():
                continue
            plan = ProgrammePlan(year, Timeline(call_date, today, calendar), in_flight,
                                 categories, orgs, regions)
            fund(programme, plan)
            programme.status = ProgrammeStatus.OPEN  # the previous one was open in its day
            programme.save(update_fields=["status"])
            Play(programme, plan, applicants, staff).run()
            if not in_flight:
                programme.status = ProgrammeStatus.CLOSED
                programme.save(update_fields=["status"])
        # what people were told until a week ago they have read
        read_older_notifications(local(Timeline(today, today, calendar).back(5), "00:00"))
    return {"regions": Region.objects.count(), "categories": Category.objects.count(),
            "programmes": len(programmes), "organisations": len(orgs),
            "users": User.objects.count(),
            "applications": Application.objects.filter(programme__in=programmes).count(),
            "story": story if history else None}


def ensure_programme(year, call_date, in_flight, today, administrator) -> Programme:
    """The demo's programme of `year`, created with its categories at the 2021 budgets (and
    its office's document numbers starting after the call's) unless it exists; dated from
    `today` again while it has no applications (its story is told as of `today`)."""
    facts = programme_facts(year, call_date, in_flight, today)
    if not in_flight:
        facts["status"] = ProgrammeStatus.CLOSED
    programme, created = Programme.objects.get_or_create(
        year=year, title=facts["title"], defaults=facts)
    if not created and not programme.applications.exists():
        for name, value in facts.items():
            setattr(programme, name, value)
        programme.save(update_fields=list(facts))
    if created:
        ProgrammeCategory.objects.bulk_create(
            [ProgrammeCategory(programme=programme, category=c,
                               budget=CATEGORY_BUDGETS[c.code]) for c in Category.objects.all()])
        continue_after_the_call(administrator, programme)
    return programme


def continue_after_the_call(administrator, programme) -> None:
    """The call was a paper document of the office's sequence: the system's numbers for the
    year continue after it, set through the register as the administrator would."""
    prefix, wanted = number_prefix(programme), call_serial(programme.call_number) + 1
    sequence = DocumentSequence.objects.filter(prefix=prefix, year=programme.year).first()
    if sequence is None or sequence.next_number < wanted:
        set_next_number(administrator, prefix, programme.year, wanted,
                        f"申报通知{programme.call_number}为纸质公文，本系统从{wanted}号起编号")


def fund(programme, plan: ProgrammePlan) -> None:
    """Budgets that the plan's approvals fit in, with room to spare: each category at least
    its 2021 budget, the programme the categories' sum and a reserve, in round figures."""
    spent = committed_by_category(plan.plans)
    total = 0
    for pc in programme.programme_categories.select_related("category"):
        needed = int(spent.get(pc.category.code, 0)) * HEADROOM
        pc.budget = max(CATEGORY_BUDGETS[pc.category.code], -(-int(needed) // 50000) * 50000)
        pc.save(update_fields=["budget"])
        total += pc.budget
    programme.total_budget = -(-int(total * 1.05) // 1000000) * 1000000
    programme.save(update_fields=["total_budget"])
