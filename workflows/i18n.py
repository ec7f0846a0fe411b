"""Lazy interpolation of translated messages, so one refusal reads in every language."""

from django.utils.functional import Promise, lazy


def _interpolate(message, params: dict) -> str:
    rendered = {k: str(v) if isinstance(v, Promise) else v for k, v in params.items()}
    return str(message) % rendered


#: lazy_format(_("…%(name)s…"), {"name": lazy_label}) → a lazy str, rendered in the active language
#: when it is read (the % operator on gettext_lazy would fix the language at creation).
lazy_format = lazy(_interpolate, str)
