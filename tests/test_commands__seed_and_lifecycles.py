"""`seed_demo` and `lifecycles` management commands."""

import json
from datetime import date

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import RequestFactory

from accounts.models import User
from subsidy.identifiers import is_valid_uscc
from subsidy.models import Category, Organisation, Programme, ProgrammeCategory, Region


@pytest.mark.django_db
@pytest.mark.today(date(2021, 12, 1))
def test_seed_demo_is_complete_and_idempotent(settings):
    """The people and programmes (the applications: tests/test_demo__seed.py)."""
    settings.DEBUG = True
    settings.DEMO_PASSWORD = "demo-pass-1"
    call_command("seed_demo", "--without-applications", verbosity=0)
    counts = (Region.objects.count(), Category.objects.count(), Programme.objects.count(),
              ProgrammeCategory.objects.count(), Organisation.objects.count(),
              User.objects.count())
    call_command("seed_demo", "--without-applications", verbosity=0)
    assert counts == (Region.objects.count(), Category.objects.count(),
                      Programme.objects.count(), ProgrammeCategory.objects.count(),
                      Organisation.objects.count(), User.objects.count())
    assert counts[:4] == (13, 23, 2, 46)

    previous, programme = Programme.objects.order_by("year")
    assert (previous.year, programme.year) == (2020, 2021)
    assert programme.title == "2021年度知识产权培育资助"
    assert programme.call_number.startswith("衡市监办〔2021〕")
    assert programme.jointly_issued and "衡阳市财政局" in programme.issuers
    assert programme.implementation_start.isoformat() == "2021-01-01"
    assert programme.implementation_end.isoformat() == "2021-11-30"
    assert programme.call_date.month == 7 and programme.implementation_start < programme.call_date
    budgets = sum(pc.budget for pc in programme.programme_categories.all())
    assert 0 < budgets <= programme.total_budget

    assert all(is_valid_uscc(o.uscc) for o in Organisation.objects.all())
    expected = {"applicant1", "applicant2", "city", "chief", "leader", "finance", "expert",
                "expert2", "expert3", "admin"} | {f"county-{r.code}" for r in Region.objects.all()}
    assert expected <= set(User.objects.values_list("username", flat=True))
    for username in expected:
        assert authenticate(RequestFactory().post("/accounts/login/"), username=username,
                            password="demo-pass-1") is not None, username
    a1, a2 = User.objects.get(username="applicant1"), User.objects.get(username="applicant2")
    assert a1.organisation != a2.organisation
    assert a1.organisation.region != a2.organisation.region
    assert User.objects.get(username="county-430405").region.code == "430405"


@pytest.mark.django_db
def test_seed_demo_refuses_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("seed_demo", verbosity=0)
    assert not User.objects.exists()
    call_command("seed_demo", "--force", "--without-applications", verbosity=0)
    assert User.objects.filter(username="admin").exists()
    # forced, it still gives no one a password anybody knows
    assert not any(user.has_usable_password() for user in User.objects.all())
    assert authenticate(RequestFactory().post("/accounts/login/"), username="admin",
                        password=settings.DEMO_PASSWORD) is None


@pytest.mark.django_db
def test_lifecycles_json_and_dot(reference, capsys):
    call_command("lifecycles", "--format", "json")
    items = json.loads(capsys.readouterr().out)
    assert [i["code"] for i in items] == [f"{n:02d}" for n in range(1, 24)]
    first = items[0]
    assert set(first) >= {"code", "name", "kind", "states", "transitions"}
    assert {"name": "submit", "source": "draft", "target": "submitted"} in first["transitions"]
    assert "expert_review" in items[6]["states"] and "expert_review" not in first["states"]
    call_command("lifecycles", "--format", "dot")
    dot = capsys.readouterr().out
    assert dot.startswith("digraph") and dot.count("subgraph cluster_") == 23
