"""The public publicity pages (no login): lists, the printable notice, Excel, objections."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from config.access import public

from .exports import publicity_rows, publicity_workbook
from .models import BatchStatus, PublicityBatch
from .services import lodge_objection, objection_open

PUBLIC = (BatchStatus.PUBLISHED, BatchStatus.CLOSED)


def public_batch(pk) -> PublicityBatch:
    return get_object_or_404(PublicityBatch.objects.select_related("programme"), pk=pk,
                             status__in=PUBLIC)


@public
def batch_list(request):
    batches = PublicityBatch.objects.filter(status__in=PUBLIC).select_related("programme")
    return render(request, "publicity/list.html", {
        "current": [b for b in batches if b.status == BatchStatus.PUBLISHED],
        "past": [b for b in batches if b.status == BatchStatus.CLOSED]})


@public
def batch_detail(request, pk):
    batch = public_batch(pk)
    context = {"batch": batch, "rows": publicity_rows(batch), "open": objection_open(batch),
               "errors": {}, "values": {}}
    if request.method == "POST":
        try:
            lodge_objection(batch, request.POST, request.FILES.get("evidence"))
        except ValidationError as invalid:
            context["errors"] = getattr(invalid, "message_dict", {"__all__": invalid.messages})
            context["values"] = request.POST
            return render(request, "publicity/detail.html", context, status=422)
        messages.success(request, _("异议已收到。我们将在核实后以您留下的联系方式告知处理结果。"))
        return HttpResponseRedirect(request.path, status=303)
    return render(request, "publicity/detail.html", context)


@public
def batch_print(request, pk):
    batch = public_batch(pk)
    rows = publicity_rows(batch)
    return render(request, "publicity/print.html", {
        "batch": batch, "rows": rows, "total": sum((r[5] or 0) for r in rows)})


@public
def batch_excel(request, pk):
    batch = public_batch(pk)
    response = HttpResponse(
        publicity_workbook(batch),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f"attachment; filename=publicity-{batch.pk}.xlsx"
    return response
