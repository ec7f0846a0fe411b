"""Excel import of review results (county preliminary review, city acceptance)."""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import View

from accounts.models import Role
from subsidy.imports import KINDS, import_results, template
from subsidy.rules import CITY_REVIEW_ROLES

from .views import RoleRequiredMixin

KIND_FOR_ROLE = {Role.COUNTY: "county", Role.CITY: "acceptance", Role.CHIEF: "acceptance"}


class ImportView(RoleRequiredMixin, View):
    roles = CITY_REVIEW_ROLES | {Role.COUNTY}

    def get(self, request):
        kind = KIND_FOR_ROLE[request.user.role]
        if request.GET.get("template"):
            response = HttpResponse(
                template(request.user, kind),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            response["Content-Disposition"] = f"attachment; filename=import-{kind}.xlsx"
            return response
        return render(request, "desk/import.html", {"spec": KINDS[kind]})

    def post(self, request):
        kind = KIND_FOR_ROLE[request.user.role]
        upload = request.FILES.get("file")
        if upload is None:
            applied, errors = 0, [(0, _("请选择要导入的 Excel 文件。"))]
        else:
            applied, errors = import_results(request.user, kind, upload)
        return render(request, "desk/import.html",
                      {"spec": KINDS[kind], "applied": applied, "errors": errors},
                      status=422 if errors else 200)
