"""The fixtures hold the call's 23 categories and the 13 county-level units."""

import csv
from pathlib import Path

import pytest
from django.core.management import call_command

from subsidy.models import Category, Region
from workflows.lifecycle import get_lifecycle

DOMAIN = Path(__file__).resolve().parents[2] / "shared" / "domain"


def rows(name):
    with (DOMAIN / name).open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.mark.django_db
def test_fixtures_load_23_categories_in_the_calls_order():
    call_command("loaddata", "regions", "categories", verbosity=0)
    codes = list(Category.objects.order_by("code").values_list("code", "name"))
    assert len(codes) == 23
    assert codes[0] == ("01", "知识产权重点企业保护试点培育")
    assert codes[22] == ("23", "其他专项项目（具体写清楚）")
    if DOMAIN.exists():
        assert [(r["code"], r["name_zh"]) for r in rows("categories.csv")] == codes


@pytest.mark.django_db
def test_fixtures_load_13_regions():
    call_command("loaddata", "regions", verbosity=0)
    assert Region.objects.count() == 13
    assert set(Region.objects.values_list("code", flat=True)) >= {"430405", "430482", "GXQ"}
    if DOMAIN.exists():
        assert {r["code"] for r in rows("regions.csv")} == \
            set(Region.objects.values_list("code", flat=True))


@pytest.mark.django_db
def test_each_category_carries_lifecycle_applicants_rule_and_form():
    call_command("loaddata", "categories", verbosity=0)
    from subsidy.forms import validate_form_definition

    kinds = {}
    for cat in Category.objects.all():
        lifecycle = get_lifecycle(cat.lifecycle)
        kinds[cat.code] = (lifecycle.kind, "expert_review" in lifecycle.states)
        assert cat.funding_rule
        assert cat.cap or cat.fixed_amount
        assert not validate_form_definition(cat.form_fields), cat.code
        assert {"application_form"} <= {a["kind"] for a in cat.required_attachments}
    assert kinds["21"] == ("reward", False)
    assert kinds["07"] == ("project", True)
    assert kinds["01"] == ("project", False)
    assert [c for c, (_k, expert) in kinds.items() if expert] == ["07", "08", "09", "20", "22"]
    assert "project_type" in [f["name"] for f in Category.objects.get(code="23").form_fields]
