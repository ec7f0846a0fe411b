"""The applicant portal: register, apply, upload, follow, answer the reviewers."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from accounts.models import Role
from config.access import public
from config.confirm import ask_to_confirm, confirmed
from config.uploads import oversize_message, oversize_uploads
from notifications.models import Notification
from reports.lists import my_applications_workbook
from subsidy.attachments import (
    UnchangedUpload,
    add_attachment,
    attachment_kinds,
    attachment_stage,
    file_response,
)
from subsidy.excel import xlsx_response
from subsidy.forms import application_form_class
from subsidy.funding import allowed_amount, application_breakdown, rule_summary
from subsidy.models import Category, Programme, ProgrammeCategory, ProgrammeStatus
from subsidy.rules import form_editing
from subsidy.services import (
    application_form,
    create_application,
    update_application,
    visible_applications,
)
from workflows.exceptions import TransitionRefused
from workflows.stages import State

from .actions import final_step, page_context, take_transition
from .forms import AttachmentForm, MemberForm, OrganisationForm, RegistrationForm


def page_size(request, default: int) -> int:
    """Rows per page: `?per_page=` between 10 and 200, else `default`."""
    try:
        return min(max(int(request.GET.get("per_page", default)), 10), 200)
    except ValueError:
        return default


@public
def home(request):
    """Landing page; signed-in people go to their own starting point."""
    user = request.user
    if user.is_authenticated:
        if user.role == Role.APPLICANT:
            return redirect("dashboard")
        return redirect("desk:experts:index" if user.role == Role.EXPERT else "desk:review:index")
    programmes = Programme.objects.filter(status=ProgrammeStatus.OPEN)
    return render(request, "portal/home.html", {"programmes": programmes})


@public
def register(request):
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("注册成功，欢迎使用。"))
        return redirect("dashboard")
    return render(request, "portal/register.html", {"form": form})


class ApplicantMixin(LoginRequiredMixin):
    """Pages for applicant organisations only."""

    access_rule = "applicants, their own organisation's applications (visible_applications)"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and (
                request.user.role != Role.APPLICANT or not request.user.organisation_id):
            raise PermissionDenied(_("此页面仅供申报单位使用。"))
        return super().dispatch(request, *args, **kwargs)

    def application(self, pk):
        """One of the organisation's applications, or 404."""
        qs = visible_applications(self.request.user).select_related(
            "category", "programme", "organisation", "region")
        return get_object_or_404(qs, pk=pk)


class DashboardView(ApplicantMixin, View):
    def get(self, request):
        qs = (visible_applications(request.user)
              .select_related("category", "programme").order_by("-created_at", "-id"))
        page = Paginator(qs, page_size(request, 20)).get_page(request.GET.get("page"))
        return render(request, "portal/dashboard.html", {
            "page": page,
            "programmes": Programme.objects.filter(status=ProgrammeStatus.OPEN),
        })


class MyApplicationsExcelView(ApplicantMixin, View):
    """The organisation's applications as a workbook."""

    def get(self, request):
        qs = (visible_applications(request.user)
              .select_related("category", "programme").order_by("-created_at", "-id"))
        return xlsx_response(my_applications_workbook(request.user.organisation, qs),
                             "我的申报.xlsx")


class ProgrammeView(ApplicantMixin, View):
    def get(self, request, pk):
        programme = get_object_or_404(Programme, pk=pk, status=ProgrammeStatus.OPEN)
        org_type = request.user.organisation.org_type
        rows = [(pc, pc.category.accepts(org_type), rule_summary(pc))
                for pc in programme.programme_categories.select_related("category")
                .order_by("category__code")]
        return render(request, "portal/programme.html", {"programme": programme, "rows": rows})


def explain(form, problem) -> None:
    """Show on the bound `form` why the service refused it: its own field errors, plus any
    reason the form itself cannot see (programme closed, someone else acted first…)."""
    form.is_valid()
    if isinstance(problem, TransitionRefused):
        form.add_error(None, str(problem.reason))
        return
    for field, errors in getattr(problem, "error_dict", {"__all__": [problem]}).items():
        if field not in form.errors:
            form.add_error(None, [str(m) for e in errors for m in e.messages])


def form_page(programme, category, application=None) -> dict:
    """Context of the application form page: the rule in words and the amount it allows."""
    pc = get_object_or_404(ProgrammeCategory, programme=programme, category=category)
    return {"category": category, "programme": programme, "application": application,
            "rule": rule_summary(pc),
            "rule_data": {"rule": category.funding_rule, "field": category.rule_field,
                          "cap": pc.figure("cap"), "rate": pc.figure("rate"),
                          "unit": pc.figure("unit_amount"), "fixed": pc.figure("fixed_amount")},
            "components": (pc.figure("rule_settings") or {}).get("components", []),
            "max_countries": (pc.figure("rule_settings") or {}).get("max_countries"),
            "allowed": allowed_amount(application) if application else None,
            "breakdown": application_breakdown(application) if application else None}


class ApplicationCreateView(ApplicantMixin, View):
    template = "portal/application_form.html"

    def get(self, request, programme_pk, code):
        programme = get_object_or_404(Programme, pk=programme_pk, status=ProgrammeStatus.OPEN)
        category = get_object_or_404(Category, code=code)
        form = application_form_class(category)()
        return render(request, self.template, {"form": form, **form_page(programme, category)})

    def post(self, request, programme_pk, code):
        programme = get_object_or_404(Programme, pk=programme_pk)
        category = get_object_or_404(Category, code=code)
        form = application_form_class(category)(request.POST)
        try:
            application = create_application(request.user, programme, category, request.POST)
        except ValidationError as invalid:
            explain(form, invalid)
            return render(request, self.template,
                          {"form": form, **form_page(programme, category)}, status=422)
        messages.success(request, _("草稿已保存。请上传必备附件后提交。"))
        return redirect("application", pk=application.pk)


