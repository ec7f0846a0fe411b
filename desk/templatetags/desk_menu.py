"""The desk's sidebar (desk/menu.py) for templates."""

from django import template

from desk.menu import desk_menu

register = template.Library()


@register.simple_tag(takes_context=True)
def desk_menu_entries(context):
    """The sidebar entries for the page being rendered (its request and viewflow site)."""
    request = context.get("request")
    site = getattr(getattr(request, "resolver_match", None), "site", None) \
        or context.get("site")
    if request is None or site is None or not request.user.is_authenticated:
        return []
    return desk_menu(request, site)
