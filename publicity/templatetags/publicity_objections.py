"""The objections part of the desk's application page."""

from django import template

from publicity.objections import handling_path, may_handle_objections, objections_on_application

register = template.Library()


@register.inclusion_tag("applications/_objections.html", takes_context=True)
def application_objections(context, application):
    """The objections against `application`, each with its status, and for the staff who
    handle them the link to where that is done."""
    user = context.get("user")
    handles = may_handle_objections(user)
    return {"objections": [(o, handling_path(o) if handles else "")
                           for o in objections_on_application(application)]}
