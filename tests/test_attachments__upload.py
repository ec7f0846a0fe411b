"""Uploads: checked by content, size and archive expansion; versioned; served only to those
who may see the application."""

import hashlib
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from subsidy.models import Application, Attachment
from workflows.stages import State

from .api_client import ApiClient
from .factories import ApplicationFactory
from .helpers import sign_in

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


@pytest.fixture
def draft(programme, applicant):
    return ApplicationFactory(programme=programme, organisation=applicant.organisation,
                              created_by=applicant)


def upload(user, app, name, content, kind="application_form"):
    client = ApiClient(user)
    return client.client.post(f"/api/v1/applications/{app.pk}/attachments",
                              {"kind": kind, "file": SimpleUploadedFile(name, content)},
                              headers=client.headers)


def zip_bytes(entries):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.django_db
def test_a_pdf_is_stored_with_its_hash_and_versioned(draft, applicant):
    first = upload(applicant, draft, "申报书.pdf", PDF)
    assert first.status_code == 201, first.json()
    body = first.json()
    assert body["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert body["content_type"] == "application/pdf" and body["version"] == 1
    second = upload(applicant, draft, "申报书-修改.pdf", PDF + b"% v2\n")
    assert second.json()["version"] == 2
    stored = Attachment.objects.order_by("version")
    assert [a.version for a in stored] == [1, 2]
    assert stored[0].file.name != stored[1].file.name  # the first is never overwritten
    assert stored[0].file.read() == PDF


@pytest.mark.django_db
@pytest.mark.parametrize("name, content, message", [
    ("big.pdf", PDF + b"0" * 1_000_000, "文件超过上限 976.6\xa0KB，未接收"),  # while arriving
    ("invoice.pdf", b"MZ\x90\x00\x03" + b"\x00" * 500, "不允许的文件类型"),
    ("tool.pdf", b"\x7fELF\x02\x01\x01" + b"\x00" * 500, "不允许的文件类型"),
    ("bomb.zip", zip_bytes({"zeros.txt": b"\x00" * 5_000_000}), "压缩炸弹"),
    ("page.pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>", "不允许的文件类型"),
    ("photo.png", b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>",
     "不允许的文件类型"),
    ("run.pdf", b"#!/bin/sh\nrm -rf /\n", "不允许的文件类型"),
    ("macro.docx", b"PK\x03\x04" + b"\x00" * 200, "已损坏"),
    ("slip.zip", zip_bytes({"../../etc/cron.d/evil": b"x"}), "路径跳转"),
    ("abs.zip", zip_bytes({"/etc/passwd": b"x"}), "路径跳转"),
    ("win.zip", zip_bytes({"..\\..\\windows\\evil.dll": b"x"}), "路径跳转"),
])
def test_hostile_uploads_are_refused_and_nothing_is_stored(name, content, message, draft,
                                                           applicant, settings):
    settings.ATTACHMENT_MAX_BYTES = 1_000_000
    settings.ATTACHMENT_MAX_UNZIPPED_BYTES = 1_000_000
    response = upload(applicant, draft, name, content)
    assert response.status_code == 422, response.json()
    assert message in response.json()["errors"]["file"][0]
    assert not Attachment.objects.exists()


@pytest.mark.django_db
def test_the_portal_says_an_oversize_file_was_not_received(draft, applicant, settings):
    settings.ATTACHMENT_MAX_BYTES = 100_000
    response = sign_in(Client(), applicant).post(f"/applications/{draft.pk}/", {
        "kind": "application_form",
        "file": SimpleUploadedFile("big.pdf", PDF + b"0" * 300_000)})
    assert response.status_code == 422
    assert "文件超过上限 97.7\xa0KB，未接收。" in response.content.decode()
    assert not Attachment.objects.exists()


@pytest.mark.django_db
def test_an_archive_over_the_total_size_limit_is_refused(draft, applicant, settings):
    """Each entry incompressible (ratio about 1), together more than the limit expands to."""
    import os

    settings.ATTACHMENT_MAX_UNZIPPED_BYTES = 100_000
    content = zip_bytes({f"{i}.bin": os.urandom(40_000) for i in range(3)})
    response = upload(applicant, draft, "many.zip", content)
    assert response.status_code == 422 and "压缩炸弹" in response.json()["errors"]["file"][0]
    assert not Attachment.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["../../etc/申报书.pdf", "..\\windows\\a.pdf", "/abs/a.pdf",
                                  "dir/a.pdf"])
