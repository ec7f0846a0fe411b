"""The desk's sidebar: each part of the desk (viewflow application) the user may open, the
current one with its pages. A link is listed only when its page would open for the user: the
checks are the ones the request meets (viewflow's site and application permission, then the
view's own `refusal`), asked here of the URL, never a second list of roles."""

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.urls import NoReverseMatch, Resolver404, resolve


def may_open(user, url: str) -> bool:
    """Whether signed-in `user` gets the page at `url` (a path on this site) rather than a
    refusal."""
    try:
        match = resolve(urlsplit(url).path)
    except Resolver404:
        return False
    extra = getattr(match.url_name, "extra", {})  # what viewflow's SiteMiddleware checks
    for viewset in (extra.get("site"), extra.get("app")):
        if viewset is not None and not viewset.has_view_permission(user):
            return False
    refusal = getattr(getattr(match.func, "view_class", None), "refusal", None)
    return not (refusal and refusal(user))


@dataclass
class Link:
    label: str
    icon: str
    url: str
    selected: bool = False


@dataclass
class Entry:
    """One part of the desk in the sidebar; `links` are its pages when it is the current one."""

    link: Link
    links: list[Link] = field(default_factory=list)


def _reverse(app, name: str) -> str | None:
    try:
        return app.reverse(name)
    except NoReverseMatch:
        return None


def desk_menu(request, site) -> list[Entry]:
    """The sidebar for `request`: the parts of `site` the user may open, in the site's order;
    the current part lists its pages (`menu_links`), the one being shown selected."""
    user, path = request.user, request.path
    current = getattr(request.resolver_match, "app", None)
    entries = []
    for app in site.menu_items():
        url = _reverse(app, "index")
        if url is None or not app.has_view_permission(user) or not may_open(user, url):
            continue
        entry = Entry(Link(str(app.title), getattr(app.icon, "icon_name", str(app.icon)), url))
        if app is current:
            for name, label, icon in getattr(app, "menu_links", ()):
                link_url = _reverse(app, name)
                if link_url and may_open(user, link_url):
                    entry.links.append(Link(str(label), icon, link_url))
            # the page shown is the link its path starts with, the longest (as viewflow's own
            # menu picks it); a page of the part none names selects the part
            chosen = max((link for link in entry.links if path.startswith(link.url)),
                         key=lambda link: len(link.url), default=entry.link)
            chosen.selected = True
        entries.append(entry)
    return entries
