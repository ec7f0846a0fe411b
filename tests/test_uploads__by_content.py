"""Uploads are what they say they are: the name's extension must agree with the content, a
file carrying an archive anywhere gets the archive checks, and objectors' evidence goes
through the same checks as applicants' files and is served with the type its bytes have."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from publicity.models import Objection
from subsidy.models import Attachment

from .factories import ApplicationFactory
from .helpers import signed_in
from .publicity_data import TODAY, objection_data, published_batch
from .test_attachments__upload import PDF, upload, zip_bytes

pytestmark = pytest.mark.django_db
JPEG = bytes.fromhex("ffd8ffe000104a46494600010100000100010000ffdb004300") + b"\x00" * 200


@pytest.fixture
def draft(programme, applicant):
    return ApplicationFactory(programme=programme, organisation=applicant.organisation,
                              created_by=applicant)


@pytest.mark.parametrize("name, content, message", [
    ("申报书.bat", PDF + b"\r\n@echo off\r\nformat c:\r\n", "扩展名（.bat）与文件内容（PDF）不符"),
    ("申报书.hta", PDF + b"<script>alert(1)</script>", "扩展名（.hta）与文件内容（PDF）不符"),
    ("x.pdf.exe", PDF, "扩展名（.exe）与文件内容（PDF）不符"),
    ("申报书", PDF, "扩展名（无）与文件内容（PDF）不符"),
    ("page.html", b"<!DOCTYPE html><html><body>hi</body></html>", "不允许的文件类型"),
    ("slip.pdf", PDF + zip_bytes({"../../etc/cron.d/evil": b"x"}), "路径跳转"),
    ("bomb.pdf", PDF + zip_bytes({"zeros.bin": b"\x00" * 5_000_000}), "压缩炸弹"),
])
def test_disguised_files_are_refused(name, content, message, draft, applicant, settings):
    settings.ATTACHMENT_MAX_UNZIPPED_BYTES = 1_000_000
    response = upload(applicant, draft, name, content)
    assert response.status_code == 422, response.json()
    assert message in response.json()["errors"]["file"][0]
    assert not Attachment.objects.exists()


def test_the_stored_name_keeps_the_extension_the_content_agreed_with(draft, applicant):
    assert upload(applicant, draft, "扫描件.JPG", JPEG).status_code == 201
    stored = Attachment.objects.get()
    assert stored.content_type == "image/jpeg" and stored.file.name.endswith(".jpg")
    assert stored.original_name == "扫描件.JPG"


@pytest.mark.today(TODAY)
def test_objectors_files_get_the_same_checks_and_are_served_as_what_they_are(programme, city):
    batch, apps = published_batch(programme, city)
    disguised = Client().post(f"/publicity/{batch.pk}/", {
        **objection_data(apps[0]), "evidence": SimpleUploadedFile("证据.bat", PDF)})
    assert disguised.status_code == 422 and "扩展名（.bat）" in disguised.content.decode()
    assert not Objection.objects.exists()
    posted = Client().post(f"/publicity/{batch.pk}/", {
        **objection_data(apps[0]), "evidence": SimpleUploadedFile("证据.pdf", PDF)})
    assert posted.status_code == 303
    objection = Objection.objects.get()
    assert objection.evidence.name.endswith(".pdf")
    served = signed_in(city).get(f"/desk/publicity/{batch.pk}/objections/{objection.pk}/evidence/")
    assert served.status_code == 200
    assert served["Content-Type"] == "application/pdf"
    assert served["Content-Disposition"].startswith("attachment")
    assert served["X-Content-Type-Options"] == "nosniff"
