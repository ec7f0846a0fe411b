"""Factories for the domain; reference data (regions, categories) comes from the fixtures."""

import hashlib
from datetime import date
from decimal import Decimal

import factory
from django.core.files.base import ContentFile
from django.core.management import call_command

from accounts.models import Role, User
from subsidy.demo import credit_code
from subsidy.experts import assign_experts, submit_scores
from subsidy.models import (
    Application,
    Attachment,
    AttachmentStage,
    Category,
    ExpertAssignment,
    Organisation,
    Programme,
    ProgrammeCategory,
    ProgrammeStatus,
    Region,
)
from workflows.stages import State

PASSWORD = "test-pass-123"


def ensure_reference_data():
    """Load the 13 regions and 23 categories unless they are there already."""
    if not Category.objects.exists():
        call_command("loaddata", "regions", "categories", verbosity=0)


def region(code="430405") -> Region:
    ensure_reference_data()
    return Region.objects.get(code=code)


def category(code: str) -> Category:
    ensure_reference_data()
    return Category.objects.get(code=code)


class ProgrammeFactory(factory.django.DjangoModelFactory):
    """An open programme with every category, each budgeted at `category_budget`."""

    class Meta:
        model = Programme
        skip_postgeneration_save = True

    year = 2021
    title = factory.Sequence(lambda n: f"2021年度知识产权培育资助（测试{n}）")
    call_title = "关于申报2021年度知识产权培育资助的通知"
    call_number = "衡市监办〔2021〕68号"
    issuers = ["衡阳市市场监督管理局", "衡阳市财政局"]
    call_date = date(2021, 7, 15)
    implementation_start = date(2021, 1, 1)
    implementation_end = date(2021, 11, 30)
    total_budget = Decimal("10000000.00")
    status = ProgrammeStatus.OPEN

    @factory.post_generation
    def category_budget(obj, create, extracted, **kwargs):
        ensure_reference_data()
        budget = Decimal(extracted) if extracted is not None else Decimal("1000000.00")
        ProgrammeCategory.objects.bulk_create(
            [ProgrammeCategory(programme=obj, category=c, budget=budget)
             for c in Category.objects.all()])


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"衡阳测试企业{n}有限公司")
    org_type = "enterprise"
    region = factory.LazyFunction(region)
    uscc = factory.LazyAttributeSequence(
        lambda o, n: credit_code("91", o.region.code if o.region.code.isdigit() else "430400",
                                 f"MA{n:07d}"))


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    role = Role.CITY
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class ApplicantFactory(UserFactory):
    role = Role.APPLICANT
    organisation = factory.SubFactory(OrganisationFactory)


class CountyReviewerFactory(UserFactory):
    role = Role.COUNTY
    region = factory.LazyFunction(region)


class ExpertFactory(UserFactory):
    role = Role.EXPERT


class ApplicationFactory(factory.django.DjangoModelFactory):
    """An application created directly in any `state` (bypassing the service, for set-up).

    Trait `expert_scored`: in expert review (category 07 unless given), scored by as many
    experts as its category asks for, through the expert services.
    """

    class Meta:
        model = Application
        skip_postgeneration_save = True

    class Params:
        expert_scored = factory.Trait(
            category=factory.LazyFunction(lambda: category("07")),
            state=State.EXPERT_REVIEW,
            scored_by_experts=factory.PostGeneration(
                lambda app, create, extracted, **kw: create and score_by_required_experts(app)))

    programme = factory.SubFactory(ProgrammeFactory)
    category = factory.LazyFunction(lambda: category("01"))
    lifecycle = factory.LazyAttribute(lambda a: a.category.lifecycle)
    organisation = factory.SubFactory(OrganisationFactory)
    region = factory.LazyAttribute(lambda a: a.organisation.region)
    created_by = factory.SubFactory(ApplicantFactory,
                                    organisation=factory.SelfAttribute("..organisation"))
    number = factory.Sequence(lambda n: f"T-{n:06d}")
    title = factory.Sequence(lambda n: f"测试项目{n}")
    requested_amount = Decimal("1000.00")
    form_data = factory.LazyAttribute(lambda a: valid_form_data(a.category))


class AttachmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attachment

    application = factory.SubFactory(ApplicationFactory)
    stage = AttachmentStage.APPLICATION
    kind = "application_form"
    original_name = "申报书.pdf"
    content_type = "application/pdf"
    uploaded_by = factory.LazyAttribute(lambda a: a.application.created_by)
    file = factory.LazyFunction(lambda: ContentFile(b"%PDF-1.4\n%test\n", name="a.pdf"))
    size = factory.LazyAttribute(lambda a: a.file.size)
    sha256 = factory.LazyAttribute(lambda a: hashlib.sha256(b"%PDF-1.4\n%test\n").hexdigest())


def valid_form_data(cat: Category) -> dict:
    """A valid value for every field of the category's form."""
    samples = {"text": "示例内容", "textarea": "项目概述示例。", "decimal": "10000.00",
               "integer": 3, "date": "2021-06-01", "patent_numbers": "ZL201310699744.2",
               "trademark_numbers": "12345678",
               "madrid_registrations": [{"number": "1634567", "countries": 3}]}
    return {f["name"]: f["choices"][0]["value"] if f.get("type") == "choice"
            else samples[f.get("type", "text")] for f in cat.form_fields}


def attach_required(application, stage=AttachmentStage.APPLICATION):
    """Attach one file for every attachment kind the category requires at `stage`."""
    cat = application.category
    kinds = cat.required_attachments if stage == AttachmentStage.APPLICATION \
        else cat.acceptance_attachments
    for item in kinds:
        AttachmentFactory(application=application, stage=stage, kind=item["kind"])


def full_marks(cat: Category) -> dict:
    """Every item of the category's score sheet at its maximum."""
    return {item["key"]: str(item["max"]) for item in cat.score_sheet}


def score_by_required_experts(application, assigned_by=None,
                              count=None) -> list[ExpertAssignment]:
    """`count` new experts (default: as many as the category asks for) assigned by city
    staff and their scores submitted, through the expert services; the application must be
    in expert review."""
    assigned_by = assigned_by or UserFactory(role=Role.CITY)
    count = application.category.experts_required if count is None else count
    experts = [ExpertFactory() for _ in range(count)]
    assignments = assign_experts(assigned_by, application, experts) if experts else []
    for assignment in assignments:
        submit_scores(assignment.expert, assignment, full_marks(application.category), "同意立项。")
    return assignments


def awaiting_payment(approved="30000.00", notified_on=date(2021, 11, 15), **kwargs):
    """An application whose disbursement notice was issued on `notified_on` (09:00 local),
    approved for `approved` yuan, nothing paid yet (set-up, not transitions)."""
    from datetime import datetime, time

    from django.utils import timezone

    from workflows.stages import State

    app = ApplicationFactory(approved_amount=Decimal(approved), **kwargs)
    Application.objects.filter(pk=app.pk).update(
        state=State.DISBURSEMENT_NOTIFIED,
        notified_at=timezone.make_aware(datetime.combine(notified_on, time(9))))
    return Application.objects.get(pk=app.pk)
