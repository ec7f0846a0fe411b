"""Signing in: two-factor for staff (enrolment and every login), throttling of failed logins
on the web and the API, idle sessions that expire, and the password rules."""

from base64 import b32decode
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Role
from subsidy.demo import credit_code

from .factories import PASSWORD, UserFactory, region
from .helpers import current_code, sign_in, totp_device

pytestmark = pytest.mark.django_db


def password_step(client, user, password=PASSWORD, **extra):
    return client.post("/accounts/login/", {"login_view-current_step": "auth",
                                            "auth-username": user.username,
                                            "auth-password": password}, **extra)


def token_step(client, code):
    return client.post("/accounts/login/", {"login_view-current_step": "token",
                                            "token-otp_token": code})


def test_staff_without_a_device_must_enrol_before_anything_else(reference):
    city, client = UserFactory(role=Role.CITY), Client()
    assert password_step(client, city).status_code == 302
    desk = client.get("/desk/review/")
    assert desk.status_code == 302 and desk.url == "/account/two_factor/setup/"
    api = client.get("/api/v1/applications")
    assert api.status_code == 403 and api.json()["code"] == "two_factor_required"

    # enrolment: the welcome step, then the QR code and a code from the app to confirm it
    page = client.post("/account/two_factor/setup/", {"setup_view-current_step": "welcome"})
    assert "/account/two_factor/qrcode/" in page.content.decode()
    assert client.get("/account/two_factor/qrcode/")["Content-Type"].startswith("image/svg")
    key = client.session["django_two_factor-qr_secret_key"]
    wrong = client.post("/account/two_factor/setup/", {"setup_view-current_step": "generator",
                                                       "generator-token": "000000"})
    assert wrong.status_code == 200 and not TOTPDevice.objects.filter(user=city).exists()
    code = TOTP(b32decode(key)).token()
    done = client.post("/account/two_factor/setup/", {"setup_view-current_step": "generator",
                                                      "generator-token": f"{code:06d}"})
    assert done.status_code == 302
    assert TOTPDevice.objects.get(user=city).confirmed
    assert client.get("/desk/review/").status_code == 200


def test_staff_login_asks_for_the_code_and_refuses_a_wrong_one(reference):
    chief = UserFactory(role=Role.CHIEF)
    device, client = totp_device(chief), Client()
    step = password_step(client, chief)
    assert step.status_code == 200 and "token-otp_token" in step.content.decode()
    assert client.get("/desk/review/").status_code == 302  # not signed in yet
    wrong = token_step(client, "123456" if current_code(device) != "123456" else "654321")
    assert wrong.status_code == 200 and "token-otp_token" in wrong.content.decode()
    device.refresh_from_db()
    assert device.throttling_failure_count == 1  # each failure doubles the wait for the next try
    with time_machine.travel(timezone.now() + timedelta(seconds=2)):
        assert token_step(client, current_code(device)).status_code == 302
        assert client.get("/desk/review/").status_code == 200


def test_applicants_sign_in_with_their_password(applicant):
    client = Client()
    assert password_step(client, applicant).status_code == 302
    assert client.get("/my/").status_code == 200


