"""The desk's sidebar as each role sees it: one entry per part (one 审核), and no link in it or
on the role's home page leads to a page the role may not open (no 403, 404 or 500)."""

import re
from urllib.parse import urljoin, urlsplit

import pytest
from django.test import Client

from accounts.models import Role
from workflows.stages import State

from .factories import (
    ApplicantFactory,
    ApplicationFactory,
    CountyReviewerFactory,
    ExpertFactory,
    UserFactory,
    region,
)
from .helpers import at, sign_in

pytestmark = pytest.mark.django_db

ROLES = ("applicant", "county", "city", "chief", "leader", "finance", "expert", "admin")


@pytest.fixture
def people(programme):
    applicant = ApplicantFactory()
    for state in (State.SUBMITTED, State.CITY_REVIEW, State.RETURNED,
                  State.DISBURSEMENT_NOTIFIED, State.PAID):
        at(ApplicationFactory(programme=programme, organisation=applicant.organisation,
                              created_by=applicant), state)
    return {"applicant": applicant,
            "county": CountyReviewerFactory(region=region(applicant.organisation.region.code)),
            **{role: UserFactory(role=role) for role in ("city", "chief", "leader", "finance")},
            "expert": ExpertFactory(),
            "admin": UserFactory(role=Role.ADMIN, is_staff=True, is_superuser=True)}


def links(html: str, base: str, within: str | None = None) -> set[str]:
    """The site's own pages `html` links to (in the element with class `within`, if given)."""
    if within is not None:
        start = html.find(f'class="mdc-list {within}"')
        html = html[start:html.index("</nav>", start)] if start >= 0 else ""
    found = set()
    for href in re.findall(r'href="([^"#]+)"', html):
        url = urlsplit(urljoin(base, href.replace("&amp;", "&")))
        if url.scheme in ("http", "https", "") and url.netloc in ("", "testserver") \
                and not url.path.startswith("/static/"):
            found.add(url.path + (f"?{url.query}" if url.query else ""))
    return found


def menu_labels(html: str) -> list[str]:
    start = html.find('class="mdc-list desk-menu"')
    menu = html[start:html.index("</nav>", start)]
    return [label.strip() for label in
            re.findall(r'<span class="mdc-list-item__content">([^<]+)', menu)]


@pytest.mark.parametrize("role", ROLES)
def test_every_link_in_the_menu_and_on_the_home_page_opens(people, role):
    client = sign_in(Client(), people[role])
    home = client.get("/", follow=True)
    assert home.status_code == 200
    home_url = home.redirect_chain[-1][0] if home.redirect_chain else "/"
    html = home.content.decode()
    to_visit = links(html, home_url)
    menus, seen, broken = [html], set(), []
    while to_visit:  # each part of the desk opened from the menu shows its own pages there
        url = to_visit.pop()
        seen.add(url)
        response = client.get(url, follow=True)
        if response.status_code in (403, 404) or response.status_code >= 500:
            broken.append((url, response.status_code))
            continue
        if "html" in response.get("Content-Type", ""):
            page = response.content.decode()
            menus.append(page)
            to_visit |= links(page, url, within="desk-menu") - seen
    assert broken == []
    assert len(seen) >= (3 if role in ("applicant", "expert") else 6)
    if role not in ("applicant",):
        for page in menus:
            if 'class="mdc-list desk-menu"' in page:
                labels = menu_labels(page)
                assert len(labels) == len(set(labels)), labels  # one 审核, one of each


@pytest.mark.parametrize("role, hidden", [
    ("finance", set()), ("city", {"登记拨付"}), ("leader", {"Excel 导入", "登记拨付"}),
    ("admin", {"Excel 导入", "登记拨付"}), ("county", {"登记拨付"})])
def test_pages_a_role_may_not_use_are_not_in_its_menu(people, role, hidden):
    page = sign_in(Client(), people[role]).get("/desk/review/").content.decode()
    labels = menu_labels(page)
    assert labels.count("审核") == 1
    assert hidden.isdisjoint(labels) and (
        {"Excel 导入", "登记拨付", "待办与查询"} - hidden) <= set(labels)


def test_the_desk_opens_where_each_role_works(people):
    assert sign_in(Client(), people["expert"]).get("/desk/").url == "/desk/experts/"
    assert sign_in(Client(), people["finance"]).get("/desk/").url == "/desk/review/"
    refused = sign_in(Client(), people["applicant"]).get("/desk/")
    assert refused.status_code == 403
    assert "审核工作台仅供审核和管理人员使用" in refused.content.decode()
    assert Client().get("/desk/")["Location"].startswith("/accounts/login/")
