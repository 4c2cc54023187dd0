"""Checking a received RHI file by what it contains, and reading its text in a child process.

Nothing here trusts the file's name or the browser's idea of its type: the kind comes from the
bytes. Word documents are judged from their zip directory alone, without unpacking anything, so a
zip bomb is refused before it can cost memory. Parsing a PDF or a Word document is the part that
could hang or swallow memory on a hostile file, so it runs in a separate process with limits on
time and memory (extract_worker.py), which is killed if it overruns.
"""
from __future__ import annotations

import hashlib
import io
import json
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

MAX_BYTES = 10 * 1024 * 1024
MAX_PAGES = 200
# A Word document's parts added up, as the zip directory declares them.
MAX_DOCX_UNPACKED = 50 * 1024 * 1024
# Ordinary documents pack their XML about ten to one; far beyond that is a bomb, not a document.
MAX_DOCX_RATIO = 100
MAX_DOCX_PARTS = 2000
EXTRACT_SECONDS = 20
EXTRACT_MEMORY_BYTES = 1024 * 1024 * 1024

PDF = "pdf"
DOCX = "docx"
TEXT = "text"
CONTENT_TYPES = {
    PDF: "application/pdf",
    DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    TEXT: "text/plain; charset=utf-8",
}
KIND_LABELS = {PDF: "PDF", DOCX: "Word document", TEXT: "Text file"}

WORKER = Path(__file__).with_name("extract_worker.py")

ACCEPTED = "a PDF, Word document (.docx) or text file"
EMPTY = "The selected file is empty"
TOO_BIG = "The selected file must be smaller than 10MB"
PROGRAM = f"The selected file is a program, not a document. Upload the RHI as {ACCEPTED}"
WRONG_KIND = f"The selected file must be {ACCEPTED}"
OLD_OR_LOCKED_WORD = ("The selected file is an older Word document (.doc) or a document protected with a password. "
                      "Save it as a .docx or PDF without a password and upload that")
BOMB = ("The selected Word document unpacks to far more than its size, so it cannot be opened safely. "
        "Save it as a PDF and upload that")
MACROS = "The selected file contains macros. Save it as a Word document without macros (.docx) or as a PDF and upload that"
DAMAGED_WORD = "The selected Word document is damaged. Save it again and upload the new copy"
TRUNCATED_PDF = "The selected PDF is incomplete or damaged. It may not have finished downloading: save it again and upload the new copy"
ENCRYPTED_PDF = ("The selected PDF is protected with a password, so it cannot be read. "
                 "Ask the sender for a copy without a password")
TOO_MANY_PAGES = f"The selected PDF must have {MAX_PAGES} pages or fewer"
UNREADABLE = "We could not read this file. Save it again as a PDF or Word document and upload the new copy"
BAD_TEXT = "The selected text file could not be read. Save it as plain text (UTF-8) and upload it again"


class FileRefused(ValueError):
    """A file we will not keep, with the message to show next to the file field."""

    def __init__(self, message: str, reason: str):
        super().__init__(message)
        self.message = message
        # A short code for tests and logs: the message is for people.
        self.reason = reason


@dataclass
class CheckedFile:
    kind: str
    data: bytes
    sha256: str

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.kind]

    @property
    def size(self) -> int:
        return len(self.data)


@dataclass
class Extracted:
    text: str
    page_count: int | None

    @property
    def has_text(self) -> bool:
        # A scanned page can yield a stray page number; that is not text a person wrote.
        return sum(ch.isalnum() for ch in self.text) >= 10


