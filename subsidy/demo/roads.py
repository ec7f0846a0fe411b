"""The roads an application takes to its destination: the days and times of each step,
on the early road every programme's first applications share (the call, county 初审, city
review, experts, 立项公示, implementation, 验收) and on the late one of those still under way."""

from datetime import date, datetime, timedelta
from decimal import ROUND_DOWN, Decimal

from . import content
from .steps import Plan, Step, local

#: Working days (after the call) of the sessions every programme's early applications meet.
COUNTY_ACCEPT = (5, 9, 13, 16)
COUNTY_RECOMMEND = (7, 11, 15, 18)
CITY_SESSIONS = (21, 24)
EXPERT_APPROVAL = 32
ACCEPTANCE_OPEN = (52, 61, 71)
ACCEPTANCE_DECIDE = (54, 63, 73)


class Roads:
    """Steps for ProgrammePlan: `self.r` (its random generator), `self.t` (its Timeline),
    `self.year`, `self.in_flight`, `self.region_order` and the programme's
    `acceptance_last` and `payment_days` come from it."""

    # --- days and times ------------------------------------------------------------
    def M(self, n: int) -> date:
        """The n-th working day after the call (the early road's days)."""
        return self.t.wd(n)

    def L(self, n: int) -> date:
        """The n-th working day before today (the late road's days)."""
        return self.t.back(n)

    def _person_time(self, plan: Plan, day: date, earliest="08:40", latest="21:30") -> datetime:
        """When an applicant did something on `day`: any time of the working day or evening,
        after their previous step."""
        lo = local(day, earliest)
        hi = local(day, latest)
        when = lo + timedelta(minutes=self.r.randint(0, int((hi - lo).total_seconds() // 60)))
        if plan.steps and when <= plan.last():
            when = plan.last() + timedelta(minutes=self.r.randint(3, 40))
        return when

    def _session(self, plan: Plan, day: date, hhmm: str, county_offset=True) -> datetime:
        """A reviewer's working session: the same minute for every application they handle
        then (the county's own minute, so that the counties differ)."""
        when = local(day, hhmm)
        if county_offset:
            when += timedelta(minutes=7 * self.region_order[plan.organisation.region.code])
        if plan.steps and when <= plan.last():
            raise ValueError(f"{plan.title}: a step at {when} would come before the one "
                             f"at {plan.last()}")
        return when

    # --- steps -----------------------------------------------------------------------
    def _add(self, plan, when, kind, **kw):
        plan.steps.append(Step(when=when, kind=kind, plan=plan, **kw))

    def apply(self, plan, create_day, submit_day=None):
        self._add(plan, self._person_time(plan, create_day), "create")
        if submit_day is not None:
            self._add(plan, self._person_time(plan, submit_day), "transition", name="submit",
                      actor="applicant")

    def county(self, plan, name, day, comment=""):
        hhmm = "09:30" if name == "accept" else "15:00"
        if comment and name != "recommend":
            # a return or refusal is written one by one, after the session's routine work
            hhmm = "16:10"
        self._add(plan, self._session(plan, day, hhmm), "transition", name=name,
                  actor="county", comment=comment)

    def city(self, plan, name, day, comment="", hhmm="10:00", **params):
        self._add(plan, self._session(plan, day, hhmm, county_offset=False), "transition",
                  name=name, actor="city", comment=comment, params=params)

    def revise_and_resubmit(self, plan, day, acceptance=False):
        when = self._person_time(plan, day)
        self._add(plan, when, "revise", data={"acceptance": acceptance})
        self._add(plan, when + timedelta(minutes=self.r.randint(5, 30)), "transition",
                  name="resubmit", actor="applicant")

    def experts(self, plan, send_day, score_days, pending_for=()):
        """Sent to three experts (always `expert` for the current programme's waiting ones),
        each scoring on their own day unless `pending_for` names them."""
        self.city(plan, "send_to_experts", send_day, comment="形式审查合格，提交专家评审。")
        pool = ["expert", "expert2", "expert3", "expert4", "expert5"]
        if pending_for:
            chosen = ["expert", *self.r.sample(pool[1:], 2)]
        else:
            chosen = self.r.sample(pool, 3)
        self._add(plan, self._session(plan, send_day, "10:20", county_offset=False), "assign",
                  data={"experts": chosen})
        for expert in chosen:
            if expert in pending_for:
                continue
            day = self.r.choice(score_days)
            when = local(day, "19:00") + timedelta(minutes=self.r.randint(0, 150))
            plan.steps.append(Step(when=when, kind="score", plan=plan, actor=expert,
                                   comment=self.r.choice(content.EXPERT_OPINIONS)))
        plan.steps.sort(key=lambda s: s.when)

    def approve(self, plan, day, hhmm="10:00"):
        amount = plan.approve_with
        params = {"amount": str(amount)} if amount is not None else {}
        self.city(plan, "approve", day, comment="经审核，同意资助。", hhmm=hhmm, **params)

    def submit_acceptance(self, plan, day):
        completed = min(day - timedelta(days=self.r.randint(3, 25)),
                        date(self.year, 11, 30))
        self._add(plan, self._person_time(plan, day), "acceptance",
                  params={"completed_on": completed.isoformat()})

    # --- the early road, shared by both programmes ------------------------------------
    def main_apply_and_county(self, plan, decorate=False):
        create = self.r.randint(1, 10)
        submit = min(create + self.r.randint(0, 2), 12)
        self.apply(plan, self.M(create), self.M(submit))
        accept = next(d for d in COUNTY_ACCEPT if d > submit)
        self.county(plan, "accept", self.M(accept))
        recommend = next(d for d in COUNTY_RECOMMEND if d > accept)
        if decorate:  # returned once, revised and resubmitted
            self.county(plan, "return_for_revision", self.M(recommend),
                        comment=self.r.choice(content.RETURNS["county"]))
            self.revise_and_resubmit(plan, self.M(recommend + 1))
            recommend = next(d for d in COUNTY_RECOMMEND if d > recommend + 1)
        self.county(plan, "recommend", self.M(recommend), comment="材料齐全，同意推荐。")

    def main_city(self, plan, decorate=False):
        first, second = CITY_SESSIONS
        if decorate and not plan.expert:
            self.city(plan, "return_for_revision", self.M(first),
                      comment=self.r.choice(content.RETURNS["city"]), hhmm="16:00")
            self.revise_and_resubmit(plan, self.M(first + 1))
            self.approve(plan, self.M(second))
        elif plan.expert:
            self.experts(plan, self.M(first), [self.M(d) for d in range(first + 1, 30)])
            self.approve(plan, self.M(EXPERT_APPROVAL))
        else:
            self.approve(plan, self.M(self.r.choice(CITY_SESSIONS)))

    def main_to_publicity(self, plan, decorate_county=False, decorate_city=False):
        self.main_apply_and_county(plan, decorate_county)
        self.main_city(plan, decorate_city)
        plan.tags.add("A1")

    def main_acceptance(self, plan, passes=True, second_round=False):
        last = self.acceptance_last
        lo, hi = (62, last) if second_round else (46, min(last, 59))
        day = self.r.randint(lo, hi)
        self.submit_acceptance(plan, self.M(day))
        opened = next(d for d in ACCEPTANCE_OPEN if d > day)
        decided = ACCEPTANCE_DECIDE[ACCEPTANCE_OPEN.index(opened)]
        self.city(plan, "open_acceptance_review", self.M(opened), hhmm="09:40")
        if passes:
            self.city(plan, "pass_acceptance", self.M(decided), hhmm="15:00",
                      comment="项目完成申报书约定的考核指标，验收通过。")
            plan.tags.add("B2" if decided == ACCEPTANCE_DECIDE[2] else "B1")
        else:
            self.city(plan, "fail_acceptance", self.M(decided), hhmm="16:20",
                      comment=self.r.choice(content.ACCEPTANCE_FAILURES))

    def to_awaiting(self, plan, **decorations):
        self.main_to_publicity(plan, **decorations)
        if plan.project:
            self.main_acceptance(plan, second_round=not self.in_flight and self.r.random() < 0.4)

    def pay(self, plan, full: bool):
        first, second = self.payment_days
        amount = plan.approved
        if full and self.r.random() < 0.5:
            plan.payments.append((self.M(first), amount))
            return
        part = (amount * Decimal(self.r.choice((50, 60, 70))) / 100).quantize(
            Decimal("100"), rounding=ROUND_DOWN)
        plan.payments.append((self.M(first), part))
        if full:
            plan.payments.append((self.M(second), amount - part))

    # --- destinations ------------------------------------------------------------------
    def route(self, plan, variant: int):
        """The steps that take `plan` to its destination (`variant` picks among the ways
        there: which office returned or refused it, …)."""
        d, r, L = plan.destination, self.r, self.L
        expert = plan.expert
        decorate = {"decorate_county": r.random() < 0.15, "decorate_city": r.random() < 0.12}
        if d == "draft":
            self.apply(plan, L(r.randint(1, 15)))
        elif d == "submitted":
            self.apply(plan, L(r.randint(5, 8)), L(r.randint(1, 3)))
        elif d == "county_review":
            self.apply(plan, L(r.randint(11, 14)), L(r.randint(6, 9)))
            self.county(plan, "accept", L(3))
        elif d == "city_review" and "reopened" in plan.tags:
            self.main_to_publicity(plan)  # an upheld objection sends it back (publicity A1)
        elif d == "city_review":
            self.apply(plan, L(r.randint(24, 28)), L(r.randint(18, 21)))
            self.county(plan, "accept", L(15))
            self.county(plan, "recommend", L(5), comment="材料齐全，同意推荐。")
        elif d == "expert_review":
            self.apply(plan, L(r.randint(26, 30)), L(r.randint(20, 23)))
            self.county(plan, "accept", L(18))
            self.county(plan, "recommend", L(14), comment="材料齐全，同意推荐。")
            # one is fully scored, ready for approval; `expert` still has the others to score
            pending = () if plan.category.code == "20" else ("expert",)
            self.experts(plan, L(10), [L(n) for n in range(3, 9)], pending_for=pending)
        elif d in ("approved", "approval_publicity"):
            self.apply(plan, L(r.randint(34, 38)), L(r.randint(30, 33)))
            self.county(plan, "accept", L(28))
            self.county(plan, "recommend", L(24), comment="材料齐全，同意推荐。")
            if expert:
                self.experts(plan, L(20), [L(n) for n in range(13, 19)])
            self.approve(plan, L(7) if d == "approval_publicity" else L(2))
            if d == "approval_publicity":
                plan.tags.add("A2")
        elif d == "implementation":
            self.main_to_publicity(plan, **decorate)
        elif d in ("acceptance_submitted", "acceptance_review", "acceptance_passed",
                   "acceptance_publicity"):
            self.main_to_publicity(plan, **decorate)
            submit, opened = {"acceptance_submitted": (r.randint(1, 3), None),
                              "acceptance_review": (r.randint(7, 9), 4),
                              "acceptance_passed": (r.randint(14, 16), 11),
                              "acceptance_publicity": (r.randint(20, 24), 18)}[d]
            self.submit_acceptance(plan, L(submit))
            if opened:
                self.city(plan, "open_acceptance_review", L(opened), hhmm="09:40")
            if d in ("acceptance_passed", "acceptance_publicity"):
                self.city(plan, "pass_acceptance", L(2 if d == "acceptance_passed" else 15),
                          hhmm="15:00", comment="项目完成申报书约定的考核指标，验收通过。")
            if d == "acceptance_publicity":
                plan.tags.add("B2")
        elif d == "awaiting_disbursement":
            self.to_awaiting(plan, **decorate)
            if not plan.project:
                plan.tags.add("N2")
        elif d == "disbursement_notified":
            self.to_awaiting(plan, **decorate)
            plan.tags.add("N1")
            if variant % 2 == 0 or not self.in_flight:
                self.pay(plan, full=False)
        elif d == "paid":
            self.to_awaiting(plan, **decorate)
            plan.tags.add("N1")
            self.pay(plan, full=True)
        elif d == "returned":
            self.route_returned(plan, variant)
        elif d == "rejected":
            self.route_rejected(plan, variant)
        elif d == "withdrawn":
            self.route_withdrawn(plan, variant)
        elif d == "acceptance_failed":
            self.main_to_publicity(plan)
            self.main_acceptance(plan, passes=False)
        else:
            raise ValueError(f"no route to {d}")

    def route_returned(self, plan, variant):
        r, L = self.r, self.L
        way = ("county", "city", "acceptance")[variant % (3 if plan.project else 2)]
        if way == "county":
            self.apply(plan, L(r.randint(13, 16)), L(r.randint(10, 12)))
            self.county(plan, "accept", L(8))
            self.county(plan, "return_for_revision", L(5),
                        comment=r.choice(content.RETURNS["county"]))
        elif way == "city":
            self.apply(plan, L(r.randint(30, 34)), L(r.randint(26, 29)))
            self.county(plan, "accept", L(24))
            self.county(plan, "recommend", L(16), comment="材料齐全，同意推荐。")
            self.city(plan, "return_for_revision", L(4), hhmm="16:00",
                      comment=r.choice(content.RETURNS["city"]))
        else:
            self.main_to_publicity(plan)
            self.submit_acceptance(plan, L(r.randint(16, 18)))
            self.city(plan, "open_acceptance_review", L(11), hhmm="09:40")
            self.city(plan, "return_for_revision", L(6), hhmm="16:00",
                      comment=r.choice(content.RETURNS["acceptance"]))

    def route_rejected(self, plan, variant):
        r = self.r
        if "objection_remove" in plan.tags:
            self.main_to_publicity(plan)
        elif variant % 2 == 0:
            create = r.randint(1, 8)
            submit = create + r.randint(0, 2)
            self.apply(plan, self.M(create), self.M(submit))
            accept = next(d for d in COUNTY_ACCEPT if d > submit)
            self.county(plan, "accept", self.M(accept))
            self.county(plan, "reject", self.M(next(d for d in COUNTY_RECOMMEND if d > accept)),
                        comment=r.choice(content.REJECTIONS["county"]))
        else:
            self.main_apply_and_county(plan)
            self.city(plan, "reject", self.M(CITY_SESSIONS[0]), hhmm="16:30",
                      comment=r.choice(content.REJECTIONS["city"]))

    def route_withdrawn(self, plan, variant):
        r = self.r
        reason = "因项目实施计划调整，申请撤回本次申报。"
        create = r.randint(1, 6)
        submit = create + 1
        self.apply(plan, self.M(create), self.M(submit))
        accept = next(d for d in COUNTY_ACCEPT if d > submit)
        if variant % 3 == 0:  # before the county took it up
            when = self._person_time(plan, self.M(submit), earliest="21:31", latest="21:50")
        else:
            self.county(plan, "accept", self.M(accept))
            day = accept + 1
            if variant % 3 == 2:
                self.county(plan, "return_for_revision", self.M(accept),
                            comment=r.choice(content.RETURNS["county"]))
                day = accept + 2
            when = self._person_time(plan, self.M(day))
        self._add(plan, when, "transition", name="withdraw", actor="applicant", comment=reason)
