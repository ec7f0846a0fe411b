"""Category 21 企业知识产权贯标培育: the certificate's date within the programme's window
(the refusal names it), GB/T 29490-2023 (a GB/T 29490-2013 certificate dated on or after
2024-01-01 is refused with that reason), and one reward per certificate: a second
application with the same certificate, in any programme, is flagged as shared patents are,
and its approval refused while the first holds its money."""

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from subsidy.flags import flags_for
from subsidy.models import Application, IdentifierClaim
from workflows import services as engine
from workflows.exceptions import GuardFailed
from workflows.stages import State

from .factories import ApplicationFactory, ProgrammeFactory, category, valid_form_data
from .helpers import signed_in

CERTIFIED = {"title": "GB/T 29490-2023 知识产权合规管理体系贯标认证", "requested_amount": "30000",
             "project_summary": "通过贯标认证。", "standard": "GB/T 29490-2023",
             "certificate_number": "18124IP0325R0M",
             "certification_body": "中知（北京）认证有限公司",
             "certified_on": "2024-05-20"}


def apply(user, programme, **changes):
    return signed_in(user).post(f"/programmes/{programme.pk}/apply/21/",
                                {**CERTIFIED, **changes})


@pytest.fixture
def programme_2024(reference):
    return ProgrammeFactory(year=2024, implementation_start=date(2024, 1, 1),
                            implementation_end=date(2024, 11, 30))


@pytest.mark.django_db
def test_a_2023_certificate_within_the_window_is_accepted(programme_2024, applicant):
    response = apply(applicant, programme_2024)
    assert response.status_code == 302, response.content.decode()
    app = Application.objects.get(organisation=applicant.organisation)
    assert app.form_data["standard"] == "GB/T 29490-2023"


@pytest.mark.django_db
def test_a_certificate_dated_outside_the_window_is_refused_naming_it(programme_2024, applicant):
    response = apply(applicant, programme_2024, certified_on="2023-12-31")
    assert response.status_code == 422
    assert "发证日期须在本计划实施期 2024-01-01 至 2024-11-30 之内（所填为 2023-12-31）" in \
        response.content.decode()


@pytest.mark.django_db
def test_a_2013_certificate_dated_from_2024_is_refused_with_the_reason(programme_2024,
                                                                      applicant):
    response = apply(applicant, programme_2024, standard="GB/T 29490-2013",
                     certified_on="2024-01-01")
    assert response.status_code == 422
    assert ("GB/T 29490-2013 已于 2024-01-01 被 GB/T 29490-2023 代替，"
            "2024-01-01 及以后的证书须依据 GB/T 29490-2023") in response.content.decode()


@pytest.mark.django_db
def test_a_2013_certificate_dated_before_2024_still_counts(programme, applicant):
    response = apply(applicant, programme, standard="GB/T 29490-2013",
                     certified_on="2021-06-01")
    assert response.status_code == 302, response.content.decode()


@pytest.mark.django_db
def test_the_same_certificate_in_another_programme_is_flagged(programme, programme_2024,
                                                             applicant, other_applicant):
    assert apply(applicant, programme, standard="GB/T 29490-2013", certified_on="2021-06-01",
                 certificate_number="18121IP0325R0M").status_code == 302
    assert apply(other_applicant, programme_2024,
                 certificate_number="１８１２１ip0325r0m").status_code == 302
    first = Application.objects.get(organisation=applicant.organisation)
    second = Application.objects.get(organisation=other_applicant.organisation)
    assert IdentifierClaim.objects.get(application=second).number == "18121IP0325R0M"
    flags = flags_for(Application.objects.filter(pk__in=[first.pk, second.pk])
                      .select_related("category", "organisation"))
    assert f"认证证书编号 18121IP0325R0M 同时在申报 {first.number} 中使用" in \
        [str(f) for f in flags[second.pk]]
    assert f"认证证书编号 18121IP0325R0M 同时在申报 {second.number} 中使用" in \
        [str(f) for f in flags[first.pk]]


@pytest.mark.django_db
def test_labels_fixtures_and_demo_name_the_2023_standard(reference):
    from subsidy.demo.content import TITLES

    certification = category("21")
    assert "GB/T 29490-2023" in certification.name_en
    assert "GB/T 29490-2023" in certification.description
    assert all("GB/T 29490-2023" in title for title in TITLES["21"])
    fixture = Path(__file__).resolve().parent.parent / "fixtures" / "categories.json"
    for row in json.loads(fixture.read_text()):
        text = json.dumps(row, ensure_ascii=False)
        for mention in text.split("GB/T 29490")[1:]:
            assert mention.startswith(("-2023", "-2013 已于", "-2013 企业知识产权管理规范（2024",
                                       "-2013\"")), mention[:40]


def in_city_review(programme, certificate):
    from subsidy.services import record_identifier_claims

    app = ApplicationFactory(programme=programme, category=category("21"), form_data={
        **valid_form_data(category("21")), "certificate_number": certificate},
        requested_amount=Decimal("30000"))
    record_identifier_claims(app)
    Application.objects.filter(pk=app.pk).update(state=State.CITY_REVIEW)
    return Application.objects.get(pk=app.pk)


@pytest.mark.django_db
def test_a_certificate_already_rewarded_is_refused_on_approval(programme, programme_2024,
                                                              city):
    first = in_city_review(programme, "18121IP0325R0M")
    engine.perform(first, "approve", city)
    second = in_city_review(programme_2024, "18121ip 0325 r0m")
    with pytest.raises(GuardFailed) as refused:
        engine.perform(second, "approve", city)
    assert refused.value.reasons()["zh-hans"] == (
        f"认证证书编号 18121IP0325R0M 已在申报 {first.number} 中核定资助，同一编号只资助一次。")
    other = in_city_review(programme_2024, "18121IP0999R0M")
    engine.perform(other, "approve", city)
    assert other.approved_amount == Decimal("30000.00")


@pytest.mark.django_db
def test_one_certificate_twice_in_one_bulk_approval_is_approved_once(programme, city):
    apps = [in_city_review(programme, "18121IP0325R0M") for _ in range(2)]
    result = engine.perform_bulk(Application.objects.filter(pk__in=[a.pk for a in apps]),
                                 "approve", city)
    assert len(result.entries) == 1 and len(result.refused) == 1


@pytest.mark.django_db
def test_the_blank_form_names_the_standards_to_choose_from(programme):
    from subsidy.printed_form import blank_form

    pc = programme.programme_categories.get(category__code="21")
    rows = {row.label: row for row in blank_form(pc).sections[2][1]}
    assert rows["认证依据标准"].note.startswith(
        "选填其一：GB/T 29490-2023 企业知识产权合规管理体系 要求")
