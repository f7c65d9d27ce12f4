"""Uploaded scans and photos of documents (a signed consent form, a training certificate):
PDF, JPG or PNG of at most 5 MB, judged by the content, never by the name.

Used by every app that takes such a file; `staff` imports nothing of the others, so they all
can import this.
"""

import uuid

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
}
_SIGNATURES = (
    (b"%PDF-", "pdf"),
    (b"\xff\xd8\xff", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "png"),
)
_PILLOW_FORMATS = {"jpg": "JPEG", "png": "PNG"}


def document_check(upload: UploadedFile, *, stem: str) -> UploadedFile:
    """Refuse anything but a PDF, JPG or PNG of at most 5 MB; rename the upload to
    ``<stem>.<detected kind>`` so that it is stored with the right extension (models store it
    under a random name of their own, never the uploaded one)."""
    if upload.size is None or upload.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    if upload.size > DOCUMENT_MAX_BYTES:
        raise ValidationError(
            _("The file is larger than 5 MB. Scan the document at a lower resolution."),
            code="too_large",
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    kind = next((kind for signature, kind in _SIGNATURES if head.startswith(signature)), None)
    if kind is None:
        raise ValidationError(
            _("The file is not a PDF, JPG or PNG. Upload a scan or photo of the document."),
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