def test_a_path_in_the_file_name_is_refused(name, draft, applicant):
    """Django keeps only the base name; the name as sent is checked and refused."""
    client = ApiClient(applicant)
    response = client.client.generic(
        "POST", f"/api/v1/applications/{draft.pk}/attachments", multipart(name, PDF),
        content_type="multipart/form-data; boundary=BoUnDaRy", headers=client.headers)
    assert response.status_code == 422, response.json()
    assert "文件名不能包含路径" in response.json()["errors"]["file"][0]
    assert not Attachment.objects.exists()


@pytest.mark.django_db
def test_a_path_in_the_file_name_is_refused_on_the_web_form(draft, applicant):
    from django.test import Client

    client = Client()
    sign_in(client, applicant)
    response = client.post(f"/applications/{draft.pk}/", {
        "kind": "application_form",
        "file": SimpleUploadedFile("x.pdf", PDF)})
    assert response.status_code == 303  # a plain name is fine
    tricky = client.generic(
        "POST", f"/applications/{draft.pk}/", multipart("../../etc/a.pdf", PDF),
        content_type="multipart/form-data; boundary=BoUnDaRy")
    assert tricky.status_code == 422 and "文件名不能包含路径" in tricky.content.decode()
    assert Attachment.objects.count() == 1


def multipart(filename: str, content: bytes) -> bytes:
    """A multipart body with the file name exactly as given (test clients strip paths)."""
    return (b"--BoUnDaRy\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\n"
            b"application_form\r\n--BoUnDaRy\r\nContent-Disposition: form-data; name=\"file\"; "
            b"filename=\"" + filename.encode() + b"\"\r\nContent-Type: application/pdf\r\n\r\n"
            + content + b"\r\n--BoUnDaRy--\r\n")


@pytest.mark.django_db
def test_the_service_refuses_a_path_given_directly(draft, applicant):
    from subsidy.attachments import add_attachment

    for name in ("../../etc/passwd.pdf", "..\\windows.pdf", "/abs/a.pdf"):
        with pytest.raises(ValidationError, match="路径"):
            add_attachment(applicant, draft, "application_form", ContentFile(PDF, name=name))
    assert not Attachment.objects.exists()


@pytest.mark.django_db
def test_office_documents_images_and_zips_are_accepted(draft, applicant):
    docx = zip_bytes({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"})
    png = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02"
           b"\x00\x00\x00\x90wS\xde")
    for name, content in [("说明.docx", docx), ("照片.png", png)]:
        assert upload(applicant, draft, name, content).status_code == 201, name


@pytest.mark.django_db
def test_unknown_kind_and_wrong_state_are_refused(draft, applicant):
    assert "kind" in upload(applicant, draft, "a.pdf", PDF, kind="nonsense").json()["errors"]
    Application.objects.filter(pk=draft.pk).update(state=State.COUNTY_REVIEW)
    assert upload(applicant, draft, "a.pdf", PDF).status_code == 422


@pytest.mark.django_db
def test_only_the_owner_uploads_and_only_viewers_download(draft, applicant, other_applicant,
                                                          county, other_county):
    attachment_id = upload(applicant, draft, "申报书.pdf", PDF).json()["id"]
    assert upload(other_applicant, draft, "x.pdf", PDF).status_code == 404
    path = f"/applications/{draft.pk}/attachments/{attachment_id}"
    owner = ApiClient(applicant).get(path)
    assert owner.status_code == 200 and b"".join(owner.streaming_content) == PDF
    assert "attachment;" in owner["Content-Disposition"]
    assert ApiClient(other_applicant).get(path).status_code == 404
    Application.objects.filter(pk=draft.pk).update(state=State.SUBMITTED)
    assert ApiClient(county).get(path).status_code == 200
    assert ApiClient(other_county).get(path).status_code == 404
    assert upload(county, draft, "x.pdf", PDF).status_code == 403
