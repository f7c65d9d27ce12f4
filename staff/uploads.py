"""Uploaded scans and photos of documents (a signed consent form, a training certificate):
PDF, JPG or PNG of at most 5 MB, judged by the content, never by the name. Training materials
(a dissemination report's file) may also be a Word, PowerPoint or Excel file (DOCX, PPTX,
XLSX; no macros) of at most 10 MB.

Used by every app that takes such a file; `staff` imports nothing of the others, so they all
can import this.
"""

import uuid
import zipfile

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

DOCUMENT_MAX_BYTES = 5 * 1024 * 1024
# The kinds of document accepted, by the extension they are stored under.
DOCUMENT_CONTENT_TYPES = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "png": "image/png",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
MATERIALS_MAX_BYTES = 10 * 1024 * 1024
# An Office Open XML file is a ZIP holding its main part at a fixed place.
_OFFICE_MAIN_PARTS = {
    "word/document.xml": "docx",
    "ppt/presentation.xml": "pptx",
    "xl/workbook.xml": "xlsx",
}
_ZIP_SIGNATURE = b"PK\x03\x04"
# [Content_Types].xml is a few kilobytes; a larger one is not read.
_CONTENT_TYPES_MAX_BYTES = 256 * 1024
_SIGNATURES = (
    (b"%PDF-", "pdf"),
    (b"\xff\xd8\xff", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "png"),
)
_PILLOW_FORMATS = {"jpg": "JPEG", "png": "PNG"}


def _head(upload: UploadedFile, max_bytes: int, too_large: str) -> bytes:
    """The first bytes of an upload that is neither empty nor larger than max_bytes."""
    if upload.size is None or upload.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    if upload.size > max_bytes:
        raise ValidationError(too_large, code="too_large")
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    return head


def document_check(upload: UploadedFile, *, stem: str) -> UploadedFile:
    """Refuse anything but a PDF, JPG or PNG of at most 5 MB; rename the upload to
    ``<stem>.<detected kind>`` so that it is stored with the right extension (models store it
    under a random name of their own, never the uploaded one)."""
    head = _head(
        upload,
        DOCUMENT_MAX_BYTES,
        _("The file is larger than 5 MB. Scan the document at a lower resolution."),
    )
    return _image_or_pdf(upload, head, stem=stem)


def materials_check(upload: UploadedFile, *, stem: str) -> UploadedFile:
    """Training materials: a PDF, JPG, PNG, DOCX, PPTX or XLSX of at most 10 MB, judged by the
    content; renamed like document_check."""
    head = _head(
        upload,
        MATERIALS_MAX_BYTES,
        _("The file is larger than 10 MB. Save it smaller, or share a link in the text instead."),
    )
    if not head.startswith(_ZIP_SIGNATURE):
        return _image_or_pdf(upload, head, stem=stem, message=_materials_wrong_type)
    kind = _office_kind(upload)
    if kind is None:
        raise ValidationError(_materials_wrong_type(), code="wrong_type")
    upload.name = f"{stem}.{kind}"
    return upload


def _materials_wrong_type() -> str:
    return _(
        "The file is not a PDF, Word (DOCX), PowerPoint (PPTX), Excel (XLSX), JPG or PNG file. "
        "Files with macros are not accepted."
    )


def _office_kind(upload: UploadedFile) -> str | None:
    """docx, pptx or xlsx when the upload is that Office Open XML file without macros."""
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            info = archive.getinfo("[Content_Types].xml")
            if info.file_size > _CONTENT_TYPES_MAX_BYTES:
                return None
            content_types = archive.read(info).decode("utf-8", "replace")
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, RuntimeError):
        return None
    finally:
        upload.seek(0)
    if "macroEnabled" in content_types or any("vbaProject" in name for name in names):
        return None
    return next((kind for part, kind in _OFFICE_MAIN_PARTS.items() if part in names), None)


def _image_or_pdf(upload: UploadedFile, head: bytes, *, stem: str, message=None) -> UploadedFile:
    kind = next((kind for signature, kind in _SIGNATURES if head.startswith(signature)), None)
    if kind is None:
        raise ValidationError(
            message()
            if message
            else _("The file is not a PDF, JPG or PNG. Upload a scan or photo of the document."),
            code="wrong_type",
        )
    if kind in _PILLOW_FORMATS and _image_format(upload) != _PILLOW_FORMATS[kind]:
        raise ValidationError(
            _("The image is damaged and cannot be opened. Scan or photograph the document again."),
            code="damaged",
        )
    upload.name = f"{stem}.{kind}"
    return upload


def _image_format(upload: UploadedFile) -> str | None:
    """The format Pillow reads in the upload once it has checked the whole image, else None."""
    try:
        with Image.open(upload) as image:
            detected = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        detected = None
    finally:
        upload.seek(0)
    return detected


def document_content_type(name: str) -> str:
    """The content type to serve a stored document with, from the extension it was stored under."""
    extension = name.rsplit(".", 1)[-1].lower()
    return DOCUMENT_CONTENT_TYPES.get(extension, "application/octet-stream")


def random_document_path(folder: str, school_id: int | None, filename: str) -> str:
    """``<folder>/<school>/<random>.<extension>``: never the uploaded name, which may carry a
    person's name."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"{folder}/{school_id}/{uuid.uuid4().hex}.{extension}"
