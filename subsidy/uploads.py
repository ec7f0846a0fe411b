"""What an uploaded file is, judged by its content, never by its name: one check serves the
applicants' attachments and the objectors' evidence.

A file is accepted when its bytes are of an allowed type, its name's extension agrees with
that type, an Office file or ZIP reads as its archive, and wherever a file carries an archive
(a ZIP appended to a PDF too) that archive expands to a sane size without paths leaving it.
The name it is stored under keeps the extension the content agreed with.
"""

import hashlib
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

import magic
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from workflows.i18n import lazy_format

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
#: The extensions a name may have for each type (libmagic names some Office files by their
#: container: a .docx may read as a ZIP, and is then checked as one).
EXTENSIONS = {
    "application/pdf": (".pdf",),
    "image/png": (".png",),
    "image/jpeg": (".jpg", ".jpeg"),
    "application/msword": (".doc",),
    "application/vnd.ms-excel": (".xls",),
    "application/vnd.ms-powerpoint": (".ppt",),
    "application/CDFV2": (".doc", ".xls", ".ppt"),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (".docx",),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (".xlsx",),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": (".pptx",),
    "application/zip": (".zip", ".docx", ".xlsx", ".pptx"),
}
ZIP_BASED = {t for t in ALLOWED_TYPES if "openxmlformats" in t} | {"application/zip"}
#: The local-header signature of a ZIP member: found anywhere, the archive checks apply.
ZIP_SIGNATURE = b"PK\x03\x04"


@dataclass(frozen=True)
class CheckedUpload:
    """An accepted upload: its name as sent, the name to store it under, what it is."""

    name: str
    stored_name: str
    content_type: str
    sha256: str


def refuse(message) -> ValidationError:
    return ValidationError({"file": [message]})


def detect_type(upload) -> str:
    """The content type of an uploaded file judged by its bytes, not its name."""
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    return magic.from_buffer(head, mime=True)


def check_name(name: str) -> str:
    """A plain file name: no path, no NUL, not hidden, not too long."""
    if not name or any(c in name for c in "/\\\x00") or name.startswith(".") or ".." in name:
        raise refuse(_("文件名不能包含路径或以点开头，请改名后再上传。"))
    if len(name) > 255:
        raise refuse(_("文件名过长（最多 255 个字符）。"))
    return name


def check_extension(name: str, content_type: str) -> str:
    """The extension the stored file gets; refused when the name claims another type."""
    suffix = PurePosixPath(name).suffix.lower()
    allowed = EXTENSIONS[content_type]
    if suffix not in allowed:
        raise refuse(lazy_format(
            _("文件扩展名（%(suffix)s）与文件内容（%(type)s）不符，"
              "请上传真实的 %(type)s 文件或改正扩展名。"),
            {"suffix": suffix or _("无"), "type": ALLOWED_TYPES[content_type]}))
    return suffix


def check_archive(upload, *, required: bool) -> None:
    """Refuse archives that expand too much (zip bombs), name members outside the archive
    (`../x`, `/etc/x`, `C:x`: "zip slip" for whoever unpacks them) or, when the file is one
    (`required`), cannot be read. A file that only carries an archive (appended to a PDF)
    is judged by that archive the same way."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            total = 0
            for info in archive.infolist():
                member = info.filename.replace("\\", "/")
                if member.startswith("/") or ".." in member.split("/") or ":" in member:
                    raise refuse(_("压缩文件中含有带路径跳转的文件名，已拒绝。"))
                total += info.file_size
                ratio = info.file_size / max(info.compress_size, 1)
                if ratio > settings.ATTACHMENT_MAX_ZIP_RATIO \
                        or total > settings.ATTACHMENT_MAX_UNZIPPED_BYTES:
                    raise refuse(_("压缩文件解压后过大，疑似压缩炸弹，已拒绝。"))
    except zipfile.BadZipFile:
        if required:
            raise refuse(_("压缩文件已损坏，无法读取。")) from None
    finally:
        upload.seek(0)


def carries_archive(upload) -> bool:
    """Whether a ZIP member's signature appears anywhere in the file."""
    upload.seek(0)
    tail = b""
    for chunk in upload.chunks():
        if ZIP_SIGNATURE in tail + chunk:
            upload.seek(0)
            return True
        tail = chunk[-(len(ZIP_SIGNATURE) - 1):]
    upload.seek(0)
    return False


def check_upload(upload, sent_name: str | None = None) -> CheckedUpload:
    """Judge `upload` (a Django UploadedFile or File) by its content; `sent_name` is the name
    as the client sent it when Django kept only its base name. Raises ValidationError on
    "file" with the reason; reads the file, changes nothing."""
    if sent_name:
        check_name(sent_name)
    name = check_name(upload.name or "")
    if upload.size > settings.ATTACHMENT_MAX_BYTES:
        raise refuse(lazy_format(_("文件过大：%(size)s，上限 %(limit)s。"), {
            "size": filesizeformat(upload.size),
            "limit": filesizeformat(settings.ATTACHMENT_MAX_BYTES)}))
    if upload.size == 0:
        raise refuse(_("文件为空。"))
    content_type = detect_type(upload)
    if content_type not in ALLOWED_TYPES:
        raise refuse(lazy_format(
            _("不允许的文件类型（按内容识别为 %(type)s）。只接受 PDF、图片、Office 文档和 ZIP。"),
            {"type": content_type}))
    suffix = check_extension(name, content_type)
    if content_type in ZIP_BASED:
        check_archive(upload, required=True)
    elif carries_archive(upload):
        check_archive(upload, required=False)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    stem = PurePosixPath(name).stem
    return CheckedUpload(name=name, stored_name=f"{stem}{suffix}", content_type=content_type,
                         sha256=digest.hexdigest())
