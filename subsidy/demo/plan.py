"""Which applications a demo programme has, and the story of each: who did what on which
day, so that on the office's today each one stands where its destination says.

Pure planning (no writes): `ProgrammePlan` lists each application's steps and the
programme's own events (publicity batches, objections, acceptance batches, notices,
payments) with their times; `story.Play` carries them out through the services.

Every category gets every state of its lifecycle, shared between the programme in flight
(every state an application can wait in) and the previous one (the ends: 已拨付, 未获支持,
已撤回, 验收不通过, and money still owed). Applications that moved early went through the
whole programme (call, county 初审, city review, experts, 立项公示, implementation, 验收,
验收公示, the disbursement notice, payments); those standing early in their lifecycle
started late, and their last steps happened in the last days.
"""

from decimal import ROUND_DOWN, Decimal

from workflows.lifecycle import get_lifecycle

from . import content
from .events import Events
from .reference import Timeline, rng
from .roads import Roads
from .steps import Plan, Step

#: The ends of a lifecycle (the current programme has some, the previous one the others).
ENDS = ("paid", "rejected", "withdrawn", "acceptance_failed")


class ProgrammePlan(Roads, Events):
    """The applications and events of one programme (`in_flight`: the current one)."""

    def __init__(self, year: int, timeline: Timeline, in_flight: bool, categories,
                 organisations, region_codes: list[str]):
        self.year, self.t, self.in_flight = year, timeline, in_flight
        self.r = rng("plan", year)
        self.categories = list(categories)
        self.orgs = organisations
        self.region_order = {code: i for i, code in enumerate(region_codes)}
        self.plans: list[Plan] = []
        self.events: list[Step] = []
        self._org_turn: dict[str, int] = {}
        # the previous programme accepts in two rounds and issues its notice after both
        self.acceptance_last = 70 if not in_flight else 59
        self.notice_day = 85 if not in_flight else 73
        self.payment_days = (92, 100) if not in_flight else (80, 88)
        if in_flight and self.M(self.payment_days[1]) >= timeline.today:
            raise ValueError("the programme in flight needs about 100 working days before today")
        self._build()

    # --- which applications --------------------------------------------------------------
    def destinations(self, category, index: int) -> list[str]:
        """This programme's share of the category's states (see the module docstring)."""
        states = list(get_lifecycle(category.lifecycle).states)
        waiting = [s for s in states if s not in ENDS]
        # which ends the current programme has (the previous one has the others, and a paid
        # application in every category)
        current = {"rejected": index % 3 == 0, "withdrawn": index % 3 == 1,
                   "acceptance_failed": index % 2 == 1}
        ends = [s for s in ENDS[1:] if s in states]
        if not self.in_flight:
            out = ["paid"] + [s for s in ends if not current[s]]
            if index % 6 == 1:
                out.append("disbursement_notified")  # money still owed from last year
            return out
        return waiting + [s for s in ends if current[s]] + (["paid"] if index % 2 == 0 else [])

    def _organisation(self, category, preferred=None):
        if preferred is not None:
            return preferred
        eligible = [o for o in self.orgs[2:] if category.accepts(o.org_type)]
        turn = self._org_turn.get(category.code)
        if turn is None:
            turn = self.r.randrange(len(eligible))
        self._org_turn[category.code] = turn + 1
        return eligible[turn % len(eligible)]

    def _plan(self, category, destination, org, tags=()):
        r = self.r
        count = r.randint(2, 8)
        project_title = content.title(r, category.code, org, org.region.name, count)
        submit_by = self.t.today if self.in_flight else self.M(12)
        form, asked = content.form_values(r, category, org, project_title, count, self.year,
                                          submit_by)
        approve_with = None
        if category.funding_rule == "capped_request" and r.random() < 0.5:
            approve_with = (asked * Decimal(r.choice((80, 85, 90))) / 100).quantize(
                Decimal("1000"), rounding=ROUND_DOWN)
        plan = Plan(self.year, category, org, destination, project_title, form, asked,
                    approve_with, tags=set(tags))
        self.plans.append(plan)
        return plan

    def _build(self):
        preferred = PREFERRED_CURRENT if self.in_flight else PREFERRED_PREVIOUS
        for index, category in enumerate(self.categories):
            for variant, destination in enumerate(self.destinations(category, index)):
                org = self._organisation(category, self._preferred(preferred, category,
                                                                   destination))
                tags = ()
                if self.in_flight and (category.code, destination) == OBJECTION_REMOVED:
                    tags = ("objection_remove",)
                plan = self._plan(category, destination, org, tags)
                self.route(plan, variant + index)
        if self.in_flight:
            self._extras()
        self._events()

    def _preferred(self, preferred, category, destination):
        index = preferred.get((category.code, destination))
        return self.orgs[index] if index is not None else None

    def _extras(self):
        """A few more of the current programme: one sent back to review by an upheld
        objection, a dismissed objection's target, and the same patent, and
        the same pledged trademark, in two applications (the desk flags them)."""
        by_code = {c.code: c for c in self.categories}
        reopened = self._plan(by_code["15"], "city_review", self._organisation(by_code["15"]),
                              ("reopened", "objection_review"))
        self.route(reopened, 0)
        dismissed = self._plan(by_code["01"], "implementation",
                               self._organisation(by_code["01"]), ("objection_dismissed",))
        self.route(dismissed, 0)
        first = next(p for p in self.plans if p.category.code == "07"
                     and p.destination == "city_review")
        second = self._plan(by_code["08"], "county_review", self._organisation(by_code["08"]))
        second.form_data = {**second.form_data, "patent_numbers": first.form_data[
            "patent_numbers"].splitlines()[0]}
        self.route(second, 0)
        # and one trademark pledged for two loans (the desk flags both)
        pledged = content.trademark_number(self.r)
        for destination in ("city_review", "county_review"):
            pledge = self._plan(by_code["10"], destination, self._organisation(by_code["10"]))
            pledge.title = "商标专用权质押融资贴息"
            pledge.form_data = {**pledge.form_data, "patent_numbers": "",
                                "trademark_numbers": pledged}
            self.route(pledge, 0)


#: Who the README's two applicants are in the current and the previous programme: their
#: organisations (index 0: applicant1, 1: applicant2) hold these (category, destination).
PREFERRED_CURRENT = {
    ("01", "implementation"): 0, ("07", "expert_review"): 0, ("21", "returned"): 0,
    ("11", "draft"): 0, ("04", "disbursement_notified"): 0, ("02", "acceptance_passed"): 0,
    ("08", "acceptance_publicity"): 1, ("14", "approval_publicity"): 1,
    ("06", "county_review"): 1, ("10", "paid"): 1, ("13", "submitted"): 1,
}
PREFERRED_PREVIOUS = {("05", "paid"): 0, ("13", "acceptance_failed"): 1, ("21", "paid"): 1}
OBJECTION_REMOVED = ("13", "rejected")
