"""The printable 申报书: an application's (for its applicant and the reviewers who may see
it) and each category's blank form (for applicants preparing offline), as A4 PDFs with the
fonts and HTML set-up of the notices (notices.pdf)."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.http import content_disposition_header
from django.views import View

from notices.pdf import html_document, pdf_fonts
from subsidy.models import ProgrammeCategory, ProgrammeStatus
from subsidy.printed_form import UNDERTAKING, application_form, blank_form
from subsidy.services import visible_applications

from .views import ApplicantMixin


def table_lines(rows) -> list[list]:
    """The rows of a section as table lines: two short rows share a line, the rest take
    one each."""
    lines, pending = [], None
    for row in rows:
        if row.short and pending is not None:
            lines.append([pending, row])
            pending = None
        elif row.short:
            pending = row
        else:
            if pending is not None:
                lines.append([pending])
                pending = None
            lines.append([row])
    if pending is not None:
        lines.append([pending])
    return lines


def render(form) -> bytes:
    """The form as PDF bytes."""
    html = render_to_string("applications/printed_form.html", {
        "form": form, "undertaking": UNDERTAKING, "fonts": pdf_fonts(),
        "sections": [(heading, table_lines(rows)) for heading, rows in form.sections]})
    return html_document(html).write_pdf()


def pdf_response(data: bytes, filename: str) -> HttpResponse:
    """Shown in the browser (to print), saved under `filename`."""
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, filename)
    return response


class ApplicationFormPdfView(LoginRequiredMixin, View):
    """The 申报书 of an application whoever may see the application may print."""

    access_rule = "signed in; applications by visible_applications (own organisation's, " \
                  "own county's, the city's, finance's states, an expert's assignments)"

    def get(self, request, pk):
        return application_form_response(request.user, pk)


def application_form_response(user, pk) -> HttpResponse:
    """The 申报书 PDF of application `pk` if `user` may see it (404 otherwise); the desk, the
    portal and the API serve this one response."""
    application = get_object_or_404(visible_applications(user).select_related(
        "programme", "category", "organisation__region"), pk=pk)
    with translation.override("zh-hans"):  # an official form, printed in Chinese
        data = render(application_form(application))
    return pdf_response(data, f"申报书-{application.number}.pdf")


class BlankFormPdfView(ApplicantMixin, View):
    """A category's blank form in a programme open for applications."""

    def get(self, request, programme_pk, code):
        pc = get_object_or_404(
            ProgrammeCategory.objects.select_related("programme", "category"),
            programme_id=programme_pk, programme__status=ProgrammeStatus.OPEN,
            category__code=code)
        with translation.override("zh-hans"):
            data = render(blank_form(pc))
        return pdf_response(data, f"申报书（空白）-{pc.category.code}{pc.category.name}.pdf")
