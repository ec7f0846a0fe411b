"""Storing attachments safely (what a file is: subsidy/uploads.py), versions, serving them.

Files live under MEDIA_ROOT (outside any public web root) with random names, and are served
only through views that check who may see the application.
"""


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
from .uploads import check_upload, detect_type

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


def file_response(attachment: Attachment, *, preview: bool = False) -> FileResponse:
    """The stored file as a download; with `preview`, shown in the browser instead when it
    is a PDF or an image and its stored bytes are still of the type recorded at upload
    (otherwise it is downloaded). The caller has checked who may see it."""
    handle = attachment.file.open("rb")
    inline = (preview and attachment.content_type in PREVIEW_TYPES
              and detect_type(handle) == attachment.content_type)
    return stored_file_response(handle, attachment.original_name, attachment.content_type,
                                inline=inline)


def stored_file_response(handle, filename: str, content_type: str, *,
                         inline: bool = False) -> FileResponse:
    """A stored upload served safely: its detected type, downloaded unless `inline`, never
    sniffed, running and loading nothing (FILE_POLICY), kept out of shared caches."""
    response = FileResponse(handle, as_attachment=not inline, filename=filename,
                            content_type=content_type)
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
    checked = check_upload(upload, sent_name)
    attachment = None
    try:
        with transaction.atomic():
            # serialise versions of one application's files
            Application.objects.select_for_update().filter(pk=application.pk).exists()
            current = application.attachments.filter(kind=kind).order_by("-version").first()
            if current is not None and current.sha256 == checked.sha256:
                raise UnchangedUpload(current)
            attachment = Attachment(application=application, stage=stage, kind=kind,
                                    version=(current.version if current else 0) + 1,
                                    original_name=checked.name,
                                    content_type=checked.content_type, size=upload.size,
                                    sha256=checked.sha256, uploaded_by=user)
            revision = open_round(application)
            attachment.file.save(checked.stored_name, upload, save=False)
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