_PROGRAM_SIGNATURES = (b"MZ", b"\x7fELF", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe", b"\xce\xfa\xed\xfe", b"#!")
_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def check(data: bytes) -> CheckedFile:
    """The file's real kind, or FileRefused. Cheap: nothing is parsed beyond a zip directory."""
    if not data:
        raise FileRefused(EMPTY, "empty")
    if len(data) > MAX_BYTES:
        raise FileRefused(TOO_BIG, "too_big")
    head = data[:8]
    if data.startswith(b"%PDF-"):
        # A PDF ends with its trailer; one cut short in transfer has none.
        if b"%%EOF" not in data[-2048:]:
            raise FileRefused(TRUNCATED_PDF, "truncated")
        kind = PDF
    elif head.startswith(b"PK\x03\x04"):
        _check_docx(data)
        kind = DOCX
    elif head.startswith(_OLE_SIGNATURE):
        raise FileRefused(OLD_OR_LOCKED_WORD, "ole")
    elif head.startswith(_PROGRAM_SIGNATURES):
        raise FileRefused(PROGRAM, "program")
    else:
        decode_text(data)
        kind = TEXT
    return CheckedFile(kind=kind, data=data, sha256=hashlib.sha256(data).hexdigest())


def _check_docx(data: bytes) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        parts = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise FileRefused(DAMAGED_WORD, "bad_zip") from None
    names = {p.filename for p in parts}
    if "[Content_Types].xml" not in names or "word/document.xml" not in names:
        raise FileRefused(WRONG_KIND, "not_word")
    if len(parts) > MAX_DOCX_PARTS:
        raise FileRefused(BOMB, "too_many_parts")
    unpacked = sum(p.file_size for p in parts)
    packed = sum(p.compress_size for p in parts)
    if unpacked > MAX_DOCX_UNPACKED or unpacked > max(packed, 1) * MAX_DOCX_RATIO:
        raise FileRefused(BOMB, "zip_bomb")
    for part in parts:
        if part.compress_size and part.file_size > 1024 * 1024 and part.file_size / part.compress_size > MAX_DOCX_RATIO:
            raise FileRefused(BOMB, "zip_bomb")
        if part.flag_bits & 0x1:
            raise FileRefused(OLD_OR_LOCKED_WORD, "encrypted_zip")
        if part.filename.lower().endswith("vbaproject.bin") or part.filename.lower().endswith("vbadata.xml"):
            raise FileRefused(MACROS, "macros")
    content_types_part = archive.getinfo("[Content_Types].xml")
    if content_types_part.file_size > 1024 * 1024:
        raise FileRefused(BOMB, "zip_bomb")
    try:
        content_types = archive.read(content_types_part).lower()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise FileRefused(DAMAGED_WORD, "bad_zip") from None
    if b"macroenabled" in content_types or b"vbaproject" in content_types:
        raise FileRefused(MACROS, "macros")
    if b"wordprocessingml.document.main+xml" not in content_types:
        # A spreadsheet or a template saved under a .docx name.
        raise FileRefused(WRONG_KIND, "not_word")


def decode_text(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise FileRefused(BAD_TEXT, "bad_text") from None
    elif b"\x00" in data:
        raise FileRefused(WRONG_KIND, "binary")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            # Older Windows editors save in this code page; it decodes any byte, so judge the result.
            text = data.decode("cp1252", errors="replace")
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f")
    if controls > max(2, len(text) // 100):
        raise FileRefused(WRONG_KIND, "binary")
    return text


def extract(checked: CheckedFile, seconds: int = EXTRACT_SECONDS, memory_bytes: int = EXTRACT_MEMORY_BYTES) -> Extracted:
    """The file's text, cleaned of any markup, read by a child process that is killed on overrun."""
    command = [sys.executable, "-I", str(WORKER), checked.kind, str(MAX_PAGES), str(memory_bytes), str(seconds)]
    try:
        finished = subprocess.run(command, input=checked.data, capture_output=True, timeout=seconds, check=False)
    except subprocess.TimeoutExpired:
        raise FileRefused(UNREADABLE, "timeout") from None
    if finished.returncode != 0:
        raise FileRefused(UNREADABLE, "worker_failed")
    try:
        answer = json.loads(finished.stdout)
    except ValueError:
        raise FileRefused(UNREADABLE, "worker_failed") from None
    outcome = answer.get("outcome")
    if outcome == "encrypted":
        raise FileRefused(ENCRYPTED_PDF, "encrypted")
    if outcome == "too_many_pages":
        raise FileRefused(TOO_MANY_PAGES, "too_many_pages")
    if outcome == "bad_text":
        raise FileRefused(BAD_TEXT, "bad_text")
    if outcome != "ok":
        raise FileRefused(UNREADABLE, outcome or "unreadable")
    return Extracted(text=answer.get("text") or "", page_count=answer.get("pages"))


def read(data: bytes) -> tuple[CheckedFile, Extracted]:
    checked = check(data)
    extracted = extract(checked)
    if checked.kind == TEXT and not extracted.text.strip():
        raise FileRefused(EMPTY, "empty")
    return checked, extracted
