"""The inbox's filters: city staff choose a county (县市区), county reviewers are not offered
one and cannot reach another county through it; everyone searches one box by application
number, organisation name or credit code (whole or in part, any case, full-width digits);
the choice filters start at 全部."""

import re

import pytest

from accounts.models import Role
from subsidy.models import Organisation
from workflows.stages import State

from .factories import ApplicationFactory, UserFactory, region
from .helpers import at, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def listed(programme):
    """Three applications in city review, in two counties."""
    def make(number, name, code):
        return at(ApplicationFactory(programme=programme, number=number,
                                     title=f"{name}的项目", organisation__name=name,
                                     organisation__region=region(code)), State.CITY_REVIEW)
    return {"zhuhui": make("2021-01-0007", "衡阳智造科技有限公司", "430405"),
            "hengdong": make("2021-02-0012", "衡东新材料股份有限公司", "430424"),
            "zhuhui2": make("2021-21-0031", "珠晖精密机械厂", "430405")}


def titles(client, query) -> set[str]:
    page = client.get(f"/desk/review/?{query}").content.decode()
    return set(re.findall(r"<td>([^<]*的项目)", page))


def test_city_staff_filter_by_county(listed, city):
    client = signed_in(city)
    page = client.get("/desk/review/").content.decode()
    assert 'name="region"' in page
    zhuhui = region("430405")
    assert titles(client, f"region={zhuhui.pk}") == {"衡阳智造科技有限公司的项目",
                                                     "珠晖精密机械厂的项目"}
    hengdong = region("430424").pk
    assert titles(client, f"region={hengdong}&q=衡东") == {"衡东新材料股份有限公司的项目"}


def test_a_county_reviewer_is_not_offered_a_county_nor_reaches_another(listed, county):
    client = signed_in(county)  # 珠晖区
    page = client.get("/desk/review/?all=1").content.decode()
    assert 'name="region"' not in page
    other = region("430424").pk
    assert titles(client, f"region={other}&all=1") == {"衡阳智造科技有限公司的项目",
                                                       "珠晖精密机械厂的项目"}
    assert titles(client, f"region={other}&q=衡东") == set()  # still only their own county


@pytest.mark.parametrize("query,expected", [
    ("q=2021-02-0012", {"hengdong"}),           # the whole number
    ("q=0031", {"zhuhui2"}),                    # part of it
    ("q=精密机械", {"zhuhui2"}),                 # part of the organisation's name
    ("q=+有限公司+", {"zhuhui", "hengdong"}),   # spaces around ignored
])
def test_search_by_number_and_organisation_name(listed, city, query, expected):
    names = {key: f"{app.organisation.name}的项目" for key, app in listed.items()}
    assert titles(signed_in(city), query) == {names[key] for key in expected}


def test_search_by_credit_code_whole_partial_any_case_full_width(listed, city):
    client = signed_in(city)
    code = Organisation.objects.get(name="衡东新材料股份有限公司").uscc
    wanted = {"衡东新材料股份有限公司的项目"}
    assert titles(client, f"q={code}") == wanted
    assert titles(client, f"q={code[4:12]}") == wanted
    assert titles(client, f"q={code.lower()}") == wanted
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in code[-8:])  # as pasted from a document
    assert titles(client, f"q={full_width}") == wanted
    assert titles(client, "q=91430499ZZZZ") == set()


def test_finance_searches_too_within_what_it_sees(listed, reference):
    paid = listed["hengdong"]
    at(paid, State.DISBURSEMENT_NOTIFIED)
    client = signed_in(UserFactory(role=Role.FINANCE))
    assert titles(client, f"q={paid.organisation.uscc}") == {"衡东新材料股份有限公司的项目"}
    assert titles(client, f"q={listed['zhuhui'].number}") == set()  # not in its states


def test_choice_filters_start_at_all(listed, city):
    page = signed_in(city).get("/desk/review/").content.decode()
    for name in ("state", "category", "region"):
        select = re.search(rf'<select name="{name}"[^>]*>\s*<option value=""[^>]*>([^<]*)</option>',
                           page)
        assert select and select.group(1) == "全部", name
    assert "---------" not in page
