"""An installation whose categories 10, 14 and 21 still carry their earlier rules is brought
to the new ones by migration 0020; a category an administrator already changed is left."""

import importlib

import pytest
from django.apps import apps

from .factories import category

migration = importlib.import_module(
    "subsidy.migrations.0021_category_rules_pledge_madrid_standard")


@pytest.mark.django_db
def test_the_earlier_rules_are_replaced_and_changed_ones_left(reference):
    pledge, madrid, standard = category("10"), category("14"), category("21")
    pledge.funding_rule, pledge.rule_field, pledge.rule_settings = "percentage", "interest_paid", {}
    pledge.save()
    madrid.funding_rule = "capped_request"  # changed by an administrator: left as it is
    madrid.save()
    standard.form_fields = [f for f in standard.form_fields if f["name"] != "standard"]
    standard.save()
    migration.update_categories(apps, None)
    pledge.refresh_from_db()
    madrid.refresh_from_db()
    standard.refresh_from_db()
    assert pledge.funding_rule == "components"
    assert [c["field"] for c in pledge.rule_settings["components"]] == [
        "interest_paid", "evaluation_fee", "insurance_fee"]
    assert madrid.funding_rule == "capped_request"
    assert "standard" in [f["name"] for f in standard.form_fields]
    assert "GB/T 29490-2023" in standard.name_en
