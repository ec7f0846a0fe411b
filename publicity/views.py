"""The public publicity pages (no login): lists, the printable notice, Excel, objections and
the objector's look-up of the outcome."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from config.access import public
from config.uploads import oversize_uploads

from . import throttle
from .challenge import ChallengeForm
from .exports import list_total, publicity_rows, publicity_workbook
from .models import BatchStatus, PublicityBatch
from .objections import find_objection, objection_choices, receive_objection
from .services import OBJECTION_FIELD_LIMITS, objection_open

PUBLIC = (BatchStatus.PUBLISHED, BatchStatus.CLOSED)
#: The session key that carries a new objection's receipt number to the page after redirect.
RECEIPT_KEY = "objection_receipt"


def public_batch(pk) -> PublicityBatch:
    return get_object_or_404(PublicityBatch.objects.select_related("programme"), pk=pk,
                             status__in=PUBLIC)


def too_many(form: str) -> str:
    return _("提交过于频繁，请 %(minutes)d 分钟后再试。") % {
        "minutes": throttle.wait_minutes(form)}


@public
def batch_list(request):
    batches = PublicityBatch.objects.filter(status__in=PUBLIC).select_related("programme")
    return render(request, "publicity/list.html", {"sections": [
        (_("正在公示"), [b for b in batches if b.status == BatchStatus.PUBLISHED],
         _("目前没有正在公示的名单。")),
        (_("往期公示"), [b for b in batches if b.status == BatchStatus.CLOSED], _("暂无。"))]})


@public
def batch_detail(request, pk):
    batch = public_batch(pk)
    rows = publicity_rows(batch)
    context = {"batch": batch, "rows": rows, "total": list_total(rows),
               "open": objection_open(batch),
               "choices": objection_choices(batch), "errors": {}, "values": {},
               "limits": OBJECTION_FIELD_LIMITS,
               "receipt": request.session.pop(RECEIPT_KEY, None)
               if request.method == "GET" else None}
    if request.method == "POST":
        return lodge_from_page(request, batch, context)
    if throttle.challenge_needed(request):
        context["challenge"] = ChallengeForm()
    return render(request, "publicity/detail.html", context)


def lodge_from_page(request, batch, context):
    """The objection form posted: limits per address and identity number, the challenge
    once the address lodged a few, then the objection; any refusal shows the form again
    with what was typed (a new challenge image, as each is good for one try)."""
    context["values"] = request.POST
    challenged = throttle.challenge_needed(request)

    def again(errors, status):
        context["errors"] = errors
        if challenged or throttle.challenge_needed(request):
            context["challenge"] = ChallengeForm()
        return render(request, "publicity/detail.html", context, status=status)

    if not throttle.allow("objection", request):
        return again({"__all__": [too_many("objection")]}, 429)
    if challenged:
        challenge = ChallengeForm(request.POST)
        if not challenge.is_valid():
            return again({"captcha": challenge.errors["captcha"]}, 422)
    if not throttle.allow_identity(request):
        return again({"identity": [_("该身份证号码（统一社会信用代码）今日提交的异议已达上限，"
                                     "请明日再试或书面递交。")]}, 429)
    try:
        objection, created = receive_objection(
            batch, request.POST, request.FILES.get("evidence"),
            site_url=request.build_absolute_uri("/"),
            evidence_too_large="evidence" in oversize_uploads(request))
    except ValidationError as invalid:
        return again(getattr(invalid, "message_dict", {"__all__": invalid.messages}), 422)
    request.session[RECEIPT_KEY] = objection.receipt
    messages.success(request, _("异议已收到。我们将在核实后以您留下的联系方式告知处理结果。")
                     if created else _("此前已收到内容相同的异议，未重复登记；受理编号不变。"))
    return HttpResponseRedirect(request.path, status=303)


@public
def batch_print(request, pk):
    batch = public_batch(pk)
    rows = publicity_rows(batch)
    return render(request, "publicity/print.html", {
        "batch": batch, "rows": rows, "total": list_total(rows)})


@public
def batch_excel(request, pk):
    batch = public_batch(pk)
    response = HttpResponse(
        publicity_workbook(batch),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f"attachment; filename=publicity-{batch.pk}.xlsx"
    return response


@public
def objection_lookup(request):
    """Receipt number and identity number → the objection's status and the office's reply.
    A wrong pair gets one answer whichever part was wrong; tries are rate-limited."""
    context = {"values": {}, "objection": None, "error": ""}
    if request.method != "POST":
        context["values"] = {"receipt": request.GET.get("receipt", "")}
        return render(request, "publicity/lookup.html", context)
    context["values"] = {"receipt": request.POST.get("receipt", ""),
                         "identity": request.POST.get("identity", "")}
    if not throttle.allow("objection_lookup", request):
        context["error"] = too_many("objection_lookup")
        return render(request, "publicity/lookup.html", context, status=429)
    objection = find_objection(request.POST.get("receipt", ""), request.POST.get("identity", ""))
    if objection is None:
        context["error"] = _("未查到与该受理编号和身份证号码（或统一社会信用代码）相符的异议，"
                             "请核对后重试。")
        return render(request, "publicity/lookup.html", context, status=404)
    context["objection"] = objection
    context["batch_url"] = reverse("publicity_detail", args=[objection.batch_id])
    return render(request, "publicity/lookup.html", context)
