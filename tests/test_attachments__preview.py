"""Attachments previewed in the browser (PDF and images shown inline, sandboxed) as well as
downloaded; every other file is only ever downloaded, and a preview is allowed exactly
where the download is."""

import io

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.utils.http import content_disposition_header
from PIL import Image

from accounts.models import Role
from subsidy.models import Application, ExpertAssignment
from workflows.stages import State

from .factories import ApplicationFactory, AttachmentFactory, UserFactory
from .helpers import signed_in

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


def image(kind: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(buffer, kind)
    return buffer.getvalue()


def attach(app, name, content_type, data):
    return AttachmentFactory(application=app, kind=name, original_name=name,
                             content_type=content_type, file=ContentFile(data, name="f"))


@pytest.fixture
def files(programme, applicant):
    app = ApplicationFactory(programme=programme, organisation=applicant.organisation,
                             created_by=applicant)
    Application.objects.filter(pk=app.pk).update(state=State.COUNTY_REVIEW)
    zip_bytes = b"PK\x05\x06" + b"\x00" * 18  # an empty archive
    return app, {
        "pdf": attach(app, "证书.pdf", "application/pdf", PDF),
        "png": attach(app, "照片.png", "image/png", image("PNG")),
        "jpeg": attach(app, "凭证.jpg", "image/jpeg", image("JPEG")),
        "zip": attach(app, "材料.zip", "application/zip", zip_bytes),
        # recorded as an image at upload, but the stored bytes are a page with a script
        "forged": attach(app, "伪装.png", "image/png",
                         b"<html><script>alert(document.cookie)</script></html>"),
    }


def portal_url(app, attachment):
    return f"/applications/{app.pk}/attachments/{attachment.pk}/"


def desk_url(app, attachment):
    return f"/desk/review/{app.pk}/attachments/{attachment.pk}/"


def served(response) -> bytes:
    return b"".join(response.streaming_content)


def assert_safe(response):
    assert response["X-Content-Type-Options"] == "nosniff"
    policy = response["Content-Security-Policy"]
    assert policy.startswith("sandbox;") and "default-src 'none'" in policy
    assert "script-src" not in policy and "allow-" not in policy
    assert response["Cache-Control"] == "private"


@pytest.mark.parametrize("name, content_type", [
    ("pdf", "application/pdf"), ("png", "image/png"), ("jpeg", "image/jpeg")])
def test_pdf_and_images_are_shown_in_the_browser(files, applicant, county, name, content_type):
    app, by_name = files
    attachment = by_name[name]
    for client, url in ((signed_in(applicant), portal_url(app, attachment)),
                        (signed_in(county), desk_url(app, attachment))):
        response = client.get(url + "?preview=1")
        assert response.status_code == 200
        assert response["Content-Type"] == content_type
        assert response["Content-Disposition"] == content_disposition_header(
            False, attachment.original_name)  # inline, under its own name
        assert_safe(response)
        assert served(response) == attachment.file.open("rb").read()
        download = client.get(url)  # the link without ?preview=1 still downloads
        assert download["Content-Disposition"].startswith("attachment;")
        assert_safe(download)


def test_other_files_are_only_downloaded(files, applicant, county):
    app, by_name = files
    for name in ("zip", "forged"):
        for client, url in ((signed_in(applicant), portal_url(app, by_name[name])),
                            (signed_in(county), desk_url(app, by_name[name]))):
            response = client.get(url + "?preview=1")
            assert response.status_code == 200
            assert response["Content-Disposition"].startswith("attachment;"), name
            assert_safe(response)


def test_a_preview_is_refused_where_the_download_is(files, other_applicant, other_county,
                                                    city, finance):
    app, by_name = files
    pdf = by_name["pdf"]
    assert signed_in(other_applicant).get(portal_url(app, pdf) + "?preview=1") \
        .status_code == 404
    assert signed_in(other_county).get(desk_url(app, pdf) + "?preview=1").status_code == 404
    assert signed_in(finance).get(desk_url(app, pdf) + "?preview=1").status_code == 404
    assert signed_in(city).get(desk_url(app, pdf) + "?preview=1").status_code == 200
    anonymous = Client().get(portal_url(app, pdf) + "?preview=1")
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous.url
    expert, assigned = UserFactory(role=Role.EXPERT), UserFactory(role=Role.EXPERT)
    ExpertAssignment.objects.create(application=app, expert=assigned, assigned_by=city)
    url = f"/desk/experts/applications/{app.pk}/attachments/{pdf.pk}/?preview=1"
    assert signed_in(expert).get(url).status_code == 404
    response = signed_in(assigned).get(url)
    assert response.status_code == 200 and response["Content-Disposition"].startswith("inline;")


def test_the_list_offers_preview_only_for_pdf_and_images(files, applicant, county):
    app, by_name = files
    pages = {portal_url: signed_in(applicant).get(f"/applications/{app.pk}/"),
             desk_url: signed_in(county).get(f"/desk/review/{app.pk}/")}
    for url_of, response in pages.items():
        page = response.content.decode()
        for name, attachment in by_name.items():
            url = url_of(app, attachment)
            assert f'href="{url}"' in page, name  # 下载, for every file
            assert (f'href="{url}?preview=1"' in page) == (name != "zip"), name
        assert "预览" in page and "下载" in page
