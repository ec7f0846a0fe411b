"""Benchmark: the reviewer inbox and the applicant list with 10,000 applications.

    python bench/pages.py            # SQLite; DATABASE_URL=postgres://… for PostgreSQL

For each page and page size it prints the number of SQL queries (which must not grow with
the page size) and the median render time over repeated requests (target: under 150 ms).
Uses a throw-away database (the configured one's test database) and drops it after.
"""

import os
import tempfile
from pathlib import Path

import production_like  # noqa: F401  (first: sets Django up)
from django.db import connection
from django.test import Client
from django.test.utils import setup_test_environment
from timing import measure

from tests.helpers import sign_in

TOTAL = int(os.environ.get("BENCH_APPLICATIONS", "10000"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "15"))
PAGE_SIZES = (10, 50, 200)


def populate():
    """10,000 applications over 13 counties, 200 organisations and every category; a quarter
    of them belong to the applicant's organisation."""
    from django.core.management import call_command

    from accounts.models import Role, User
    from subsidy.models import Application, Category, Organisation, Region
    from tests.factories import OrganisationFactory, ProgrammeFactory
    from workflows.stages import State

    call_command("loaddata", "regions", "categories", verbosity=0)
    programme = ProgrammeFactory()
    regions = list(Region.objects.all())
    for i in range(200):
        OrganisationFactory(region=regions[i % len(regions)])
    orgs = list(Organisation.objects.select_related("region"))
    categories = list(Category.objects.all())
    owner = User.objects.create(username="bench-applicant", role=Role.APPLICANT,
                                organisation=orgs[0])
    states = [State.SUBMITTED, State.COUNTY_REVIEW, State.CITY_REVIEW, State.DRAFT]
    Application.objects.bulk_create([
        Application(number=f"P-{i:06d}", programme=programme,
                    category=categories[i % len(categories)],
                    lifecycle=categories[i % len(categories)].lifecycle,
                    organisation=orgs[0 if i % 4 == 0 else i % len(orgs)],
                    region=orgs[0 if i % 4 == 0 else i % len(orgs)].region,
                    created_by=owner, title=f"基准测试项目 {i}", requested_amount="1000.00",
                    form_data={}, state=states[i % len(states)])
        for i in range(TOTAL)], batch_size=1000)
    county = User.objects.create(username="bench-county", role=Role.COUNTY,
                                 region=orgs[0].region)
    city = User.objects.create(username="bench-city", role=Role.CITY)
    return owner, county, city


def main():
    setup_test_environment()
    if connection.vendor == "sqlite":
        connection.settings_dict["TEST"]["NAME"] = str(Path(tempfile.mkdtemp()) / "pages.sqlite3")
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        applicant, county, city = populate()
        pages = {"reviewer inbox (county)": (county, "/desk/review/?all=1&per_page={n}"),
                 "reviewer inbox (city)": (city, "/desk/review/?all=1&per_page={n}"),
                 "applicant list": (applicant, "/my/?per_page={n}")}
        print(f"database: {connection.vendor}, {TOTAL} applications, median of {REPEAT}")
        for label, (user, template) in pages.items():
            client = sign_in(Client(), user)  # staff pass their second factor
            rows = []
            for n in PAGE_SIZES:
                count, median = measure(client, template.format(n=n), REPEAT)
                rows.append((n, count, median))
            constant = len({count for _n, count, _m in rows}) == 1
            for n, count, median in rows:
                print(f"{label:26} page size {n:3}: {count:2} queries, median {median:6.1f} ms"
                      f"  (target < 150 ms: {'met' if median < 150 else 'NOT met'})")
            print(f"{label:26} query count constant across page sizes: "
                  f"{'yes' if constant else 'NO'}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
