"""Lazy interpolation of translated messages, so one refusal reads in every language."""

from django.utils.functional import lazy


def _interpolate(message, params: dict) -> str:
    return str(message) % {key: str(value) for key, value in params.items()}


#: lazy_format(_("…%(name)s…"), {"name": lazy_label}) → a lazy str, rendered in the active language
#: when it is read (the % operator on gettext_lazy would fix the language at creation).
lazy_format = lazy(_interpolate, str)
