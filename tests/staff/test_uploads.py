"""Training materials are judged by their content: a PDF, JPG, PNG or an Office Open XML file
(DOCX, PPTX, XLSX, without macros) of at most 10 MB is stored under the kind detected; anything
else is refused with a message (the dissemination report's page: test_training.py)."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from staff.uploads import MATERIALS_MAX_BYTES, document_check, materials_check

WORD = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
SLIDES = "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"
WORD_MACROS = "application/vnd.ms-word.document.macroEnabled.main+xml"


def _office(main_part: str, content_type: str, extra: dict | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            f'<Types><Override PartName="/{main_part}" ContentType="{content_type}"/></Types>',
        )
        archive.writestr(main_part, "<document/>")
        for name, content in (extra or {}).items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _xlsx() -> bytes:
    buffer = io.BytesIO()
    workbook = Workbook()
    workbook.active["A1"] = "Materi"
    workbook.save(buffer)
    return buffer.getvalue()


def _plain_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("modul.txt", "bukan dokumen Office")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("modul.pdf", b"%PDF-1.4\n%%EOF\n", "pdf"),
        ("Modul Bu Ani.docx", _office("word/document.xml", WORD), "docx"),
        ("slide.pptx", _office("ppt/presentation.xml", SLIDES), "pptx"),
        ("rekap.xlsx", _xlsx(), "xlsx"),
        ("rekap.bin", _xlsx(), "xlsx"),  # the content decides, not the name
    ],
)
def test_materials_of_the_accepted_kinds_are_stored_as_detected(name, content, kind):
    upload = materials_check(SimpleUploadedFile(name, content), stem="materials")
    assert upload.name == f"materials.{kind}"


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("modul.docx", b"Ini hanya teks.", "wrong_type"),
        ("modul.docx", _plain_zip(), "wrong_type"),
        ("modul.docm", _office("word/document.xml", WORD_MACROS), "wrong_type"),
        (
            "modul.docx",
            _office("word/document.xml", WORD, {"word/vbaProject.bin": b"\x00"}),
            "wrong_type",
        ),
        ("modul.exe", b"MZ\x90\x00", "wrong_type"),
        ("kosong.pdf", b"", "empty"),
        ("besar.pdf", b"%PDF-1.4\n" + b"0" * MATERIALS_MAX_BYTES, "too_large"),
    ],
)
def test_other_materials_are_refused_with_a_message(name, content, code):
    with pytest.raises(ValidationError) as refused:
        materials_check(SimpleUploadedFile(name, content), stem="materials")
    assert refused.value.code == code
    assert refused.value.messages[0]


def test_documents_other_than_materials_stay_pdf_jpg_or_png():
    with pytest.raises(ValidationError):
        document_check(
            SimpleUploadedFile("sertifikat.docx", _office("word/document.xml", WORD)),
            stem="certificate",
        )
