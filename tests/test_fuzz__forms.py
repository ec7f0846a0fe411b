"""Hypothesis over the applicant's forms: whatever is typed in (or posted by hand), the
forms, the services and the portal pages answer with a page or a refusal (400 for a NUL
character, which config/middleware.py refuses up front), never a 500.

Bounded: FUZZ_FORM_EXAMPLES examples per property (default 40).
"""

import os
import string

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import HealthCheck, example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from subsidy.forms import application_form_class
from subsidy.models import Category
from subsidy.services import create_application, update_application
from workflows.exceptions import TransitionRefused

from .factories import ApplicationFactory, ensure_reference_data
from .helpers import signed_in

EXAMPLES = int(os.environ.get("FUZZ_FORM_EXAMPLES", "40"))
FUZZ = hypothesis_settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
                           suppress_health_check=list(HealthCheck))

#: Values people (and scripts) put in form fields: numbers in every spelling, dates that do
#: not exist, patent numbers nearly right, huge and odd text.
tricky = st.sampled_from([
    "", " ", "0", "-1", "0.001", "1e9999", "-1e-9999", "NaN", "nan", "Infinity", "-inf",
    "99999999999999999999.99", "1,000", "１２３", "٣", "2021-02-30", "0000-00-00",
    "9999-12-31", "2021/06/01", "ZL201310699744.2", "ZL2013106997442", "201310699744.X",
    "ZL2013 1069 9744.2", "x" * 6000, "<script>alert(1)</script>", "'; DROP TABLE x;--",
    "%s%s%n", "{{ 7*7 }}", "\u202e", "\ud7ff", "𠀀𠀁", "\r\n\r\n", "\t",
])
value = st.one_of(tricky, st.text(max_size=40),
                  st.text(alphabet=string.digits + ".-eE+,", max_size=25),
                  st.integers(min_value=-(10**30), max_value=10**30).map(str),
                  st.dates().map(lambda d: d.isoformat()))


@st.composite
def form_posts(draw, field_names):
    """A POST dict: each known field present or not, some unknown fields too."""
    data = {}
    for name in field_names:
        if draw(st.booleans()):
            data[name] = draw(value)
    for _ in range(draw(st.integers(0, 2))):
        data[draw(st.text(string.ascii_lowercase, min_size=1, max_size=8))] = draw(value)
    return data


def field_names(category) -> list[str]:
    return ["title", "requested_amount", *[f["name"] for f in category.form_fields]]


def category_codes() -> list[str]:
    """Every category of the reference data (it has each form field type)."""
    import json
    from pathlib import Path

    fixture = Path(__file__).resolve().parent.parent / "fixtures" / "categories.json"
    return sorted(row["fields"]["code"] for row in json.loads(fixture.read_text())
                  if row["model"] == "subsidy.category")


@pytest.mark.django_db
@pytest.mark.parametrize("code", category_codes())
def test_category_forms_validate_anything_and_clean_to_json(code, reference):
    import json

    category = Category.objects.get(code=code)
    form_class = application_form_class(category)

    @FUZZ
    @given(form_posts(field_names(category)))
    def check(data):
        form = form_class(data)
        if form.is_valid():
            json.dumps(form.form_data())  # what is stored must be JSON
            assert form.cleaned_data["requested_amount"] > 0

    check()


@pytest.mark.django_db
def test_the_create_and_update_services_only_refuse(programme, applicant):
    ensure_reference_data()
    categories = list(Category.objects.order_by("code"))

    @FUZZ
    @given(st.sampled_from(categories).flatmap(
        lambda c: st.tuples(st.just(c), form_posts(field_names(c)))))
    def check(case):
        category, data = case
        try:
            app = create_application(applicant, programme, category, data)
        except (ValidationError, PermissionDenied):
            return
        try:
            update_application(applicant, app, data)
        except (ValidationError, PermissionDenied, TransitionRefused):
            pytest.fail("data accepted on creation was refused on update")

    check()