class ApplicationEditView(ApplicantMixin, View):
    template = "portal/application_form.html"

    def page(self, request, application, form, status=200):
        return render(request, self.template, {
            "form": form, "editing": form_editing(application),
            **form_page(application.programme, application.category, application)},
            status=status)

    def get(self, request, pk):
        application = self.application(pk)
        editing = form_editing(application)
        if not editing.applicants_turn:
            messages.info(request, editing.reason)
            return redirect("application", pk=application.pk)
        return self.page(request, application, application_form(application))

    def post(self, request, pk):
        application = self.application(pk)
        form = application_form(application, request.POST)
        try:
            update_application(request.user, application, request.POST)
        except (ValidationError, TransitionRefused) as invalid:
            explain(form, invalid)
            return self.page(request, application, form, status=422)
        messages.success(request, _("已保存。"))
        return redirect("application", pk=application.pk)


class ApplicationView(ApplicantMixin, View):
    template = "portal/application_detail.html"

    def get(self, request, pk):
        application = self.application(pk)
        return render(request, self.template, page_context(application, request.user))

    def post(self, request, pk):
        application = self.application(pk)
        if "kind" in request.POST:  # the upload form (its file may be missing)
            return self.upload(request, application)
        name = request.POST.get("action", "")
        final = final_step(application, request.user, name)
        if final is not None and not confirmed(request):
            return self.confirm(request, application, final)
        response, extras = take_transition(request, application)
        if response:
            return response
        status = extras.pop("status", 422)
        return render(request, self.template,
                      page_context(application, request.user, **extras), status=status)

    def confirm(self, request, application, spec):
        """The question before a step that ends the application (config/confirm.py): what
        will happen; the confirming form posts the same fields again."""
        action = spec.label
        return ask_to_confirm(
            request, template="portal/confirm_step.html",
            title=_("确认%(action)s") % {"action": action},
            message=_("“%(action)s”后，本申报将变为“%(state)s”。这是最终状态：之后不能再修改、提交或"
                      "恢复，如仍需申报，须重新填写一份申报。确定要继续吗？") % {
                "action": action, "state": State(spec.target).label},
            button=_("确认%(action)s") % {"action": action},
            items=[f"{application.number} {application.title}"],
            cancel_url=reverse("application", args=[application.pk]))

    def upload(self, request, application):
        kinds = attachment_kinds(application, attachment_stage(application))
        form = AttachmentForm(request.POST, request.FILES, kinds=kinds)
        if "file" in oversize_uploads(request):
            form.add_error("file", oversize_message())
        if form.is_valid():
            try:
                add_attachment(request.user, application, form.cleaned_data["kind"],
                               form.cleaned_data["file"],
                               sent_name=next(iter(request.upload_names_with_paths), None))
            except UnchangedUpload as unchanged:
                # nothing to fix and nothing lost: say so on the page the applicant returns to
                messages.info(request, " ".join(unchanged.messages))
                return HttpResponseRedirect(request.path, status=303)
            except ValidationError as invalid:
                for field, errors in invalid.error_dict.items():
                    form.add_error(field if field in form.fields else None,
                                   [m for e in errors for m in e.messages])
            else:
                messages.success(request, _("附件已上传。"))
                return HttpResponseRedirect(request.path, status=303)
        return render(request, self.template,
                      page_context(application, request.user, attachment_form=form), status=422)


class AttachmentDownloadView(ApplicantMixin, View):
    """One of the application's files: downloaded, or with `?preview=1` shown in the
    browser when it is a PDF or an image (subsidy.attachments.file_response)."""

    def get(self, request, pk, attachment_pk):
        attachment = get_object_or_404(self.application(pk).attachments, pk=attachment_pk)
        return file_response(attachment, preview=request.GET.get("preview") == "1")


class OrganisationView(ApplicantMixin, View):
    template = "portal/organisation.html"

    def context(self, form=None, member_form=None):
        organisation = self.request.user.organisation
        return {"organisation": organisation,
                "form": form or OrganisationForm(instance=organisation),
                "member_form": member_form or MemberForm(),
                "members": organisation.users.order_by("username")}

    def get(self, request):
        return render(request, self.template, self.context())

    def post(self, request):
        if "add_member" in request.POST:
            member_form = MemberForm(request.POST)
            if member_form.is_valid():
                member = member_form.save(commit=False)
                member.role = Role.APPLICANT
                member.organisation = request.user.organisation
                member.save()
                messages.success(request, _("已添加用户 %(name)s。") % {"name": member.username})
                return redirect("organisation")
            return render(request, self.template, self.context(member_form=member_form),
                          status=422)
        form = OrganisationForm(request.POST, instance=request.user.organisation)
        if form.is_valid():
            form.save()
            messages.success(request, _("单位信息已保存。"))
            return redirect("organisation")
        return render(request, self.template, self.context(form=form), status=422)


class NotificationsView(LoginRequiredMixin, View):
    """Anyone's own in-app notifications."""

    access_rule = "signed in: the user's own notifications"

    def get(self, request):
        qs = Notification.objects.filter(user=request.user).select_related("application")
        page = Paginator(qs, 30).get_page(request.GET.get("page"))
        return render(request, "portal/notifications.html", {"page": page})

    def post(self, request):
        Notification.objects.filter(user=request.user, read_at__isnull=True).update(
            read_at=timezone.now())
        return redirect(reverse("notifications"))
