"""Every route has an explicit access rule, and the rules hold: no route shows anonymous
visitors anything but public pages."""

import re

import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import path

from config.access import LIBRARY_RULES, PUBLIC, access_rule, routes

pytestmark = pytest.mark.django_db


def sample_url(route: str) -> str:
    """A concrete URL for a route: integers for <int:…>, a word for the other converters."""
    url = re.sub(r"<int:\w+>", "1", route)
    url = re.sub(r"<(?:\w+:)?\w+>", "x", url)
    return "/" + url.replace("^", "").replace("$", "").replace("\\", "")


def test_every_route_has_an_access_rule():
    missing = [(route, name) for route, name, view in routes() if not access_rule(name, view)]
    assert missing == []


def test_a_route_without_a_rule_is_reported():
    def plain_view(request):
        return HttpResponse("hello")

    [(_route, name, view)] = routes([path("plain/", plain_view, name="plain")])
    assert access_rule(name, view) is None


def test_only_public_routes_answer_anonymous_visitors(reference):
    """Our views send strangers to the login page or refuse them; library views (admin,
    viewflow, two-factor) may redirect elsewhere, but never answer with content."""
    client, answered = Client(), []
    for route, name, view in routes():
        rule = access_rule(name, view)
        if "public:" in rule:
            continue
        ours = rule not in LIBRARY_RULES.values()
        url = sample_url(route)
        for method in (client.get, client.post):
            response = method(url)
            redirected = response.status_code == 302 and (
                "login" in response["Location"] or not ours)
            if not (redirected or response.status_code in (401, 403, 404, 405)):
                answered.append((method.__name__, url, response.status_code))
    assert answered == [], answered


def test_public_pages_are_few_and_named(reference):
    public = sorted(name for _route, name, view in routes() if access_rule(name, view) == PUBLIC)
    assert public == ["admin_login", "home", "login", "logout", "publicity_detail",
                      "publicity_excel", "publicity_list", "publicity_objection_lookup",
                      "publicity_print", "register",
                      "set_language", "two_factor:login", "verify"]
