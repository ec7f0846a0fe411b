"""Application forms built from each category's form definition (data, not code).

The web form and the API both validate with `application_form_class(category)`, so a value
accepted in one is accepted in the other.
"""

import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .form_rules import category_problems
from .identifiers import (
    normalise_madrid_number,
    normalise_patent_number,
    normalise_trademark_number,
    patent_text,
)
from .money import parse_yuan

FIELD_TYPES = ("text", "textarea", "decimal", "integer", "date", "choice", "patent_numbers",
               "trademark_numbers", "madrid_registrations")


#: What separates two numbers of a list: a new line, or a comma, semicolon or 、. Not a
#: space: people write one number in groups (`ZL 2021 2065 4321.9`).
PATENT_SEPARATORS = re.compile(r"[\n,;、]+")


class IdentifierListField(forms.CharField):
    """One or more numbers of one kind (one a line, or comma/semicolon separated), each
    checked by the kind's normaliser; cleans to a list of normalised numbers, each once.
    `invalid` is the refusal naming the numbers that are not valid."""

    widget = forms.Textarea(attrs={"rows": 3})
    normalise = staticmethod(normalise_patent_number)
    invalid = _("专利号无效（格式或校验位不符；每行填写一个专利号）：%(numbers)s")
    code = "invalid_patent"

    def to_python(self, value):
        if isinstance(value, list | tuple):
            value = "\n".join(str(v) for v in value)
        return super().to_python(value)

    def prepare_value(self, value):
        """A stored list shown one number a line."""
        return "\n".join(str(v) for v in value) if isinstance(value, list | tuple) else value

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return []
        numbers, bad = [], []
        for raw in PATENT_SEPARATORS.split(patent_text(text)):
            raw = raw.strip()
            if not raw:
                continue
            normal = self.normalise(raw)
            if normal is None:
                bad.append(raw)
            elif normal not in numbers:
                numbers.append(normal)
        if bad:
            raise ValidationError(self.invalid, params={"numbers": "、".join(bad)},
                                  code=self.code)
        return numbers


class PatentNumbersField(IdentifierListField):
    """Patent numbers, check-digit validated, normalised to `digits.check`."""


class TrademarkNumbersField(IdentifierListField):
    """Chinese trademark registration numbers (6–8 digits, 第…号 accepted), as digits."""

    normalise = staticmethod(normalise_trademark_number)
    invalid = _("商标注册号无效（应为6至8位数字，如 12345678；每行填写一个）：%(numbers)s")
    code = "invalid_trademark"


#: One Madrid registration a line: the international registration number, then (after a
#: space, colon or comma) the number of designated countries or the designations
#: themselves (美国、日本、EM …).
MADRID_LINE = re.compile(r"^\s*((?:IR|G|NO\.?)?\s*(?:\d{1,3}(?:[ ,]\d{3}){1,2}|\d+))"
                         r"\s*(?:[:,;\s])\s*(.+?)\s*$", re.IGNORECASE)
DESIGNATION_SEPARATORS = re.compile(r"[,;、/\s]+")


class MadridRegistrationsField(forms.CharField):
    """Madrid international registrations, one a line: `1634567 5` (5 designated countries
    or regions) or `1634567：美国、日本、欧盟` (the designations, counted). Cleans to
    [{"number": "1634567", "countries": 5}, …] (with "designations" when listed); the
    funding rule pays per designated country."""

    widget = forms.Textarea(attrs={"rows": 4})

    def to_python(self, value):
        if isinstance(value, list | tuple):  # the stored form, as the API may send it back
            value = "\n".join(_madrid_line(item) for item in value)
        return super().to_python(value)

    def prepare_value(self, value):
        """The stored registrations shown one a line, as they are typed."""
        if isinstance(value, list | tuple):
            return "\n".join(_madrid_line(item) for item in value)
        return value

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return []
        registrations, bad, twice = [], [], []
        for line in patent_text(text).replace("；", "\n").splitlines():
            if not line.strip():
                continue
            item = _madrid_registration(line)
            if item is None:
                bad.append(line.strip())
            elif any(r["number"] == item["number"] for r in registrations):
                twice.append(item["number"])
            else:
                registrations.append(item)
        if bad:
            raise ValidationError(
                _("马德里国际注册填写有误（每行一件：6至7位国际注册号，后接指定国家（地区）数或"
                  "所指定的国家（地区），如 1634567 5）：%(lines)s"),
                params={"lines": "、".join(bad)}, code="invalid_madrid")
        if twice:
            raise ValidationError(_("国际注册号重复填写：%(numbers)s"),
                                  params={"numbers": "、".join(twice)}, code="repeated_madrid")
        return registrations


