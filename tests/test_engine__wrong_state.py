"""Every transition is refused from every state its lifecycle does not allow it from."""

import pytest

from subsidy.models import Application, Category
from workflows import services as engine
from workflows.exceptions import TransitionNotAvailable
from workflows.lifecycle import lifecycles
from workflows.models import AuditEntry
from workflows.stages import TRANSITION_NAMES, State

from .api_client import ApiClient
from .factories import ApplicationFactory, UserFactory

LIFECYCLE_CATEGORY = {"project": "01", "project_expert": "07", "reward": "21"}


def force_state(app: Application, state: str) -> Application:
    Application.objects.filter(pk=app.pk).update(state=state)
    return Application.objects.get(pk=app.pk)


@pytest.mark.django_db
@pytest.mark.parametrize("key", sorted(LIFECYCLE_CATEGORY))
def test_every_transition_refused_from_every_wrong_state(key, programme):
    lifecycle = lifecycles()[key]
    app = ApplicationFactory(programme=programme,
                             category=Category.objects.get(code=LIFECYCLE_CATEGORY[key]))
    superuser = UserFactory(role="admin", is_superuser=True)
    checked = 0
    for state in State.values:
        app = force_state(app, state)
        for name in TRANSITION_NAMES:
            if lifecycle.find(name, state) is not None:
                continue
            with pytest.raises(TransitionNotAvailable) as refused:
                engine.perform(app, name, superuser, comment="x")
            assert refused.value.status == 409
            assert app.state == state
            checked += 1
    assert AuditEntry.objects.count() == 0
    assert checked > 200


@pytest.mark.django_db
def test_wrong_state_through_the_api_is_a_409_with_reasons(programme, county):
    app = ApplicationFactory(programme=programme, organisation__region=county.region)
    app = force_state(app, State.CITY_REVIEW)
    response = ApiClient(county).transition(app.pk, "recommend")
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "not_available"
    assert body["reasons"]["zh-hans"] == "当前状态“市级审核”下不能执行“初审通过并推荐”。"
    assert body["reasons"]["en"] == "“Recommend” is not possible in the state “City review”."


@pytest.mark.django_db
def test_unknown_transition_name_is_refused(programme, city):
    app = force_state(ApplicationFactory(programme=programme), State.CITY_REVIEW)
    response = ApiClient(city).transition(app.pk, "teleport")
    assert response.status_code == 409
    assert "teleport" in response.json()["detail"]
