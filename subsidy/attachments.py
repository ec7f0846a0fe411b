"""Storing attachments safely: allowed types by content, size limits, zip bombs, versions.

Files live under MEDIA_ROOT (outside any public web root) with random names, and are served
only through views that check who may see the application.
"""

import hashlib
import zipfile

import magic
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from workflows.i18n import lazy_format
from workflows.stages import State

from . import crashpoints
from .models import Application, Attachment, AttachmentStage
from .revisions import open_round, record_new_attachment

#: Content types accepted, as libmagic names them, with a readable name.
ALLOWED_TYPES = {
    "application/pdf": "PDF",
    "image/png": "PNG",
    "image/jpeg": "JPEG",
    "application/msword": "Word",
    "application/vnd.ms-excel": "Excel",
    "application/vnd.ms-powerpoint": "PowerPoint",
    "application/CDFV2": "Office",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "PowerPoint",
    "application/zip": "ZIP",
}
ZIP_BASED = {t for t in ALLOWED_TYPES if "openxmlformats" in t} | {"application/zip"}
#: Types a browser shows by itself (its PDF viewer, an image); every other file is only
#: ever downloaded.
PREVIEW_TYPES = frozenset({"application/pdf", "image/png", "image/jpeg"})
#: Whatever a served file contains runs nothing and loads nothing: a sandbox without any
#: allowance (no scripts, forms, popups or plugins, an opaque origin), no other sources.
FILE_POLICY = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"

#: States in which the applicant may add files, and to which stage they belong.
UPLOAD_STATES = (State.DRAFT, State.RETURNED, State.IMPLEMENTATION)
PRE_APPROVAL_STAGES = frozenset({State.DRAFT, State.SUBMITTED, State.COUNTY_REVIEW,
                                 State.CITY_REVIEW, State.EXPERT_REVIEW})


def attachment_stage(application) -> str:
    """Application materials before approval, acceptance materials after."""
    stage = application.returned_from if application.state == State.RETURNED \
        else application.state
    return AttachmentStage.APPLICATION if stage in PRE_APPROVAL_STAGES \
        else AttachmentStage.ACCEPTANCE


def attachment_kinds(application, stage: str) -> list[dict]:
    category = application.category
    return category.required_attachments if stage == AttachmentStage.APPLICATION \
        else category.acceptance_attachments


class UnchangedUpload(ValidationError):
    """The upload has the same content (SHA-256) as the kind's current version, which stays
    current: nothing was stored. A ValidationError on "file", so a caller that does not look
    for it still refuses with the reason."""

    def __init__(self, current: Attachment):
        self.current = current
        super().__init__({"file": [lazy_format(
            _("该文件与当前版本（第 %(version)s 版 %(name)s）内容相同，未保存为新版本。"),
            {"version": current.version, "name": current.original_name})]})


def _check_name(name: str) -> str:
    if not name or any(c in name for c in "/\\\x00") or name.startswith(".") or ".." in name:
        raise ValidationError({"file": [_("文件名不能包含路径或以点开头，请改名后再上传。")]})
    if len(name) > 255:
        raise ValidationError({"file": [_("文件名过长（最多 255 个字符）。")]})
    return name


