"""Every message the project sends, in the app and by e-mail, is rendered here from its two
templates: notifications/<name>_subject.txt (one line; its whitespace is folded) and
<name>_body.txt (plain text), in the recipients' language. Users choose no language, so that
is the site's (settings.LANGUAGE_CODE, 简体中文); `language` names another."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation


def render_message(name: str, context: dict, language: str | None = None) -> tuple[str, str]:
    """(subject, body) of message `name` for `context`."""
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"notifications/{name}_subject.txt",
                                            context).split())
        body = render_to_string(f"notifications/{name}_body.txt", context).strip()
    return subject, body