@pytest.mark.django_db
def test_the_portal_create_page_answers_with_a_page(programme, applicant):
    client = signed_in(applicant)  # raises any server error instead of answering 500
    ensure_reference_data()
    codes = category_codes()

    @FUZZ
    @given(st.sampled_from(codes).flatmap(lambda c: st.tuples(
        st.just(c), form_posts(field_names(Category.objects.get(code=c))))))
    def check(case):
        code, data = case
        response = client.post(f"/programmes/{programme.pk}/apply/{code}/", data)
        assert response.status_code in (302, 400, 403, 422), response.status_code

    check()


@pytest.mark.django_db
def test_the_application_page_answers_every_post_with_a_page(programme, applicant):
    client = signed_in(applicant)
    posts = st.one_of(
        form_posts(["action", "comment", "amount", "completed_on", "paid_on", "reference"]),
        form_posts(["kind"]),
        st.fixed_dictionaries({"action": st.sampled_from(
            ["submit", "withdraw", "accept", "approve", "", "nonsense", "__init__"]),
            "comment": value}),
    )

    @FUZZ
    @given(posts)
    def check(data):
        draft = ApplicationFactory(programme=programme, organisation=applicant.organisation,
                                   created_by=applicant)  # a fresh draft for every post
        response = client.post(f"/applications/{draft.pk}/", data)
        assert response.status_code in (303, 400, 403, 409, 422), response.status_code

    check()


@pytest.mark.django_db
def test_the_edit_page_answers_with_a_page(programme, applicant):
    draft = ApplicationFactory(programme=programme, organisation=applicant.organisation,
                               created_by=applicant)
    client = signed_in(applicant)

    @FUZZ
    @given(form_posts(field_names(draft.category)))
    def check(data):
        response = client.post(f"/applications/{draft.pk}/edit/", data)
        assert response.status_code in (302, 400, 422), response.status_code

    check()


def multipart(kind: str, filename: str, content: bytes) -> bytes:
    """A multipart body with the file name exactly as given (test clients clean names)."""
    return (b"--BoUnDaRy\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\n"
            + kind.encode() + b"\r\n--BoUnDaRy\r\nContent-Disposition: form-data; "
            b"name=\"file\"; filename=\"" + filename.encode() + b"\"\r\nContent-Type: "
            b"application/octet-stream\r\n\r\n" + content + b"\r\n--BoUnDaRy--\r\n")


@pytest.mark.django_db
def test_uploads_of_any_name_and_content_are_stored_or_refused(programme, applicant):
    draft = ApplicationFactory(programme=programme, organisation=applicant.organisation,
                               created_by=applicant)
    client = signed_in(applicant)
    names = st.one_of(
        st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=300),
        st.sampled_from(["a.pdf", ".htaccess", "..", "../../etc/passwd", "a\\b.pdf",
                         "C:\\x\\a.pdf", "申报书.PDF", "x.pdf.exe", "CON", "a" * 300 + ".pdf",
                         "a%2F..%2Fb.pdf", "\u202efdp.exe"]))
    contents = st.one_of(st.binary(max_size=2048),
                         st.sampled_from([b"%PDF-1.4\n%%EOF\n", b"PK\x03\x04", b"MZ\x90\x00",
                                          b"\x89PNG\r\n\x1a\n", b"\xd0\xcf\x11\xe0"]))

    @FUZZ
    @given(names, contents, st.sampled_from(["application_form", "", "x", "certificate"]))
    @example("申报书.pdf", b"%PDF-1.4\n%%EOF\n", "application_form")
    def check(name, content, kind):
        response = client.generic(
            "POST", f"/applications/{draft.pk}/", multipart(kind, name, content),
            content_type="multipart/form-data; boundary=BoUnDaRy")
        assert response.status_code in (303, 400, 422), response.status_code
        if response.status_code == 303:
            stored = draft.attachments.order_by("-pk").first()
            assert stored.original_name and not set("/\\\x00") & set(stored.original_name)
            assert stored.file.name.startswith(f"attachments/{draft.pk}/")

    check()


@pytest.mark.django_db
def test_registration_answers_with_a_page(reference):
    from django.test import Client

    client = Client()
    fields = ["username", "password1", "password2", "first_name", "email", "phone",
              "org_name", "uscc", "org_type", "region"]

    @FUZZ
    @given(form_posts(fields))
    def check(data):
        response = client.post("/register/", data)
        assert response.status_code in (200, 302, 400), response.status_code
        client.logout()

    check()
