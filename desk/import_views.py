"""Excel import of review results (county preliminary review, city acceptance) and of the
finance bureau's payments."""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import View

from accounts.models import Role
from config.uploads import oversize_message, oversize_uploads
from subsidy.imports import (
    KINDS,
    PAYMENTS,
    import_payments,
    import_results,
    payment_template,
    template,
)
from subsidy.rules import CITY_REVIEW_ROLES

from .views import RoleRequiredMixin

KIND_FOR_ROLE = {Role.COUNTY: "county", Role.CITY: "acceptance", Role.CHIEF: "acceptance"}


class ImportView(RoleRequiredMixin, View):
    roles = CITY_REVIEW_ROLES | {Role.COUNTY, Role.FINANCE}

    def get(self, request):
        if request.user.role == Role.FINANCE:
            spec, kind = PAYMENTS, "payments"
            content = payment_template(request.user) if request.GET.get("template") else None
        else:
            kind = KIND_FOR_ROLE[request.user.role]
            spec = KINDS[kind]
            content = template(request.user, kind) if request.GET.get("template") else None
        if content is not None:
            response = HttpResponse(
                content,
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            response["Content-Disposition"] = f"attachment; filename=import-{kind}.xlsx"
            return response
        return render(request, "desk/import.html", {"spec": spec})

    def post(self, request):
        finance = request.user.role == Role.FINANCE
        spec = PAYMENTS if finance else KINDS[KIND_FOR_ROLE[request.user.role]]
        upload = request.FILES.get("file")
        if "file" in oversize_uploads(request):
            applied, errors = 0, [(0, oversize_message())]
        elif upload is None:
            applied, errors = 0, [(0, _("请选择要导入的 Excel 文件。"))]
        elif finance:
            applied, errors = import_payments(request.user, upload)
        else:
            applied, errors = import_results(request.user, KIND_FOR_ROLE[request.user.role],
                                             upload)
        return render(request, "desk/import.html",
                      {"spec": spec, "applied": applied, "errors": errors},
                      status=422 if errors else 200)