def _check_zip(upload) -> None:
    """Refuse archives that expand too much (zip bombs), name members outside the archive
    (`../x`, `/etc/x`, `C:x`: "zip slip" for whoever unpacks them) or cannot be read."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            total = 0
            for info in archive.infolist():
                member = info.filename.replace("\\", "/")
                if member.startswith("/") or ".." in member.split("/") or ":" in member:
                    raise ValidationError(
                        {"file": [_("压缩文件中含有带路径跳转的文件名，已拒绝。")]})
                total += info.file_size
                ratio = info.file_size / max(info.compress_size, 1)
                if ratio > settings.ATTACHMENT_MAX_ZIP_RATIO \
                        or total > settings.ATTACHMENT_MAX_UNZIPPED_BYTES:
                    raise ValidationError(
                        {"file": [_("压缩文件解压后过大，疑似压缩炸弹，已拒绝。")]})
    except zipfile.BadZipFile:
        raise ValidationError({"file": [_("压缩文件已损坏，无法读取。")]}) from None
    finally:
        upload.seek(0)


def detect_type(upload) -> str:
    """The content type of an uploaded file judged by its bytes, not its name."""
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    return magic.from_buffer(head, mime=True)


def file_response(attachment: Attachment, *, preview: bool = False) -> FileResponse:
    """The stored file as a download; with `preview`, shown in the browser instead when it
    is a PDF or an image and its stored bytes are still of the type recorded at upload
    (otherwise it is downloaded). The caller has checked who may see it."""
    handle = attachment.file.open("rb")
    inline = (preview and attachment.content_type in PREVIEW_TYPES
              and detect_type(handle) == attachment.content_type)
    response = FileResponse(handle, as_attachment=not inline,
                            filename=attachment.original_name,
                            content_type=attachment.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = FILE_POLICY
    response["Cache-Control"] = "private"
    return response


def add_attachment(user, application: Application, kind: str, upload,
                   sent_name: str | None = None) -> Attachment:
    """Validate and store `upload` as the next version of `kind` on the application.

    `sent_name` is the file name as the client sent it when that differs from `upload.name`
    (Django keeps only the base name; a path in it is refused here).

    Raises PermissionDenied if the user may not add files, UnchangedUpload if the file is
    the kind's current version again, ValidationError (field "kind" or "file") with a
    readable message otherwise. Nothing is stored when a check fails.
    """
    if getattr(user, "role", None) != Role.APPLICANT \
            or user.organisation_id != application.organisation_id:
        raise PermissionDenied(_("只有申报单位本单位的用户可以上传附件。"))
    if application.state not in UPLOAD_STATES:
        raise ValidationError({"file": [_("当前状态下不能上传附件。")]})
    stage = attachment_stage(application)
    kinds = {item["kind"]: item["label"] for item in attachment_kinds(application, stage)}
    if kind not in kinds:
        raise ValidationError({"kind": [lazy_format(_("材料类型无效，可选：%(kinds)s"),
                                                    {"kinds": "、".join(kinds.values())})]})
    if sent_name:
        _check_name(sent_name)
    name = _check_name(upload.name)
    if upload.size > settings.ATTACHMENT_MAX_BYTES:
        raise ValidationError({"file": [lazy_format(
            _("文件过大：%(size).1f MB，上限 %(limit).1f MB。"),
            {"size": upload.size / 1048576, "limit": settings.ATTACHMENT_MAX_BYTES / 1048576})]})
    if upload.size == 0:
        raise ValidationError({"file": [_("文件为空。")]})
    content_type = detect_type(upload)
    if content_type not in ALLOWED_TYPES:
        raise ValidationError({"file": [lazy_format(
            _("不允许的文件类型（按内容识别为 %(type)s）。只接受 PDF、图片、Office 文档和 ZIP。"),
            {"type": content_type})]})
    if content_type in ZIP_BASED:
        _check_zip(upload)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    attachment = None
    try:
        with transaction.atomic():
            # serialise versions of one application's files
            Application.objects.select_for_update().filter(pk=application.pk).exists()
            current = application.attachments.filter(kind=kind).order_by("-version").first()
            if current is not None and current.sha256 == digest.hexdigest():
                raise UnchangedUpload(current)
            attachment = Attachment(application=application, stage=stage, kind=kind,
                                    version=(current.version if current else 0) + 1,
                                    original_name=name,
                                    content_type=content_type, size=upload.size,
                                    sha256=digest.hexdigest(), uploaded_by=user)
            revision = open_round(application)
            attachment.file.save(name, upload, save=False)
            attachment.save()
            record_new_attachment(revision, attachment)
            crashpoints.pause("attachment_stored")
    except BaseException:
        # the row is rolled back, so the file must go too (a killed process cannot do this:
        # `manage.py sweep_orphan_files` removes what such a crash leaves)
        if attachment is not None and attachment.file.name:
            attachment.file.storage.delete(attachment.file.name)
        raise
    return attachment
