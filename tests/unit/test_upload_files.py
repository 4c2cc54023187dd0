"""Received RHI files are judged by their content, and read in a child process with limits."""
import pytest

from rhi_service.placements import files
from tests import samples


def refused(data: bytes) -> files.FileRefused:
    with pytest.raises(files.FileRefused) as caught:
        files.read(data)
    return caught.value


def test_a_pdf_with_text_is_read():
    checked, extracted = files.read(samples.text_pdf())
    assert checked.kind == files.PDF
    assert checked.content_type == "application/pdf"
    assert extracted.page_count == 1
    assert "picked up" in extracted.text and extracted.has_text


def test_a_pdf_with_no_text_layer_is_kept_but_has_no_text():
    checked, extracted = files.read(samples.blank_pdf(pages=2))
    assert checked.kind == files.PDF
    assert extracted.page_count == 2
    assert not extracted.has_text


def test_a_word_document_is_read():
    checked, extracted = files.read(samples.docx())
    assert checked.kind == files.DOCX
    assert "older men" in extracted.text


def test_plain_text_is_read_and_cleaned_of_markup():
    checked, extracted = files.read(b"<p>Met at <b>school</b> &amp; talked.</p><script>alert(1)</script>\r\nDone")
    assert checked.kind == files.TEXT
    assert "<" not in extracted.text and "school & talked" in extracted.text
    assert extracted.text.endswith("Done")


def test_text_saved_by_an_older_windows_editor_is_read():
    _, extracted = files.read("Caf\u00e9 near the station, with friends from school".encode("cp1252"))
    assert "Caf\u00e9" in extracted.text


def test_the_kind_comes_from_the_content_not_the_name():
    # The same bytes are a PDF whatever they are called; the name is never consulted.
    assert files.check(samples.blank_pdf()).kind == files.PDF
    assert files.check(samples.docx()).kind == files.DOCX


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda: b"", "empty"),
        (samples.just_over_the_limit, "too_big"),
        (samples.truncated_pdf, "truncated"),
        (samples.renamed_program, "program"),
        (samples.zip_bomb, "zip_bomb"),
        (samples.docx_with_macros, "macros"),
        (samples.encrypted_pdf, "encrypted"),
        (lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "ole"),
        (lambda: bytes(range(256)) * 10, "binary"),
        (lambda: b"   \n\n  ", "empty"),
    ],
    ids=["empty", "over_10mb", "truncated_pdf", "renamed_program", "zip_bomb", "macros", "encrypted_pdf", "old_word",
         "binary", "only_spaces"],
)
def test_bad_files_are_refused_each_with_its_own_reason(make, reason):
    problem = refused(make())
    assert problem.reason == reason
    assert problem.message.startswith(("The selected", "We could not"))


def test_each_refusal_says_what_to_do_in_its_own_words():
    messages = {refused(make()).message for make in (
        lambda: b"", samples.just_over_the_limit, samples.truncated_pdf, samples.renamed_program, samples.zip_bomb,
        samples.docx_with_macros, samples.encrypted_pdf)}
    assert len(messages) == 7
    assert files.ENCRYPTED_PDF in messages and "password" in files.ENCRYPTED_PDF


def test_a_zip_bomb_is_refused_from_its_directory_without_unpacking(monkeypatch):
    import zipfile

    def no_unpacking(*args, **kwargs):
        raise AssertionError("the bomb's document was opened")

    bomb = samples.zip_bomb(unpacked_mb=80)
    assert len(bomb) < 1024 * 1024
    monkeypatch.setattr(zipfile.ZipExtFile, "read", no_unpacking)
    with pytest.raises(files.FileRefused) as caught:
        files.check(bomb)
    assert caught.value.reason == "zip_bomb"


def test_a_zip_that_is_not_a_word_document_is_refused():
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("payload.exe", b"MZ")
    assert refused(out.getvalue()).reason == "not_word"


def test_a_reader_that_overruns_its_time_is_killed_and_the_file_refused(monkeypatch):
    # A child that never finishes stands in for a PDF built to make the parser spin.
    import subprocess

    real_run = subprocess.run
    monkeypatch.setattr(files.subprocess, "run", lambda command, **kwargs: real_run(["/bin/sleep", "30"], **kwargs))
    checked = files.check(samples.blank_pdf())
    with pytest.raises(files.FileRefused) as caught:
        files.extract(checked, seconds=1)
    assert caught.value.reason == "timeout"
    assert caught.value.message == files.UNREADABLE


def test_the_reader_runs_under_a_memory_limit():
    # Five megabytes of words need more than 48MB to clean: the child runs out, the service does not.
    checked = files.check(b"word " * 1_000_000)
    with pytest.raises(files.FileRefused) as caught:
        files.extract(checked, memory_bytes=48 * 1024 * 1024)
    assert caught.value.reason == "too_much_memory"
    assert caught.value.message == files.UNREADABLE
