"""Uploading the current version of a material again (same SHA-256) stores nothing: the
applicant is told the file is unchanged, in the portal and through the API. A different
file, or an earlier version brought back, is a new version."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from subsidy.models import Attachment

from .api_client import ApiClient
from .factories import ApplicationFactory
from .helpers import signed_in

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
CHANGED = PDF + b"% v2\n"


@pytest.fixture
def draft(programme, applicant):
    return ApplicationFactory(programme=programme, organisation=applicant.organisation,
                              created_by=applicant)


def api_upload(user, app, name, content):
    client = ApiClient(user)
    return client.client.post(f"/api/v1/applications/{app.pk}/attachments",
                              {"kind": "application_form",
                               "file": SimpleUploadedFile(name, content)},
                              headers=client.headers)


def portal_upload(client, app, name, content):
    return client.post(f"/applications/{app.pk}/", {
        "kind": "application_form", "file": SimpleUploadedFile(name, content)}, follow=True)


@pytest.mark.django_db
def test_the_api_answers_unchanged_and_stores_nothing(draft, applicant):
    assert api_upload(applicant, draft, "申报书.pdf", PDF).status_code == 201
    again = api_upload(applicant, draft, "申报书-再传.pdf", PDF)
    assert again.status_code == 200
    body = again.json()
    assert body["unchanged"] is True and body["version"] == 1
    assert body["original_name"] == "申报书.pdf"
    assert "内容相同，未保存为新版本" in body["detail"]
    assert Attachment.objects.filter(application=draft).count() == 1


@pytest.mark.django_db
def test_the_portal_says_unchanged_and_keeps_one_version(draft, applicant):
    client = signed_in(applicant)
    first = portal_upload(client, draft, "申报书.pdf", PDF)
    assert "附件已上传" in first.content.decode()
    again = portal_upload(client, draft, "申报书.pdf", PDF)
    page = again.content.decode()
    assert again.status_code == 200
    assert "该文件与当前版本（第 1 版 申报书.pdf）内容相同，未保存为新版本。" in page
    assert "附件已上传" not in page
    assert list(Attachment.objects.filter(application=draft).values_list("version", flat=True)) \
        == [1]


@pytest.mark.django_db
def test_a_changed_file_and_an_earlier_version_brought_back_are_new_versions(draft, applicant):
    assert api_upload(applicant, draft, "v1.pdf", PDF).status_code == 201
    assert api_upload(applicant, draft, "v2.pdf", CHANGED).json()["version"] == 2
    back = api_upload(applicant, draft, "v1-again.pdf", PDF)  # differs from the current v2
    assert back.status_code == 201 and back.json()["version"] == 3
    assert api_upload(applicant, draft, "v1-again.pdf", PDF).json()["unchanged"] is True
    assert Attachment.objects.filter(application=draft).count() == 3
