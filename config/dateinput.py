"""Date boxes that read the same whatever the browser's own language.

`<input type="date">` draws its placeholder and order from the browser's locale (mm/dd/yyyy
in an English Chromium), not from the interface language. These are text boxes in the
active language's first input format (Django's formats: 2021/06/01 in Chinese, 2021-06-01 in
English) with that format as the placeholder (年/月/日, YYYY-MM-DD). The server parses what
was typed with the same formats (ISO dates are always accepted too) and a form that does
not validate shows the typed text again with its error.
"""

import re
from datetime import date

from django import forms
from django.utils import formats
from django.utils.translation import pgettext

_PART = re.compile(r"%[Ymd]")


def date_placeholder() -> str:
    """The active language's date input format for people: 年/月/日, YYYY-MM-DD."""
    names = {"%Y": pgettext("date input", "年"), "%m": pgettext("date input", "月"),
             "%d": pgettext("date input", "日")}
    return _PART.sub(lambda part: names[part.group(0)],
                     formats.get_format("DATE_INPUT_FORMATS")[0])


class DateInput(forms.DateInput):
    """A text box for a date in the active language's format, with its placeholder."""

    input_type = "text"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        widget_attrs.setdefault("placeholder", date_placeholder())
        widget_attrs.setdefault("autocomplete", "off")
        widget_attrs.setdefault("class", "date-input")
        return context


def show_date(value) -> str:
    """`value` as the date box shows it: a date in the active format, typed text as is."""
    if isinstance(value, date):
        return formats.localize_input(value, formats.get_format("DATE_INPUT_FORMATS")[0])
    return value or ""


def parse_date(text) -> date:
    """The date typed in a box (active language's formats or ISO); ValidationError else."""
    return forms.DateField().clean(text)
