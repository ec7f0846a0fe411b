"""Benchmark: audited transitions per second through the service vs. the bare SQL they issue.

    python bench/transitions.py                       # SQLite (a WAL file in a temp dir)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/zizhu python bench/transitions.py

Prints, for the selected database:
- the service rate: `workflows.services.perform` on loaded applications (permission check,
  lifecycle lookup, django-fsm transition, conditional UPDATE, hash-chained INSERT, one
  transaction each; notification delivery is queued after commit, not run);
- the raw rate of the same UPDATE + INSERT through a bare cursor, one transaction each;
- their ratio (targets: 30% on SQLite, 50% on PostgreSQL);
- the time to move 1,000 applications with one bulk transition (target: under 0.5 s);
- for information, the rate of a guarded transition (`approve`: row locked and re-read,
  amount rule and budget checked with the programme row locked), which issues more queries.
It uses a throw-away database (the test database of the configured one) and drops it after.
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "bench")
os.environ.setdefault("AUDIT_HMAC_KEY", "bench")

import django

django.setup()

from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

N = int(os.environ.get("BENCH_N", "2000"))
BULK = 1000
ROUNDS = 3


def make_applications(count, state, county_user, programme, category, organisation, tag):
    from subsidy.models import Application

    Application.objects.bulk_create([
        Application(number=f"B{tag}-{i:06d}", programme=programme, category=category,
                    lifecycle=category.lifecycle, organisation=organisation,
                    region=organisation.region, created_by=county_user, title=f"bench {i}",
                    requested_amount="1000.00", form_data={}, state=state)
        for i in range(count)
    ], batch_size=500)
    return list(Application.objects.filter(number__startswith=f"B{tag}-").order_by("pk"))


def service_rate(apps, actor, name="recommend"):
    from workflows import services as engine

    start = time.perf_counter()
    for app in apps:
        engine.perform(app, name, actor, comment="同意")
    return len(apps) / (time.perf_counter() - start)


def raw_rate(apps, actor):
    update = ("UPDATE subsidy_application SET state = %s, returned_from = %s, audit_seq = %s, "
              "audit_head = %s, state_changed_at = %s WHERE id = %s AND audit_seq = %s")
    insert = ("INSERT INTO workflows_auditentry (subject_id, seq, actor_id, at, transition, "
              "source, target, comment, data, prev_hash, hash) "
              "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)")
    digest = "0" * 64
    start = time.perf_counter()
    for app in apps:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(update, ["city_review", "", 1, digest, timezone.now(), app.pk, 0])
            cursor.execute(insert, [app.pk, 1, actor.pk, timezone.now(), "recommend",
                                    "county_review", "city_review", "同意推荐", "{}", "",
                                    digest])
    return len(apps) / (time.perf_counter() - start)


def bulk_seconds(tag_prefix, actor, fixtures):
    from subsidy.models import Application
    from workflows import services as engine

    times = []
    for r in range(ROUNDS):
        tag = f"{tag_prefix}{r}"
        make_applications(BULK, "county_review", actor, *fixtures, tag)
        qs = Application.objects.filter(number__startswith=f"B{tag}-")
        start = time.perf_counter()
        result = engine.perform_bulk(qs, "recommend", actor, comment="批量推荐")
        times.append(time.perf_counter() - start)
        assert len(result.entries) == BULK and not result.refused
    return min(times), statistics.median(times)


def main():
    from accounts.models import Role, User
    from notifications.messenger import queue_transition_notifications
    from subsidy.models import Category, Organisation, Programme
    from tests.factories import OrganisationFactory, ProgrammeFactory, region
    from workflows.signals import transitions_committed

    vendor = connection.vendor
    if vendor == "sqlite":
        path = Path(tempfile.mkdtemp()) / "bench.sqlite3"
        connection.settings_dict["TEST"]["NAME"] = str(path)
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        call_command("loaddata", "regions", "categories", verbosity=0)
        programme = ProgrammeFactory()
        organisation = OrganisationFactory(region=region("430405"))
        category = Category.objects.get(code="01")
        county = User.objects.create(username="bench-county", role=Role.COUNTY,
                                     region=organisation.region)
        fixtures = (Programme.objects.get(pk=programme.pk), category,
                    Organisation.objects.get(pk=organisation.pk))
        # Delivery runs in a Celery worker in production; here it would run inline (eager),
        # so the receiver is disconnected to time the transactional work the service does.
        transitions_committed.disconnect(queue_transition_notifications,
                                         dispatch_uid="notifications.transitions")

        warm = make_applications(200, "county_review", county, *fixtures, "warm")
        service_rate(warm[:100], county)
        raw_rate(warm[100:], county)

        service, raw = [], []
        for r in range(ROUNDS):
            service.append(service_rate(
                make_applications(N, "county_review", county, *fixtures, f"s{r}"), county))
            raw.append(raw_rate(
                make_applications(N, "county_review", county, *fixtures, f"r{r}"), county))
        best_service, best_raw = statistics.median(service), statistics.median(raw)
        bulk_best, bulk_median = bulk_seconds("bulk", county, fixtures)
        city = User.objects.create(username="bench-city", role=Role.CITY)
        rich = Programme.objects.get(pk=ProgrammeFactory(
            category_budget="1000000000", total_budget="1000000000").pk)
        guarded = service_rate(make_applications(
            N, "city_review", county, rich, category, fixtures[2], "g"), city, "approve")

        target = 0.5 if vendor == "postgresql" else 0.3
        ratio = best_service / best_raw
        print(f"database: {vendor}  ({N} transitions per run, median of {ROUNDS} runs)")
        print(f"service:  {best_service:8.0f} audited transitions/s")
        print(f"raw SQL:  {best_raw:8.0f} UPDATE+INSERT transactions/s")
        print(f"ratio:    {ratio:8.1%}  (target {target:.0%}: "
              f"{'met' if ratio >= target else 'NOT met'})")
        print(f"bulk:     {BULK} applications in one transition: best {bulk_best:.3f} s, "
              f"median {bulk_median:.3f} s  (target < 0.5 s: "
              f"{'met' if bulk_median < 0.5 else 'NOT met'})")
        print(f"guarded:  {guarded:8.0f} approvals/s (locked re-read, amount rule, budget)")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