def test_a_staff_session_without_the_second_factor_is_signed_out(reference):
    """A password-only session of an enrolled staff member (e.g. from before enrolment)."""
    city = UserFactory(role=Role.CITY)
    totp_device(city)
    client = Client()
    client.force_login(city)
    response = client.get("/desk/review/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    assert "_auth_user_id" not in client.session


def test_api_tokens_for_staff_need_the_code(reference):
    finance = UserFactory(role=Role.FINANCE)
    device = totp_device(finance)
    client = Client()
    body = {"username": finance.username, "password": PASSWORD}
    refused = client.post("/api/v1/auth/token", body, content_type="application/json")
    assert refused.status_code == 401 and refused.json()["code"] == "two_factor_required"
    granted = client.post("/api/v1/auth/token", {**body, "otp_token": current_code(device)},
                          content_type="application/json")
    assert granted.status_code == 200 and granted.json()["token"]


def test_failed_logins_lock_the_username_from_that_address(applicant, settings):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert password_step(client, applicant, password="wrong-password").status_code == 200
    assert password_step(client, applicant, password="wrong-password").status_code == 429
    locked = password_step(client, applicant)  # even the right password now
    assert locked.status_code == 429 and "15 分钟后再试" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    # another address is not locked out, and the lock ends after the cool-off time
    assert password_step(Client(), applicant, REMOTE_ADDR="10.1.2.3").status_code == 302
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        assert password_step(Client(), applicant).status_code == 302


def test_the_api_token_endpoint_is_throttled_too(applicant, settings):
    client = Client()
    body = {"username": applicant.username, "password": "wrong-password"}
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert client.post("/api/v1/auth/token", body,
                           content_type="application/json").status_code == 401
    assert client.post("/api/v1/auth/token", body,
                       content_type="application/json").status_code == 429
    locked = client.post("/api/v1/auth/token", {**body, "password": PASSWORD},
                         content_type="application/json")
    assert locked.status_code == 429 and locked.json()["code"] == "locked_out"


def test_idle_sessions_expire(applicant, settings):
    client = sign_in(Client(), applicant)
    assert client.get("/my/").status_code == 200
    idle = timedelta(seconds=settings.SESSION_COOKIE_AGE)
    with time_machine.travel(timezone.now() + idle - timedelta(minutes=5)):
        assert client.get("/my/").status_code == 200  # activity renews the session
        renewed = timezone.now()
    with time_machine.travel(renewed + idle + timedelta(minutes=1)):
        response = client.get("/my/")
        assert response.status_code == 302 and response.url.startswith("/accounts/login/")


@pytest.mark.parametrize("password, message", [
    ("short-1", "密码长度太短"), ("password123", "太常见"), ("73940218573", "密码只包含数字"),
])
def test_weak_passwords_are_refused_at_registration(reference, password, message):
    data = {"username": "newco", "password1": password, "password2": password,
            "first_name": "王经办", "email": "wang@example.com", "phone": "0734-1234567",
            "org_name": "衡阳新材料有限公司", "uscc": credit_code("91", "430405", "MA4T0T0T1"),
            "org_type": "enterprise", "region": region("430405").pk}
    response = Client().post("/register/", data)
    assert response.status_code == 200 and message in response.content.decode()
    assert "衡阳新材料有限公司" in response.content.decode()  # the other values are kept


def test_the_admin_sign_in_is_the_one_with_the_second_factor(reference):
    response = Client().get("/admin/login/?next=/admin/")
    assert response.status_code == 302 and response.url == "/accounts/login/?next=/admin/"


def test_a_password_only_session_cannot_enrol_a_second_device(reference):
    """Enrolment is open only to staff without a device: otherwise a stolen password (or a
    session from before enrolment) could add its own authenticator and pass."""
    city = UserFactory(role=Role.CITY)
    totp_device(city)
    client = Client()
    client.force_login(city)
    response = client.post("/account/two_factor/setup/", {"setup_view-current_step": "welcome"})
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    assert "_auth_user_id" not in client.session
    assert TOTPDevice.objects.filter(user=city).count() == 1


@pytest.mark.parametrize("proxies, forwarded, counted_as", [
    (0, "6.6.6.6", "10.0.0.1"),                 # no proxy: a forged header is ignored
    (1, "6.6.6.6, 203.0.113.7", "203.0.113.7"),  # nginx appended the real client
    (2, "203.0.113.7, 10.9.9.9", "203.0.113.7"),
])
def test_failed_logins_are_counted_against_the_real_client(applicant, settings, proxies,
                                                          forwarded, counted_as):
    from axes.models import AccessAttempt

    settings.PROXY_COUNT = proxies
    password_step(Client(), applicant, password="wrong-password", REMOTE_ADDR="10.0.0.1",
                  HTTP_X_FORWARDED_FOR=forwarded)
    assert AccessAttempt.objects.get().ip_address == counted_as


def test_behind_a_proxy_one_client_cannot_lock_out_another(applicant, settings):
    settings.PROXY_COUNT = 1
    attacker = {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.66"}
    for _ in range(settings.AXES_FAILURE_LIMIT):
        password_step(Client(), applicant, password="wrong-password", **attacker)
    assert password_step(Client(), applicant, **attacker).status_code == 429
    owner = {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "198.51.100.8"}
    assert password_step(Client(), applicant, **owner).status_code == 302


def test_api_tokens_expire(applicant, settings):
    from accounts.models import ApiToken

    _row, raw = ApiToken.issue(applicant)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert Client().get("/api/v1/applications", **auth).status_code == 200
    later = timezone.now() + timedelta(days=settings.API_TOKEN_DAYS, minutes=1)
    with time_machine.travel(later):
        assert Client().get("/api/v1/applications", **auth).status_code == 401
