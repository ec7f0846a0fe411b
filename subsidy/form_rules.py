"""Rules between a category form's fields, named in its form definition (data, not code):

- `"one_of": "<group>"` on several fields: at least one of them is filled (pledged patents
  or trademarks);
- `"not_before": "<date field>"` on a date: not earlier than that date (a loan's end);
- `"in_window": true` on a date: within the programme's implementation window (a loan's
  start, a certificate's date), checked when the form knows its programme;
- on a choice field, `"dated_by": "<date field>"` and, on a choice, `"replaced_on"` and
  `"replaced_by"`: a standard replaced on that day cannot be chosen for a date on or after
  it (GB/T 29490-2013, replaced by GB/T 29490-2023 on 2024-01-01).
"""

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext_lazy as _

from workflows.i18n import lazy_format


@dataclass(frozen=True)
class Problem:
    """A refusal for `field` (None: the form as a whole)."""

    field: str | None
    message: object


def _filled(value) -> bool:
    return value not in (None, "", [], ())


def _date(value):
    return value if isinstance(value, date) else None


def category_problems(definitions, cleaned: dict, programme=None,
                      failed=frozenset()) -> list[Problem]:
    """What is wrong between the fields of `cleaned` (a form's cleaned data) by the rules
    of `definitions`; fields that did not clean (`failed`) are left to their own errors."""
    problems = []
    labels = {d["name"]: d["label"] for d in definitions}
    groups: dict[str, list[str]] = {}
    for definition in definitions:
        name = definition["name"]
        if definition.get("one_of"):
            groups.setdefault(definition["one_of"], []).append(name)
        value = cleaned.get(name)
        other = definition.get("not_before")
        if other and _date(value) and _date(cleaned.get(other)) and value < cleaned[other]:
            problems.append(Problem(name, lazy_format(
                _("%(label)s不能早于%(other)s。"),
                {"label": definition["label"], "other": labels.get(other, other)})))
        if definition.get("in_window") and programme is not None and _date(value):
            start, end = programme.implementation_start, programme.implementation_end
            if not start <= value <= end:
                problems.append(Problem(name, lazy_format(
                    _("%(label)s须在本计划实施期 %(start)s 至 %(end)s 之内（所填为 %(date)s）。"),
                    {"label": definition["label"], "start": start, "end": end,
                     "date": value})))
        replaced = _replaced_choice(definition, value, cleaned, labels)
        if replaced is not None:
            problems.append(Problem(name, replaced))
    for names in groups.values():
        if not any(_filled(cleaned.get(n)) for n in names) \
                and not failed.intersection(names):
            problems.append(Problem(None, lazy_format(
                _("请至少填写以下一项：%(fields)s。"),
                {"fields": "、".join(labels[n] for n in names)})))
    return problems


def _replaced_choice(definition, value, cleaned, labels):
    """The refusal for a choice replaced before the date it is dated by, else None."""
    dated_by = definition.get("dated_by")
    if definition.get("type") != "choice" or not dated_by or not _filled(value):
        return None
    dated = _date(cleaned.get(dated_by))
    choice = next((c for c in definition.get("choices", []) if c["value"] == value), None)
    if dated is None or choice is None or not choice.get("replaced_on"):
        return None
    replaced_on = date.fromisoformat(choice["replaced_on"])
    if dated < replaced_on:
        return None
    return lazy_format(
        _("%(standard)s 已于 %(replaced_on)s 被 %(successor)s 代替，%(replaced_on)s 及以后的"
          "证书须依据 %(successor)s（%(dated_label)s为 %(dated)s）。"),
        {"standard": value, "replaced_on": replaced_on,
         "successor": choice.get("replaced_by", ""),
         "dated_label": labels.get(dated_by, dated_by),
         "dated": dated})
