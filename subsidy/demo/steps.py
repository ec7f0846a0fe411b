"""The plan's units: a step someone takes at a time, and an application's plan."""

from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal

from django.utils import timezone


@dataclass
class Step:
    """One thing done at `when`: by an application's people (`plan` set) or a programme
    event. `actor` names a user: "applicant" (the plan's), a username, or "county" (the
    plan's county reviewer)."""

    when: datetime
    kind: str
    plan: "Plan | None" = None
    name: str = ""
    actor: str = ""
    comment: str = ""
    params: dict = field(default_factory=dict)
    data: dict = field(default_factory=dict)


@dataclass
class Plan:
    """One application: where it ends up and how it gets there."""

    programme_year: int
    category: object
    organisation: object
    destination: str
    title: str
    form_data: dict
    requested: Decimal
    #: the amount the city approves (None: what the rule allows, i.e. what was asked)
    approve_with: Decimal | None = None
    steps: list[Step] = field(default_factory=list)
    tags: set = field(default_factory=set)
    #: (day, amount) of each payment
    payments: list = field(default_factory=list)
    application: object = None

    @property
    def approved(self) -> Decimal:
        return self.approve_with if self.approve_with is not None else self.requested

    @property
    def project(self) -> bool:
        return self.category.lifecycle.startswith("project")

    @property
    def expert(self) -> bool:
        return self.category.lifecycle == "project_expert"

    def last(self) -> datetime:
        """When its latest step so far happens (it has one)."""
        return self.steps[-1].when


def local(day: date, hhmm: str) -> datetime:
    """`day` at `hhmm` in the office's time zone."""
    hour, minute = (int(x) for x in hhmm.split(":"))
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))
