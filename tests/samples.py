"""Files a placing authority might send us, good and bad, made on the spot (nothing checked in)."""
from __future__ import annotations

import io
import os
import zipfile

MB = 1024 * 1024

RHI_TEXT = (
    "Return Home Interview. The young person said they stayed with a friend in Testtown and were picked up "
    "in a car by older men who gave them a phone. They agreed to meet their social worker next week."
)


def blank_pdf(pages: int = 1) -> bytes:
    """A PDF with no text layer, like a scan."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def text_pdf(text: str = RHI_TEXT) -> bytes:
    from weasyprint import HTML

    return HTML(string=f"<p>{text}</p>").write_pdf()


def encrypted_pdf() -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(blank_pdf())))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def truncated_pdf() -> bytes:
    data = text_pdf()
    return data[: len(data) // 2]


def docx(text: str = RHI_TEXT) -> bytes:
    import docx as python_docx

    document = python_docx.Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def docx_with_macros() -> bytes:
    """A real document with a VBA project added, as Word saves a .docm."""
    source = zipfile.ZipFile(io.BytesIO(docx()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item, source.read(item))
        target.writestr("word/vbaProject.bin", b"\xd0\xcf\x11\xe0" + os.urandom(512))
    return out.getvalue()


def zip_bomb(unpacked_mb: int = 64) -> bytes:
    """A small file that claims to be a Word document and unpacks to many megabytes of nothing."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'wordprocessingml.document.main+xml"/></Types>',
        )
        chunk = b"\0" * MB
        with archive.open("word/document.xml", "w") as member:
            for _ in range(unpacked_mb):
                member.write(chunk)
    return out.getvalue()


def renamed_program() -> bytes:
    """What a Windows program looks like when someone calls it rhi.pdf."""
    return b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"This program cannot be run in DOS mode." + os.urandom(2048)


def just_over_the_limit() -> bytes:
    return b"a" * (10 * MB + 1)
