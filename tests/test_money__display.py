"""Amounts read the same everywhere a person reads them (180,000.00, in Chinese and English
alike): pages, refusals built in Python, the admin, Excel sheets (numbers with a thousands
format); rates read as percentages (50%, not 0.5000 or 50.0000%)."""

from decimal import Decimal
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.utils import translation
from openpyxl import load_workbook

from accounts.models import Role
from portal.forms import TransitionForm
from publicity.exports import publicity_workbook
from publicity.services import create_batch
from subsidy.admin import PercentField
from subsidy.funding import rule_summary, to_money
from subsidy.models import Application, ProgrammeCategory
from subsidy.money import format_rate, format_yuan, parse_yuan
from workflows import services as engine
from workflows.exceptions import GuardFailed
from workflows.stages import State

from .factories import ApplicationFactory, UserFactory, attach_required, category
from .helpers import signed_in
from .publicity_data import TODAY

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("amount, text", [
    (Decimal("180000"), "180,000.00"), ("1234567.8", "1,234,567.80"), (0, "0.00"),
    (Decimal("999.995"), "1,000.00"), ("-1234.5", "-1,234.50"), (None, ""),
    (Decimal("12"), "12.00"),
])
def test_one_format_for_yuan(amount, text):
    assert format_yuan(amount) == text
    with translation.override("en"):
        assert format_yuan(amount) == text


@pytest.mark.parametrize("rate, text", [
    (Decimal("0.5000"), "50%"), (Decimal("0.1000"), "10%"), (Decimal("0.1250"), "12.5%"),
    (Decimal("1.0000"), "100%"), (Decimal("0.0005"), "0.05%"), (None, ""),
])
def test_rates_read_as_percentages(rate, text):
    assert format_rate(rate) == text


@pytest.mark.parametrize("typed, value", [
    ("180000.00", Decimal("180000.00")), ("180,000.00", Decimal("180000.00")),
    (" 1，234，567.8 ", Decimal("1234567.8")), ("1,5", None), ("18,0000", None),
    ("abc", None), ("", None),
])
def test_typed_amounts_plain_or_grouped(typed, value):
    assert parse_yuan(typed) == value


def test_amounts_read_from_sheets_and_forms_may_be_grouped():
    assert to_money("180,000.00") == to_money(180000) == Decimal("180000.00")
    assert to_money("1,5") is None and to_money("NaN") is None


def test_amount_inputs_take_plain_and_grouped_numbers():
    assert TransitionForm({"amount": "180000"}).is_valid()
    grouped = TransitionForm({"amount": "180,000.00"})
    assert grouped.is_valid() and grouped.cleaned_data["amount"] == Decimal("180000.00")
    assert not TransitionForm({"amount": "1,5"}).is_valid()  # not read as 15, nor as 1.5


def test_the_template_filter_uses_the_one_format():
    template = Template("{% load zizhu %}{{ a|yuan }} {{ r|rate }}")
    for language in ("zh-hans", "en"):
        with translation.override(language):
            assert template.render(Context({"a": Decimal("180000"), "r": Decimal("0.5")})) \
                == "180,000.00 50%"


def test_a_refusal_shows_the_amounts_in_both_languages(programme, applicant):
    app = ApplicationFactory(programme=programme, organisation=applicant.organisation,
                             requested_amount=Decimal("200000.01"))
    attach_required(app)
    with pytest.raises(GuardFailed) as refused:
        engine.perform(app, "submit", applicant)
    reasons = refused.value.reasons()
    assert reasons["zh-hans"] == "申请金额 200,000.01 元超过资助规则允许的 200,000.00 元。"
    assert "200,000.01" in reasons["en"] and "200,000.00" in reasons["en"]


def test_the_admin_lists_and_shows_amounts_as_everywhere_else(reference):
    admin = UserFactory(role=Role.ADMIN, is_staff=True, is_superuser=True)
    app = ApplicationFactory(requested_amount=Decimal("180000.00"))
    Application.objects.filter(pk=app.pk).update(state=State.APPROVED,
                                                 approved_amount=Decimal("150000.00"))
    client = signed_in(admin)
    listing = client.get("/admin/subsidy/application/").content.decode()
    assert "180,000.00" in listing and "150,000.00" in listing
    assert "180000.00" not in listing
    page = client.get(f"/admin/subsidy/application/{app.pk}/change/").content.decode()
    assert "150,000.00" in page and 'name="approved_amount"' not in page
    programmes = client.get("/admin/subsidy/programme/").content.decode()
    assert "10,000,000.00" in programmes


def test_the_admin_shows_and_takes_rates_as_percentages(reference):
    admin = UserFactory(role=Role.ADMIN, is_staff=True, is_superuser=True)
    client = signed_in(admin)
    listing = client.get("/admin/subsidy/category/").content.decode()
    assert "50%" in listing and "0.5000" not in listing and "50.0000" not in listing
    insurance = category("04")
    page = client.get(f"/admin/subsidy/category/{insurance.pk}/change/").content.decode()
    assert 'name="rate"' in page and 'value="50"' in page


def test_admin_rates_are_typed_as_percentages_and_stored_as_fractions():
    field = PercentField(required=False)
    assert field.clean("12.5") == Decimal("0.1250") and field.clean("") is None
    assert field.prepare_value(Decimal("0.5000")) == "50"
    with pytest.raises(ValidationError):
        field.clean("150")


def test_the_programme_page_gives_rates_and_caps_as_people_read_them(programme, applicant):
    pc = ProgrammeCategory.objects.get(programme=programme, category__code="04")
    assert rule_summary(pc) == "按 50% 核定，上限 50,000.00 元"
    page = signed_in(applicant).get(f"/programmes/{programme.pk}/").content.decode()
    assert "按 50% 核定" in page and "50.0000" not in page and "0.5000" not in page
    with translation.override("en"):
        assert "50%" in rule_summary(pc) and "50,000.00" in rule_summary(pc)


@pytest.mark.today(TODAY)
def test_excel_keeps_numbers_with_a_thousands_format(programme, city):
    app = ApplicationFactory(programme=programme, approved_amount=Decimal("180000.00"))
    Application.objects.filter(pk=app.pk).update(state=State.APPROVED)
    batch = create_batch(city, programme, "approval", "拟资助名单公示", TODAY, 5, [app.pk])
    sheet = load_workbook(BytesIO(publicity_workbook(batch))).active
    amounts = [row[5] for row in sheet.iter_rows() if isinstance(row[5].value, int | float)]
    assert [cell.value for cell in amounts] == [180000, 180000]  # the item and the total
    assert {cell.number_format for cell in amounts} == {"#,##0.00"}
