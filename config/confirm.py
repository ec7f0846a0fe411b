"""The confirmation step irreversible actions take, desk and portal alike, without JavaScript.

A form posts its action as usual. The view asks `confirmed(request)`; when not, it answers
`ask_to_confirm(...)`: a page saying what will happen, whose form posts the same fields again
with `confirm=1`, and a way back. Only then does the view act. The page is
`templates/_confirm.html`, included by `desk/confirm.html` (and by any side's own page).
"""

from django.shortcuts import render

#: The field the confirmation form adds to the original post.
CONFIRM_FIELD = "confirm"


def confirmed(request) -> bool:
    """Whether this post comes from the confirmation step (the person saw it and agreed)."""
    return request.POST.get(CONFIRM_FIELD) == "1"


def ask_to_confirm(request, *, title, message, button, items=(), cancel_url=None,
                   template="desk/confirm.html", **context):
    """The page asking to confirm: `message` says what will happen, `items` lists what it
    touches (strings), `button` labels the confirming button; cancelling goes back to
    `cancel_url` (default: the page posted to)."""
    return render(request, template, {"confirm": {
        "title": title, "message": message, "button": button, "items": list(items),
        "cancel_url": cancel_url or request.get_full_path(), "field": CONFIRM_FIELD,
    }, **context})
