"""Application forms built from each category's form definition (data, not code).

The web form and the API both validate with `application_form_class(category)`, so a value
accepted in one is accepted in the other.
"""

import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .identifiers import normalise_patent_number, patent_text
from .money import parse_yuan

FIELD_TYPES = ("text", "textarea", "decimal", "integer", "date", "patent_numbers")


#: What separates two patent numbers: a new line, or a comma, semicolon or 、. Not a space:
#: people write one number in groups (`ZL 2021 2065 4321.9`).
PATENT_SEPARATORS = re.compile(r"[\n,;、]+")


class PatentNumbersField(forms.CharField):
    """One or more patent numbers (one a line, or comma/semicolon separated), check-digit
    validated; cleans to a list of normalised numbers `digits.check`."""

    widget = forms.Textarea(attrs={"rows": 3})

    def to_python(self, value):
        if isinstance(value, list | tuple):
            value = "\n".join(str(v) for v in value)
        return super().to_python(value)

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return []
        numbers, bad = [], []
        for raw in PATENT_SEPARATORS.split(patent_text(text)):
            raw = raw.strip()
            if not raw:
                continue
            normal = normalise_patent_number(raw)
            if normal is None:
                bad.append(raw)
            elif normal not in numbers:
                numbers.append(normal)
        if bad:
            raise ValidationError(
                _("专利号无效（格式或校验位不符；每行填写一个专利号）：%(numbers)s"),
                params={"numbers": "、".join(bad)}, code="invalid_patent")
        return numbers


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
    if kind == "patent_numbers":
        return PatentNumbersField(**common)
    raise ValueError(f"unknown form field type {kind!r}")


class ApplicationForm(forms.Form):
    """The fields every category has; category fields are added by `application_form_class`."""

    title = forms.CharField(label=_("项目名称"), max_length=200)
    requested_amount = YuanField(label=_("申请金额（元）"), min_value=Decimal("0.01"))

    category_field_names: tuple[str, ...] = ()

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
    attrs = {**fields, "category_field_names": tuple(fields)}
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
        if item["name"] in names or item["name"] in ("title", "requested_amount"):
            problems.append(f"{item['name']}: duplicate field name")
        names.add(item["name"])
    return problems
