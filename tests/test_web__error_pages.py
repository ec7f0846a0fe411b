"""In production (DEBUG off) a missing page, a refusal and a server error show the project's
own pages, in its look and the reader's language (the 500 page in both: it may not know
which), each with a way back; never viewflow's "Django Material" pages or its "Log in as
another user"."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory, override_settings
from django.views.csrf import csrf_failure
from django.views.defaults import bad_request, permission_denied, server_error

from accounts.models import Role

from .factories import CountyReviewerFactory, UserFactory, region
from .helpers import sign_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference")]
PRODUCTION = override_settings(DEBUG=False)
VIEWFLOW = ("Django Material", "We're sorry", "Log in as another user", "Access Forbidden")
LANGUAGES = {"zh-hans": {"404": "页面不存在", "403": "无权访问此页面", "home": "返回首页"},
             "en": {"404": "Page not found", "403": "You may not open this page",
                    "home": "Home page"}}


def not_viewflow(html: str) -> None:
    for text in VIEWFLOW:
        assert text.lower() not in html.lower()


@PRODUCTION
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_missing_page(language):
    response = Client(headers={"accept-language": language}).get("/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert LANGUAGES[language]["404"] in html and LANGUAGES[language]["home"] in html
    assert 'href="/"' in html  # the way back
    assert f'<html lang="{language}">' in html
    not_viewflow(html)


@PRODUCTION
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_refusal_for_a_signed_in_user_says_why_and_leads_back(language):
    county = CountyReviewerFactory(region=region("430405"))
    client = sign_in(Client(headers={"accept-language": language}), county)
    for url in ("/desk/publicity/",  # refused by the part of the desk (viewflow's check)
                "/desk/review/payments/"):  # refused by the page, with its reason
        response = client.get(url)
        html = response.content.decode()
        assert response.status_code == 403, url
        assert LANGUAGES[language]["403"] in html and LANGUAGES[language]["home"] in html
        assert 'href="/"' in html and "history.back()" in html
        assert county.username in html  # who is signed in
        not_viewflow(html)
    reason = {"zh-hans": "此页面仅供财政局使用。", "en": "This page is for Finance bureau only."}
    assert reason[language] in html


@PRODUCTION
def test_a_server_error_renders_without_any_context_in_both_languages():
    """Django's server_error renders the template with no request and no context
    processors: the page needs neither the database nor the static files."""
    response = server_error(RequestFactory().get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert "系统出错了" in html and "Something went wrong" in html and 'href="/"' in html
    assert "/static/" not in html
    not_viewflow(html)


@PRODUCTION
def test_an_unreadable_request_and_an_expired_form():
    bad = bad_request(RequestFactory().get("/"), Exception("bad"))
    assert bad.status_code == 400 and "请求有误" in bad.content.decode()
    expired = csrf_failure(RequestFactory().post("/"), reason="CSRF token missing.")
    assert expired.status_code == 403 and "页面已过期，未能提交" in expired.content.decode()
    client = Client(enforce_csrf_checks=True)
    posted = client.post("/accounts/login/", {"auth-username": "x"})
    assert posted.status_code == 403 and "页面已过期，未能提交" in posted.content.decode()


@PRODUCTION
def test_a_refusal_without_a_reason_names_the_role_and_a_stranger_may_sign_in():
    city = UserFactory(role=Role.CITY)
    refused = sign_in(Client(), city).get("/desk/experts/")  # the experts' part of the desk
    assert refused.status_code == 403
    assert "您的账号不能使用此页面。" in refused.content.decode()
    assert "（市局科室工作人员）" in refused.content.decode()
    request = RequestFactory().get("/desk/somewhere/")
    request.user = AnonymousUser()
    stranger = permission_denied(request, PermissionDenied()).content.decode()
    assert "请先登录。" in stranger and 'href="/accounts/login/?next=/desk/somewhere/"' in stranger
