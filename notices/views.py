"""The public verification page, /verify/ (no login): upload a notice's PDF or type its
document number, and read what the office's records say of it (`notices.verify`)."""

from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils.translation import gettext as _

from config.access import public
from config.uploads import oversize_message, oversize_uploads
from publicity import throttle

from .verify import check_size, verify_file, verify_number

TEMPLATE = "notices/verify.html"


def too_many() -> str:
    return _("查询过于频繁，请 %(minutes)d 分钟后再试。") % {
        "minutes": throttle.wait_minutes("verify")}


def read_upload(upload) -> bytes:
    """The uploaded file's bytes, refused by its size before it is read."""
    check_size(upload.size)
    return upload.read()


@public
def verify(request):
    number = request.GET.get("number", "").strip()
    context = {"verdict": None, "error": "", "number": number}
    asked = request.method == "POST" or number
    if not asked:
        return render(request, TEMPLATE, context)
    if not throttle.allow("verify", request):
        context["error"] = too_many()
        return render(request, TEMPLATE, context, status=429)
    try:
        if request.method == "POST":
            upload = request.FILES.get("file")
            if "file" in oversize_uploads(request):  # dropped while it arrived
                raise ValidationError(oversize_message())
            if upload is None:
                raise ValidationError(_("请选择要核验的 PDF 文件。"))
            context["verdict"] = verify_file(read_upload(upload))
            context["uploaded"] = upload.name
        else:
            context["verdict"] = verify_number(number)
    except ValidationError as invalid:
        context["error"] = " ".join(invalid.messages)
        return render(request, TEMPLATE, context, status=422)
    return render(request, TEMPLATE, context)
