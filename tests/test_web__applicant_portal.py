"""The applicant portal end to end: register, apply, upload, submit, follow, edit when
returned; values kept and errors shown on bad input."""

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from accounts.models import User
from subsidy.demo import credit_code
from subsidy.models import Application, Attachment, Organisation
from workflows import services as engine
from workflows.stages import State

from .factories import ApplicationFactory, region
from .helpers import signed_in

PDF = b"%PDF-1.4\n%test\n"


@pytest.mark.django_db
def test_register_an_organisation_and_its_first_user(reference, programme):
    client = Client()
    data = {"username": "newco", "password1": "a-Strong-pass-2021", "password2":
            "a-Strong-pass-2021", "first_name": "王经办", "email": "wang@example.com",
            "phone": "0734-1234567", "org_name": "衡阳新材料有限公司",
            "uscc": credit_code("91", "430405", "MA4T0T0T1").lower(),
            "org_type": "enterprise", "region": region("430405").pk}
    bad = client.post("/register/", {**data, "uscc": "914304051234567890"})
    assert bad.status_code == 200
    assert "校验位不符" in bad.content.decode() and "衡阳新材料有限公司" in bad.content.decode()
    assert not User.objects.filter(username="newco").exists()
    good = client.post("/register/", data)
    assert good.status_code == 302 and good.url == "/my/"
    user = User.objects.get(username="newco")
    assert user.role == "applicant" and user.organisation.uscc == data["uscc"].upper()
    again = Client().post("/register/", {**data, "username": "other"})
    assert "该单位已注册" in again.content.decode()
    assert Organisation.objects.filter(name="衡阳新材料有限公司").count() == 1


@pytest.mark.django_db
def test_apply_in_category_21_upload_submit_and_follow(programme, applicant, county,
                                                       django_capture_on_commit_callbacks):
    client = signed_in(applicant)
    page = client.get(f"/programmes/{programme.pk}/").content.decode()
    assert "企业知识产权贯标培育" in page and "定额 30,000.00 元" in page
    form_url = f"/programmes/{programme.pk}/apply/21/"
    assert "认证证书编号" in client.get(form_url).content.decode()
    invalid = client.post(form_url, {"title": "贯标", "requested_amount": "abc",
                                     "project_summary": "我们的概述"})
    assert invalid.status_code == 422
    body = invalid.content.decode()
    assert "我们的概述" in body and "贯标" in body and "输入一个数字" in body
    created = client.post(form_url, {
        "title": "GB/T 29490 贯标认证", "requested_amount": "30000",
        "project_summary": "通过认证", "standard": "GB/T 29490-2013",
        "certificate_number": "18121IP0001",
        "certification_body": "中知认证", "certified_on": "2021-05-20"})
    app = Application.objects.get()
    assert created.status_code == 302 and created.url == f"/applications/{app.pk}/"
    detail = client.get(created.url).content.decode()
    assert "上传附件" in detail and "贯标认证证书" in detail and "提交申报" in detail
    refused = client.post(created.url, {"action": "submit"})
    assert refused.status_code == 422 and "缺少必备附件" in refused.content.decode()
    for kind in ("application_form", "certificate"):
        uploaded = client.post(created.url, {"kind": kind,
                                             "file": SimpleUploadedFile("证书.pdf", PDF)})
        assert uploaded.status_code == 303
    bad_file = client.post(created.url, {"kind": "certificate",
                                         "file": SimpleUploadedFile("x.pdf", b"MZ" + b"\0" * 99)})
    assert bad_file.status_code == 422 and "不允许的文件类型" in bad_file.content.decode()
    assert Attachment.objects.count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        submitted = client.post(created.url, {"action": "submit"})
    assert submitted.status_code == 303
    app.refresh_from_db()
    assert app.state == State.SUBMITTED
    page = client.get(created.url).content.decode()
    assert "等待所在县市区知识产权部门受理" in page and "提交申报" in page
    assert any(applicant.email in m.to for m in mail.outbox)
    assert "提交申报" in client.get("/notifications/").content.decode()


@pytest.mark.django_db
def test_returned_application_is_edited_and_resubmitted(programme, applicant, county):
    app = ApplicationFactory(programme=programme, organisation=applicant.organisation)
    from .factories import attach_required
    attach_required(app)
    Application.objects.filter(pk=app.pk).update(state=State.COUNTY_REVIEW)
    app.refresh_from_db()
    engine.perform(app, "return_for_revision", county, comment="请补充项目概述")
    client = signed_in(applicant)
    page = client.get(f"/applications/{app.pk}/").content.decode()
    assert "请补充项目概述" in page and "修改申报内容" in page and "修改后重新提交" in page
    edit = client.get(f"/applications/{app.pk}/edit/")
    assert edit.status_code == 200
    saved = client.post(f"/applications/{app.pk}/edit/", {
        "title": "补充后的项目", "requested_amount": "900", "project_summary": "已补充"})
    assert saved.status_code == 302
    resubmitted = client.post(f"/applications/{app.pk}/", {"action": "resubmit"})
    assert resubmitted.status_code == 303
    app.refresh_from_db()
    assert (app.state, app.title) == (State.COUNTY_REVIEW, "补充后的项目")


@pytest.mark.django_db
def test_colleagues_join_the_organisation(applicant):
    client = signed_in(applicant)
    response = client.post("/my/organisation/", {
        "add_member": "1", "username": "colleague", "first_name": "李", "email": "li@example.com",
        "password1": "a-Strong-pass-2021", "password2": "a-Strong-pass-2021"})
    assert response.status_code == 302
    colleague = User.objects.get(username="colleague")
    assert colleague.organisation == applicant.organisation and colleague.role == "applicant"


@pytest.mark.django_db
def test_a_submitted_application_cannot_be_edited(programme, applicant):
    app = ApplicationFactory(programme=programme, organisation=applicant.organisation)
    Application.objects.filter(pk=app.pk).update(state=State.SUBMITTED)
    client = signed_in(applicant)
    assert client.get(f"/applications/{app.pk}/edit/").status_code == 302
    refused = client.post(f"/applications/{app.pk}/edit/", {
        "title": "偷偷修改", "requested_amount": "900", "project_summary": "x"})
    assert refused.status_code == 422
    assert "当前状态下不能修改申报内容" in refused.content.decode()
    assert Application.objects.get(pk=app.pk).title != "偷偷修改"
