"""After a return for revision the reviewer sees what the applicant changed: form fields
old → new with the labels of the category's form definition, and new attachment versions,
on the desk's application page and in the timeline; each return is its own round."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from subsidy.models import Revision
from workflows import services as engine
from workflows.stages import State

from .api_client import ApiClient
from .factories import ApplicationFactory, attach_required
from .helpers import at, signed_in

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


@pytest.fixture
def returned(programme, applicant, county):
    app = ApplicationFactory(programme=programme, organisation=applicant.organisation,
                             title="旧项目名称", form_data={"project_summary": "旧的概述"})
    attach_required(app)
    app = at(app, State.COUNTY_REVIEW)
    engine.perform(app, "return_for_revision", county, comment="请补充项目概述")
    return app


def revise(client, app, **fields):
    data = {"title": app.title, "requested_amount": "1000.00",
            "project_summary": app.form_data["project_summary"], **fields}
    assert client.post(f"/applications/{app.pk}/edit/", data).status_code == 302
    app.refresh_from_db()


def upload(client, app, name, content):
    client.post(f"/applications/{app.pk}/", {"kind": "application_form",
                                             "file": SimpleUploadedFile(name, content)})


def desk(reviewer, app) -> str:
    return signed_in(reviewer).get(f"/desk/review/{app.pk}/").content.decode()


@pytest.mark.django_db
def test_the_reviewer_sees_old_and_new_values_and_the_new_version(returned, applicant,
                                                                 county):
    client = signed_in(applicant)
    revise(client, returned, title="新项目名称", project_summary="补充后的概述")
    upload(client, returned, "申报书-补充.pdf", PDF)
    while_returned = desk(county, returned)
    assert "退回后的修改" in while_returned and "申报单位尚未重新提交" in while_returned

    engine.perform(returned, "resubmit", applicant)
    page = desk(county, returned)
    assert "退回后的修改" in page
    assert "<del>旧项目名称</del> → <ins>新项目名称</ins>" in page
    assert "<td>项目概述</td>" in page  # the label from the category's form definition
    assert "<del>旧的概述</del> → <ins>补充后的概述</ins>" in page
    assert "申请金额（元）</td>" not in page.split("退回后的修改")[1].split("</table>")[0]
    assert "<del>v1 申报书.pdf</del>" in page and "v2 申报书-补充.pdf" in page
    assert "自退回以来的修改" in page  # the timeline has it too, under the resubmission
    timeline = client.get(f"/applications/{returned.pk}/").content.decode()
    assert "<del>旧项目名称</del> → <ins>新项目名称</ins>" in timeline


@pytest.mark.django_db
def test_the_round_records_the_application_as_returned(returned, applicant):
    client = signed_in(applicant)
    revise(client, returned, title="第一次修改")
    revise(client, returned, title="第二次修改")
    revision = Revision.objects.get(application=returned)
    assert revision.returned_seq == returned.audit_seq
    assert revision.before["title"] == "旧项目名称"
    assert revision.after["title"] == "第二次修改"


@pytest.mark.django_db
def test_a_round_without_changes_says_so(returned, applicant, county):
    engine.perform(returned, "resubmit", applicant)
    page = desk(county, returned)
    assert "退回后未修改申报内容，也未上传新附件。" in page
    assert not Revision.objects.exists()


@pytest.mark.django_db
def test_after_the_next_step_the_page_block_goes_and_the_timeline_keeps_each_round(
        returned, applicant, county):
    client = signed_in(applicant)
    revise(client, returned, title="第一轮名称")
    engine.perform(returned, "resubmit", applicant)
    engine.perform(returned, "return_for_revision", county, comment="再改一次")
    revise(client, returned, project_summary="第二轮概述")
    engine.perform(returned, "resubmit", applicant)
    engine.perform(returned, "recommend", county)
    page = desk(county, returned)
    assert "退回后的修改" not in page  # the reviewer has acted since
    assert page.count("自退回以来的修改") == 2
    assert "<del>旧项目名称</del> → <ins>第一轮名称</ins>" in page
    assert "<del>旧的概述</del> → <ins>第二轮概述</ins>" in page
    assert Revision.objects.filter(application=returned).count() == 2


@pytest.mark.django_db
def test_the_api_history_carries_the_changes(returned, applicant, county):
    client = signed_in(applicant)
    revise(client, returned, project_summary="补充后的概述")
    upload(client, returned, "申报书-补充.pdf", PDF)
    engine.perform(returned, "resubmit", applicant)
    history = ApiClient(county).get(f"/applications/{returned.pk}").json()["history"]
    resubmitted = history[-1]
    assert resubmitted["transition"] == "resubmit"
    changes = resubmitted["changes"]
    assert changes["returned_seq"] == history[-2]["seq"]
    assert changes["fields"] == [{"label": "项目概述", "old": "旧的概述", "new": "补充后的概述"}]
    assert [(a["version"], a["replaces_version"], a["original_name"])
            for a in changes["attachments"]] == [(2, 1, "申报书-补充.pdf")]
    assert history[-2]["changes"] is None
