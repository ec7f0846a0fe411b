"""The programme's own events: publicity batches (published, objected to, closed by the
nightly job), acceptance batches, disbursement notices and their sign-off, payments, and the
reminders of the last working day."""

from datetime import timedelta

from . import content
from .steps import Step, local

APPROVAL_PUBLICITY = 36
PUBLICITY_DAYS = 5
#: The programme in flight publishes its second 立项 and 后补助 lists this many working days
#: before today (the latest of the batches still running)...
RUNNING_SINCE = 3
#: ...so their periods last this many working days from today on (today counting if it is
#: one), which the working calendar must be able to count.
DAYS_AHEAD = PUBLICITY_DAYS - RUNNING_SINCE
#: The current programme's objections in its first publicity: dismissed, upheld (removed),
#: upheld (sent back to review); the tags of the plans they are against.
OBJECTIONS_ON_A1 = ("objection_dismissed", "objection_remove", "objection_review")


class Events:
    """Events for ProgrammePlan (see Roads for what comes from it), once its plans exist."""

    # --- the programme's events ------------------------------------------------------------
    def _events(self):
        add = self.events.append
        M, L = self.M, self.L
        tagged = lambda tag: [p for p in self.plans if tag in p.tags]  # noqa: E731
        title = f"{self.year}年度知识产权培育资助"
        a1_start = M(APPROVAL_PUBLICITY)
        a1_end = self.t.calendar.add_workdays(a1_start, PUBLICITY_DAYS)
        self._approval_publicity("1", "第一批", tagged("A1"), local(a1_start, "09:00"),
                                 local(a1_end + timedelta(days=1), "00:30"))
        if self.in_flight:
            self._objections_on_a1()
        b1_day = M(65)
        add(Step(local(b1_day, "10:00"), "acceptance_batch",
                 data={"key": "B1", "plans": tagged("B1")}))
        ap1_start = M(66)
        ap1_end = self.t.calendar.add_workdays(ap1_start, PUBLICITY_DAYS)
        add(Step(local(ap1_start, "09:00"), "publicity", data={
            "key": "AP1", "kind": "acceptance", "batch": "B1",
            "title": f"{title}项目验收通过名单公示（第一批）", "plans": tagged("B1")}))
        add(Step(local(ap1_end + timedelta(days=1), "00:30"), "close", data={"key": "AP1"}))
        ap1_objected = next((p for p in tagged("B1") if p.destination == "paid"), None)
        if ap1_objected:
            add(Step(local(M(67), "10:40"), "objection", data={
                "key": "AP1", "plan": ap1_objected, "text": content.OBJECTIONS[0][0],
                "person": 1}))
            add(Step(local(M(69), "15:30"), "handle", data={
                "key": "AP1", "plan": ap1_objected, "status": "dismissed",
                "result": content.OBJECTIONS[0][1]}))
        if self.in_flight:
            b2_day, ap2_start = L(6), L(4)
        else:
            b2_day, ap2_start = M(76), M(77)
        add(Step(local(b2_day, "10:00"), "acceptance_batch",
                 data={"key": "B2", "plans": tagged("B2")}))
        add(Step(local(ap2_start, "09:00"), "publicity", data={
            "key": "AP2", "kind": "acceptance", "batch": "B2",
            "title": f"{title}项目验收通过名单公示（第二批）", "plans": tagged("B2")}))
        if not self.in_flight:
            ap2_end = self.t.calendar.add_workdays(ap2_start, PUBLICITY_DAYS)
            add(Step(local(ap2_end + timedelta(days=1), "00:30"), "close", data={"key": "AP2"}))
        notice = self.notice_day
        self._notice("N1", "第一批" if self.in_flight else "", tagged("N1"),
                     local(M(notice), "10:00"),
                     [local(M(notice + 1), "10:30"), local(M(notice + 2), "11:00"),
                      local(M(notice + 3), "15:30")])
        for plan in self.plans:
            for day, amount in plan.payments:
                add(Step(local(day, "15:00"), "payment", plan=plan,
                         params={"amount": amount, "paid_on": day}))
        if self.in_flight:
            self._events_in_flight()

    def _approval_publicity(self, key, label, plans, start, closed=None, notice=False):
        """Projects to be set up (立项, batch A<key>) and rewards (后补助, R<key>) published
        apart on the same day, each under its own name; closed by the nightly job."""
        title = f"{self.year}年度知识产权培育资助"
        for prefix, kind, name, items in (
                ("A", "approval", "拟立项项目名单公示", [p for p in plans if p.project]),
                ("R", "reward", "拟奖励（后补助）项目名单公示",
                 [p for p in plans if not p.project])):
            self.events.append(Step(start, "publicity", data={
                "key": prefix + key, "kind": kind, "title": f"{title}{name}（{label}）",
                "plans": items, "notice": notice and prefix == "A"}))
            if closed:
                self.events.append(Step(closed, "close", data={"key": prefix + key}))

    def _notice(self, key, label, plans, drafted, signed):
        """A disbursement notice drafted by city staff and sent to sign-off; then agreed by
        the chief, the leader and the finance bureau, as far as `signed` goes (the last
        agreement issues it)."""
        self.events.append(Step(drafted, "notice", data={"key": key, "label": label,
                                                         "plans": plans}))
        for who, when in zip(("chief", "leader", "finance"), signed, strict=False):
            self.events.append(Step(when, "signoff", actor=who, data={"key": key}))

    def _objections_on_a1(self):
        add, M = self.events.append, self.M
        dismissed, removed, reviewed = OBJECTIONS_ON_A1
        targets = {tag: next(p for p in self.plans if tag in p.tags)
                   for tag in (dismissed, removed, reviewed)}
        for n, (tag, status, outcome) in enumerate(((dismissed, "dismissed", ""),
                                                    (removed, "upheld", "remove"),
                                                    (reviewed, "upheld", "review"))):
            plan = targets[tag]
            text, result = content.OBJECTIONS[n]
            add(Step(local(M(APPROVAL_PUBLICITY + 1 + n), "10:15"), "objection",
                     data={"key": "A1", "plan": plan, "text": text, "person": n,
                           "evidence": n == 1}))
            add(Step(local(M(APPROVAL_PUBLICITY + 2 + n), "09:20"), "handle",
                     data={"key": "A1", "plan": plan, "status": "investigating"}))
            add(Step(local(M(APPROVAL_PUBLICITY + 4), f"11:{10 * n + 10}"), "handle",
                     data={"key": "A1", "plan": plan, "status": status, "outcome": outcome,
                           "result": result}))

    def _events_in_flight(self):
        add, L = self.events.append, self.L
        tagged = lambda tag: [p for p in self.plans if tag in p.tags]  # noqa: E731
        a2 = tagged("A2")
        self._approval_publicity("2", "第二批", a2, local(L(RUNNING_SINCE), "09:00"),
                                 notice=True)
        add(Step(local(L(1), "19:40"), "objection", data={
            "key": "A2", "plan": next(p for p in a2 if p.project),
            "text": content.OBJECTIONS[4][0], "person": 4}))
        ap2 = tagged("B2")
        add(Step(local(L(3), "11:10"), "objection", data={
            "key": "AP2", "plan": ap2[0], "text": content.OBJECTIONS[3][0], "person": 3}))
        add(Step(local(L(2), "14:30"), "handle", data={
            "key": "AP2", "plan": ap2[0], "status": "investigating"}))
        self._notice("N2", "第二批", tagged("N2"), local(L(4), "10:00"), [local(L(3), "10:30")])
        last = L(1)
        add(Step(local(last, "08:30"), "reminders", data={"day": last}))
        add(Step(local(last, "10:30"), "remind", data={"plans": [
            p for p in self.plans if p.destination in ("returned", "submitted")]}))
