"""Locust users for bench/load.py (run by it; not meant to be run on its own).

Applicants use the web portal like a browser (session cookie from a real login, CSRF token
in every form post): open the form, create a draft, upload the required PDF, submit, look at
the result. Reviewers (county offices) use the JSON API with bearer tokens: list their
inbox, accept a submitted application, recommend one under county review.

A user pauses about BENCH_THINK seconds (uniformly half to one and a half times it) after
each page or API call, as a person reading the page would; BENCH_THINK=0 makes every user
send its next request at once (a saturation test).

Users start no new task after BENCH_LOAD_SECONDS; a task under way finishes (so no request
is cut off and counted as an error), then locust quits.

Every success the server acknowledged is recorded and written to $BENCH_ACKS when locust
quits, so bench/load.py can check that each one is in the database.
"""

import itertools
import json
import os
import random
import re
import time
from pathlib import Path

import gevent
from locust import HttpUser, between, events, task
from locust.exception import StopUser

DATA = json.loads(Path(os.environ["BENCH_DATA"]).read_text())
THINK = float(os.environ.get("BENCH_THINK", "2.0"))
PDF = (b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n" + b"% load test\n" * 50
       + b"trailer << >>\n%%EOF\n")
SECONDS = float(os.environ.get("BENCH_LOAD_SECONDS", "60"))
ACKED = {"submitted": [], "transitions": [], "conflicts": 0, "first": None, "last": None,
         "samples": {}}
DEADLINE = [float("inf")]
_applicant_slots = itertools.count()
_reviewer_slots = itertools.count()


@events.test_start.add_listener
def _start(environment, **_kwargs):
    DEADLINE[0] = time.monotonic() + SECONDS
    gevent.spawn(_quit_when_done, environment)


def _quit_when_done(environment):
    gevent.sleep(SECONDS)
    give_up = time.monotonic() + 60
    while environment.runner.user_count and time.monotonic() < give_up:
        gevent.sleep(0.2)
    environment.runner.quit()


@events.request.add_listener
def _record(request_type, name, response_time, exception=None, **_kwargs):
    """Every request's time and outcome, and the window they fall in (bench/load.py computes
    the figures from these, so they and the acknowledgements come from one place)."""
    now = time.time()
    ACKED["first"] = ACKED["first"] or now - response_time / 1000
    ACKED["last"] = now
    ACKED["samples"].setdefault(name, []).append(
        [round(response_time, 1), None if exception is None else repr(exception)[:200]])


def no_new_work() -> None:
    if time.monotonic() > DEADLINE[0]:
        raise StopUser()


@events.quitting.add_listener
def _write_acks(environment, **_kwargs):
    Path(os.environ["BENCH_ACKS"]).write_text(json.dumps(ACKED))


class Applicant(HttpUser):
    fixed_count = len(DATA["applicants"])
    wait_time = between(THINK / 2, THINK * 1.5)

    def on_start(self):
        me = DATA["applicants"][next(_applicant_slots) % len(DATA["applicants"])]
        for name, value in me["cookies"].items():
            self.client.cookies.set(name, value, domain="127.0.0.1")
        self.csrf = me["cookies"]["csrftoken"]
        self.form_url = f"/programmes/{DATA['programme']}/apply/{DATA['category']}/"

    def post(self, path, data, name, files=None):
        return self.client.post(path, data={**data, "csrfmiddlewaretoken": self.csrf},
                                files=files, allow_redirects=False, name=name,
                                catch_response=True)

    @task
    def apply_and_submit(self):
        no_new_work()
        self.client.get(self.form_url, name="GET /programmes/[p]/apply/[c]/")
        self.wait()
        with self.post(self.form_url, DATA["form"], "POST /programmes/[p]/apply/[c]/") as r:
            match = re.fullmatch(r"/applications/(\d+)/", r.headers.get("Location", ""))
            if r.status_code != 302 or not match:
                r.failure(f"create: {r.status_code}")
                return
        pk = int(match.group(1))
        detail = f"/applications/{pk}/"
        self.wait()
        with self.post(detail, {"kind": DATA["attachment_kind"]}, "POST /applications/[id]/ "
                       "(upload)", files={"file": ("申报书.pdf", PDF, "application/pdf")}) as r:
            if r.status_code != 303:
                r.failure(f"upload: {r.status_code}")
                return
        self.wait()
        with self.post(detail, {"action": "submit"}, "POST /applications/[id]/ (submit)") as r:
            if r.status_code != 303:
                r.failure(f"submit: {r.status_code}")
                return
            ACKED["submitted"].append(pk)
        self.wait()
        self.client.get(detail, name="GET /applications/[id]/")


class Reviewer(HttpUser):
    fixed_count = len(DATA["reviewers"])
    wait_time = between(THINK / 2, THINK * 1.5)

    def on_start(self):
        me = DATA["reviewers"][next(_reviewer_slots) % len(DATA["reviewers"])]
        self.client.headers["Authorization"] = f"Bearer {me['token']}"

    def inbox(self, state):
        r = self.client.get("/api/v1/applications", params={"state": state, "page_size": 20},
                            name=f"GET /api/v1/applications?state={state}")
        return [item["id"] for item in r.json().get("items", [])] if r.ok else []

    def act(self, pk, name):
        with self.client.post(f"/api/v1/applications/{pk}/transitions/{name}",
                              json={"comment": "同意"}, catch_response=True,
                              name=f"POST /api/v1/applications/[id]/transitions/{name}") as r:
            if r.status_code == 200:
                ACKED["transitions"].append([pk, name, r.json()["seq"]])
            elif r.status_code == 409:  # another request moved it first: a correct answer
                ACKED["conflicts"] += 1
                r.success()
            else:
                r.failure(f"{name}: {r.status_code}")

    @task(2)
    def accept(self):
        no_new_work()
        ids = self.inbox("submitted")
        if ids:
            self.wait()
            self.act(random.choice(ids), "accept")  # nosec B311: load spreading, not security

    @task(1)
    def recommend(self):
        no_new_work()
        ids = self.inbox("county_review")
        if ids:
            self.wait()
            self.act(random.choice(ids), "recommend")  # nosec B311: not security
