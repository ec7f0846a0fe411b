import pytest

from accounts.models import Role

from .factories import (
    ApplicantFactory,
    CountyReviewerFactory,
    OrganisationFactory,
    ProgrammeFactory,
    UserFactory,
    ensure_reference_data,
    region,
)


@pytest.fixture(autouse=True)
def _media_root(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def reference(db):
    ensure_reference_data()


@pytest.fixture
def programme(reference):
    return ProgrammeFactory()


@pytest.fixture
def applicant(reference):
    return ApplicantFactory(organisation=OrganisationFactory(region=region("430405")))


@pytest.fixture
def other_applicant(reference):
    return ApplicantFactory(organisation=OrganisationFactory(region=region("430424")))


@pytest.fixture
def county(reference):
    return CountyReviewerFactory(region=region("430405"))


@pytest.fixture
def other_county(reference):
    return CountyReviewerFactory(region=region("430424"))


@pytest.fixture
def city(reference):
    return UserFactory(role=Role.CITY)


@pytest.fixture
def finance(reference):
    return UserFactory(role=Role.FINANCE)
