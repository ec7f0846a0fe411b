"""API tokens end with the trust that issued them: a new password or a deactivated account
revokes every token the account holds; and people list and revoke their own tokens, on the
account page and through the API, never someone else's."""

import pytest
from django.test import Client

from accounts.models import ApiToken

from .api_client import ApiClient
from .factories import ApplicantFactory
from .helpers import signed_in

pytestmark = pytest.mark.django_db


def works(client: ApiClient) -> bool:
    return client.get("/notifications").status_code == 200


def test_a_new_password_revokes_every_token(applicant):
    first, second = ApiClient(applicant), ApiClient(applicant)
    assert works(first) and works(second)
    applicant.set_password("a-new-password-2026")
    applicant.save()
    assert not works(first) and not works(second)
    assert not ApiToken.objects.filter(user=applicant).exists()


def test_a_deactivated_account_loses_its_tokens(applicant):
    api = ApiClient(applicant)
    applicant.is_active = False
    applicant.save(update_fields=["is_active"])
    assert not ApiToken.objects.filter(user=applicant).exists() and not works(api)


def test_signing_in_does_not_revoke(applicant):
    api = ApiClient(applicant)
    applicant.first_name = "新名字"
    applicant.save()
    applicant.save(update_fields=["last_login"])
    assert works(api)


def test_people_list_and_revoke_their_own_tokens_through_the_api(applicant, reference):
    api, other = ApiClient(applicant), ApiClient(ApplicantFactory())
    listed = api.get("/auth/tokens").json()
    assert [t["id"] for t in listed] == list(ApiToken.objects.filter(user=applicant)
                                             .values_list("pk", flat=True))
    assert "key_hash" not in listed[0] and "token" not in listed[0]
    theirs = ApiToken.objects.exclude(user=applicant).get()
    refused = api.client.delete(f"/api/v1/auth/tokens/{theirs.pk}", headers=api.headers)
    assert refused.status_code == 404 and works(other)
    mine = listed[0]["id"]
    done = api.client.delete(f"/api/v1/auth/tokens/{mine}", headers=api.headers)
    assert done.status_code == 204 and not works(api)


def test_the_account_page_lists_and_revokes_after_asking(applicant, reference):
    _row, _raw = ApiToken.issue(applicant, name="报表脚本")
    other, _raw = ApiToken.issue(ApplicantFactory(), name="别人的")
    client = signed_in(applicant)
    page = client.get("/account/tokens/").content.decode()
    assert "报表脚本" in page and "别人的" not in page
    token = ApiToken.objects.get(name="报表脚本")
    asked = client.post("/account/tokens/", {"token": token.pk})
    assert "撤销 API 令牌" in asked.content.decode() and ApiToken.objects.filter(pk=token.pk)
    client.post("/account/tokens/", {"token": token.pk, "confirm": "1"})
    assert not ApiToken.objects.filter(pk=token.pk).exists()
    client.post("/account/tokens/", {"token": other.pk, "confirm": "1"})
    assert ApiToken.objects.filter(pk=other.pk).exists()  # not theirs: untouched
    assert Client().get("/account/tokens/").status_code == 302  # sign in first