def _madrid_line(item) -> str:
    if not isinstance(item, dict):
        return str(item)
    designations = item.get("designations")
    return f"{item.get('number', '')} " + ("、".join(designations) if designations
                                           else str(item.get("countries", "")))


def _madrid_registration(line: str) -> dict | None:
    """One line of MadridRegistrationsField as a registration, else None."""
    match = MADRID_LINE.match(line)
    if not match:
        return None
    number = normalise_madrid_number(match.group(1))
    rest = match.group(2).strip()
    if number is None:
        return None
    if rest.isdigit():
        countries = int(rest)
        return {"number": number, "countries": countries} if 0 < countries <= 130 else None
    designations = list(dict.fromkeys(d.upper() if d.isascii() else d
                                      for d in DESIGNATION_SEPARATORS.split(rest) if d))
    if not designations or any(d.isdigit() for d in designations):
        return None
    return {"number": number, "countries": len(designations), "designations": designations}


class YuanField(forms.DecimalField):
    """An amount in yuan (two decimals), typed plain (180000.00) or grouped by thousands as
    the pages show it (180,000.00); anything else is refused as not a number. A text input
    (a number input drops a typed comma), with the phone's number keyboard."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            parsed = parse_yuan(value)
            value = value if parsed is None else str(parsed)
        return super().to_python(value)

    def widget_attrs(self, widget):
        # DecimalField gives a number input `step`/`min`; they mean nothing to a text input
        return {k: v for k, v in super().widget_attrs(widget).items()
                if k not in ("step", "min", "max")}


LIST_FIELDS = {"patent_numbers": PatentNumbersField, "trademark_numbers": TrademarkNumbersField,
               "madrid_registrations": MadridRegistrationsField}


def _field_for(definition: dict) -> forms.Field:
    kind = definition.get("type", "text")
    common = {"label": definition["label"], "required": definition.get("required", True),
              "help_text": definition.get("help", "")}
    if kind == "text":
        return forms.CharField(max_length=500, **common)
    if kind == "textarea":
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), max_length=5000, **common)
    if kind == "decimal":
        return YuanField(min_value=Decimal(0), **common)
    if kind == "integer":
        return forms.IntegerField(min_value=0, max_value=1_000_000, **common)
    if kind == "date":
        return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **common)
    if kind == "choice":
        return forms.ChoiceField(choices=[("", "---------")] + [
            (c["value"], c.get("label", c["value"])) for c in definition.get("choices", [])],
            **common)
    if kind in LIST_FIELDS:
        return LIST_FIELDS[kind](**common)
    raise ValueError(f"unknown form field type {kind!r}")


class ApplicationForm(forms.Form):
    """The fields every category has; category fields are added by `application_form_class`.

    Given the `programme`, dates the definition marks "in_window" must fall in its
    implementation window; without one (a form only shown), that check waits for the
    service that saves it."""

    title = forms.CharField(label=_("项目名称"), max_length=200)
    requested_amount = YuanField(label=_("申请金额（元）"), min_value=Decimal("0.01"))

    category_field_names: tuple[str, ...] = ()
    definitions: tuple[dict, ...] = ()

    def __init__(self, *args, programme=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.programme = programme

    def clean(self):
        cleaned = super().clean()
        for problem in category_problems(self.definitions, cleaned, self.programme,
                                         frozenset(self.errors)):
            self.add_error(problem.field, problem.message)
        return cleaned

    def form_data(self) -> dict:
        """The category fields of a valid form as JSON-ready values."""
        out = {}
        for name in self.category_field_names:
            value = self.cleaned_data.get(name)
            if isinstance(value, Decimal):
                value = str(value)
            elif hasattr(value, "isoformat"):
                value = value.isoformat()
            out[name] = value
        return out


def application_form_class(category) -> type[ApplicationForm]:
    """A form class with the common fields plus the category's own, in definition order."""
    fields = {d["name"]: _field_for(d) for d in category.form_fields}
    attrs = {**fields, "category_field_names": tuple(fields),
             "definitions": tuple(category.form_fields)}
    return type(f"ApplicationForm{category.code}", (ApplicationForm,), attrs)


def validate_form_definition(definitions) -> list[str]:
    """Problems in a category's form definition (used by the admin and the tests)."""
    problems = []
    names = set()
    for item in definitions:
        if not isinstance(item, dict) or "name" not in item or "label" not in item:
            problems.append(f"each field needs a name and a label: {item!r}")
            continue
        if item.get("type", "text") not in FIELD_TYPES:
            problems.append(f"{item['name']}: unknown type {item.get('type')!r}")
        if item.get("type") == "choice" and not item.get("choices"):
            problems.append(f"{item['name']}: a choice field needs its choices")
        if item["name"] in names or item["name"] in ("title", "requested_amount"):
            problems.append(f"{item['name']}: duplicate field name")
        names.add(item["name"])
    return problems
