"""Reads the text of one received file: run as a separate process by files.extract, never imported.

It limits its own memory and processor time before it reads a byte, so a hostile file can only
exhaust this process, which the parent also kills when its time runs out. The file arrives on
standard input; one line of JSON goes to standard output.

    python -I extract_worker.py KIND MAX_PAGES MEMORY_BYTES SECONDS < file
"""
import html
import io
import json
import re
import resource
import sys


def _limit(memory_bytes: int, seconds: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 1))
    # A file must not leave anything behind, a core dump included.
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _pdf(data: bytes, max_pages: int) -> dict:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data), strict=False)
    if reader.is_encrypted:
        return {"outcome": "encrypted"}
    pages = len(reader.pages)
    if pages > max_pages:
        return {"outcome": "too_many_pages", "pages": pages}
    text = "\n\n".join((page.extract_text() or "") for page in reader.pages)
    return {"outcome": "ok", "text": text, "pages": pages}


def _docx(data: bytes) -> dict:
    import docx

    document = docx.Document(io.BytesIO(data))
    lines = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append(" | ".join(cell.text for cell in row.cells))
    return {"outcome": "ok", "text": "\n".join(lines), "pages": None}


def _text(data: bytes) -> dict:
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    import files  # the same decoding the parent checked with

    try:
        return {"outcome": "ok", "text": files.decode_text(data), "pages": None}
    except files.FileRefused:
        return {"outcome": "bad_text"}


_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
MAX_CHARS = 500_000


def clean(text: str) -> str:
    import bleach

    text = text.replace("\r\n", "\n").replace("\r", "\n")[: MAX_CHARS * 2]
    # Markup in a document is never shown as markup: tags go, and the entities bleach escapes come
    # back as the characters they were (the page escapes them again when it shows them).
    text = html.unescape(bleach.clean(text, tags=set(), attributes={}, strip=True, strip_comments=True))
    text = _CONTROLS.sub("", text).replace("\x0c", "\n")
    text = re.sub(r"[ \t]+\n", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()[:MAX_CHARS]


def main(argv: list[str]) -> int:
    kind, max_pages, memory_bytes, seconds = argv[1], int(argv[2]), int(argv[3]), int(argv[4])
    _limit(memory_bytes, seconds)
    data = sys.stdin.buffer.read()
    try:
        if kind == "pdf":
            answer = _pdf(data, max_pages)
        elif kind == "docx":
            answer = _docx(data)
        elif kind == "text":
            answer = _text(data)
        else:
            answer = {"outcome": "unknown_kind"}
        if answer.get("outcome") == "ok":
            answer["text"] = clean(answer.get("text") or "")
    except MemoryError:
        answer = {"outcome": "too_much_memory"}
    except Exception as exc:  # noqa: BLE001  (any failure to parse is the same outcome for the person)
        answer = {"outcome": "unreadable", "error": exc.__class__.__name__}
    sys.stdout.write(json.dumps(answer))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
