"""Benchmark: the programme dashboard (统计报表 → 计划看板) with 50,000 applications.

    python bench/dashboard.py        # SQLite; DATABASE_URL=postgres://… for PostgreSQL

Builds two programmes, a small one (5,000 applications) and a big one (50,000 by default,
BENCH_APPLICATIONS), with audit entries, approvals, payments and patent claims, then prints
for each programme and for a city and a county user the number of SQL queries of one
dashboard request (which must be the same for both sizes) and the median time over repeated
requests (target: under 300 ms). Uses a throw-away database and drops it after.
"""

import os
import random
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import production_like  # noqa: F401  (first: sets Django up)
from django.db import connection
from django.test import Client
from django.test.utils import setup_test_environment
from django.utils import timezone
from timing import measure

BIG = int(os.environ.get("BENCH_APPLICATIONS", "50000"))
SMALL = 5000
REPEAT = int(os.environ.get("BENCH_REPEAT", "9"))


def populate(programme, total, orgs, categories, owner, prefix):
    """`total` applications spread over every state, county and category; each non-draft one
    has the audit entry that moved it into its state (one to four months ago) and the times
    the transition service keeps on the row; the approved ones an approval entry, the paid
    ones their payment; one in 50 claims a patent number another one also claims."""
    from subsidy.models import Application, IdentifierClaim, Payment
    from workflows.models import AuditEntry
    from workflows.stages import State

    states = [s for s in State if s != State.DRAFT] + [State.DRAFT]
    approved = {State.APPROVED, State.APPROVAL_PUBLICITY, State.IMPLEMENTATION,
                State.AWAITING_DISBURSEMENT, State.DISBURSEMENT_NOTIFIED, State.PAID}
    rng, clock = random.Random(total), random.Random(-total)
    now = timezone.now()
    apps, entered = [], {}
    for i in range(total):
        state, org = states[i % len(states)], orgs[i % len(orgs)]
        category = categories[i % len(categories)]
        amount = Decimal(rng.randrange(10, 300) * 1000)
        number = f"{prefix}-{i:06d}"
        moved = now - timedelta(days=clock.randrange(1, 120), hours=clock.randrange(24))
        if state != State.DRAFT:
            entered[number] = moved
        apps.append(Application(
            number=number, programme=programme, category=category,
            lifecycle=category.lifecycle, organisation=org, region=org.region,
            created_by=owner, title=f"基准测试项目 {i}", requested_amount=amount, form_data={},
            state=state, audit_seq=0 if state == State.DRAFT else 2,
            approved_amount=amount if state in approved else None,
            paid_amount=amount if state == State.PAID else None,
            paid_on=date(2021, 9, 1) + timedelta(days=i % 90) if state == State.PAID else None,
            # as the transition service leaves them after the two entries below
            state_changed_at=moved,
            approved_at=moved - timedelta(days=30) if state in approved else None))
    Application.objects.bulk_create(apps, batch_size=2000)
    Payment.objects.bulk_create(
        [Payment(application_id=pk, amount=paid, paid_on=paid_on, reference="bench")
         for pk, paid, paid_on in Application.objects.filter(
             programme=programme, paid_amount__isnull=False)
         .values_list("pk", "paid_amount", "paid_on")], batch_size=5000)
    apps = list(Application.objects.filter(programme=programme).order_by("number")
                .values_list("pk", "state", "number"))
    entries, claims = [], []
    for index, (pk, state, number) in enumerate(apps):
        if state == State.DRAFT:
            continue
        moved = entered[number]
        entries.append(AuditEntry(subject_id=pk, seq=1, at=moved - timedelta(days=30),
                                  transition="approve" if state in approved else "submit",
                                  source="", target=state, hash="bench"))
        entries.append(AuditEntry(subject_id=pk, seq=2, at=moved, transition="accept",
                                  source="", target=state, hash="bench"))
        if index % 50 < 2:
            claims.append(IdentifierClaim(application_id=pk, number=f"ZL2021{index // 50:08d}.1"))
    AuditEntry.objects.bulk_create(entries, batch_size=5000)
    IdentifierClaim.objects.bulk_create(claims, batch_size=5000)


def build():
    from django.core.management import call_command

    from accounts.models import Role, User
    from subsidy.models import Category, Organisation, Region
    from tests.factories import OrganisationFactory, ProgrammeFactory

    call_command("loaddata", "regions", "categories", verbosity=0)
    regions = list(Region.objects.all())
    for i in range(300):
        OrganisationFactory(region=regions[i % len(regions)])
    orgs = list(Organisation.objects.select_related("region"))
    categories = list(Category.objects.all())
    owner = User.objects.create(username="bench-applicant", role=Role.APPLICANT,
                                organisation=orgs[0])
    small = ProgrammeFactory(title="小计划", total_budget=Decimal("50000000"))
    big = ProgrammeFactory(title="大计划", total_budget=Decimal("500000000"))
    started = time.perf_counter()
    populate(small, SMALL, orgs, categories, owner, "S")
    populate(big, BIG, orgs, categories, owner, "B")
    print(f"built {SMALL + BIG} applications in {time.perf_counter() - started:.1f} s")
    county = User.objects.create(username="bench-county", role=Role.COUNTY,
                                 region=orgs[0].region)
    city = User.objects.create(username="bench-city", role=Role.CITY)
    return {"small": (small, SMALL), "big": (big, BIG)}, {"city": city, "county": county}


def main():
    from tests.helpers import sign_in

    setup_test_environment()
    if connection.vendor == "sqlite":
        connection.settings_dict["TEST"]["NAME"] = str(
            Path(tempfile.mkdtemp()) / "dashboard.sqlite3")
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        programmes, users = build()
        with connection.cursor() as cursor:
            # statistics for the planner and (PostgreSQL) the visibility map for index-only
            # scans, as a live database has them from autovacuum
            cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
        print(f"database: {connection.vendor}, median of {REPEAT} requests")
        counts = {}
        for who, user in users.items():
            client = sign_in(Client(), user)  # staff pass their second factor
            for programme, size in programmes.values():
                count, median = measure(client, f"/desk/reports/?programme={programme.pk}", REPEAT)
                counts.setdefault(who, set()).add(count)
                print(f"dashboard ({who:6}) {size:6,} applications: {count:2} queries, "
                      f"median {median:6.1f} ms  (target < 300 ms: "
                      f"{'met' if median < 300 else 'NOT met'})")
        for who, seen in counts.items():
            print(f"dashboard ({who:6}) query count constant across sizes: "
                  f"{'yes' if len(seen) == 1 else 'NO'}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
