"""A transition stamps the row's `updated_at` (the inbox's 更新时间, which it sorts by): the
service's raw UPDATE sets the model's auto_now fields as `save()` would."""

from datetime import date

import pytest
from django.urls import reverse

from subsidy.models import Application
from workflows import services as engine
from workflows.stages import State

from .factories import ApplicationFactory
from .helpers import at, local_time, signed_in, travel_to


def updated_at(app):
    return Application.objects.values_list("updated_at", flat=True).get(pk=app.pk)


@pytest.mark.django_db
def test_one_transition_moves_updated_at(programme, county):
    with travel_to(date(2021, 9, 1), tick=False):
        app = at(ApplicationFactory(programme=programme, organisation__region=county.region),
                 State.SUBMITTED)
    assert updated_at(app) == local_time(date(2021, 9, 1))
    with travel_to(date(2021, 9, 16), tick=False):
        engine.perform(app, "accept", county)
    assert updated_at(app) == local_time(date(2021, 9, 16))
    assert app.updated_at == local_time(date(2021, 9, 16))  # the instance too


@pytest.mark.django_db
def test_a_bulk_transition_moves_updated_at(programme, county):
    with travel_to(date(2021, 9, 1), tick=False):
        apps = [at(ApplicationFactory(programme=programme, organisation__region=county.region),
                   State.SUBMITTED) for _ in range(2)]
    with travel_to(date(2021, 9, 16), tick=False):
        result = engine.perform_bulk(Application.objects.filter(pk__in=[a.pk for a in apps]),
                                     "accept", county)
    assert len(result.entries) == 2
    assert {updated_at(a) for a in apps} == {local_time(date(2021, 9, 16))}


@pytest.mark.django_db
def test_the_inbox_puts_the_latest_moved_first(programme, county):
    with travel_to(date(2021, 9, 1), tick=False):
        first = at(ApplicationFactory(programme=programme, organisation__region=county.region),
                   State.SUBMITTED)
    with travel_to(date(2021, 9, 2), tick=False):
        second = at(ApplicationFactory(programme=programme,
                                       organisation__region=county.region), State.SUBMITTED)
    with travel_to(date(2021, 9, 16), tick=False):
        engine.perform(first, "accept", county)
    page = signed_in(county).get(reverse("desk:review:index") + "?all=1").content.decode()
    assert page.index(first.number) < page.index(second.number)
