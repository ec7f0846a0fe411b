"""Uploads are capped while the body arrives: a file growing past ATTACHMENT_MAX_BYTES is
dropped at that point (never written whole), the rest of the form is still read, and the
view learns which field was dropped so it can say why, with the typed values kept."""

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

#: The request attribute naming the file fields dropped for their size.
OVERSIZE_ATTRIBUTE = "oversize_uploads"


class CappedUploadHandler(FileUploadHandler):
    """First of FILE_UPLOAD_HANDLERS: counts each file's bytes and skips it past the cap."""

    def new_file(self, field_name, *args, **kwargs):
        super().new_file(field_name, *args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > settings.ATTACHMENT_MAX_BYTES:
            if self.request is not None:
                setattr(self.request, OVERSIZE_ATTRIBUTE,
                        {*oversize_uploads(self.request), self.field_name})
            raise SkipFile
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handler (memory or temporary file) keeps the file


def oversize_uploads(request) -> set[str]:
    """The names of the file fields of `request` dropped for being over the cap."""
    return getattr(request, OVERSIZE_ATTRIBUTE, set())


def oversize_message() -> str:
    """What the sender of a dropped file is told."""
    return _("文件超过上限 %(limit)s，未接收。") % {
        "limit": filesizeformat(settings.ATTACHMENT_MAX_BYTES)}
