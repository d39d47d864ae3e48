"""Unreadable input is refused with a ReportError naming the file and the reason."""

from __future__ import annotations

import contextlib
import io
import os
from pathlib import Path

import pypdf
import pytest

from reportreader import ReportError, read_report

REPORTS = Path(__file__).parent / "reports"
SAMPLE = REPORTS / "80581-wirral-2019-07-29.pdf"


def test_html_page_saved_as_pdf_is_refused_as_not_a_pdf():
    with pytest.raises(ReportError) as caught:
        read_report(REPORTS / "80429-birmingham-2012-10-19.pdf")
    assert caught.value.filename == "80429-birmingham-2012-10-19.pdf"
    assert "not a PDF" in caught.value.reason and "HTML" in caught.value.reason
    assert "80429-birmingham-2012-10-19.pdf" in str(caught.value)


def test_empty_bytes_are_refused_as_empty():
    with pytest.raises(ReportError, match=r"upload\.pdf: the file is empty"):
        read_report(b"", filename="upload.pdf")


def test_truncated_pdf_is_refused_as_damaged():
    data = SAMPLE.read_bytes()[:5000]
    with pytest.raises(ReportError, match="cut.pdf: .*damaged"):
        read_report(data, filename="cut.pdf")


def test_random_bytes_are_refused_as_not_a_pdf():
    with pytest.raises(ReportError, match="noise.bin: not a PDF"):
        read_report(os.urandom(4096).replace(b"%PDF-", b"xxxxx"), filename="noise.bin")


def test_random_bytes_behind_a_pdf_header_are_refused_as_damaged():
    with pytest.raises(ReportError, match="damaged"):
        read_report(b"%PDF-1.7\n" + os.urandom(4096), filename="fake.pdf")


def test_encrypted_pdf_is_refused_as_encrypted():
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(SAMPLE))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    with pytest.raises(ReportError, match="locked.pdf: .*encrypted"):
        read_report(buffer.getvalue(), filename="locked.pdf")


def test_pdf_without_text_is_refused_as_having_no_text():
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    with pytest.raises(ReportError, match="blank.pdf: .*no text"):
        read_report(buffer.getvalue(), filename="blank.pdf")


def test_missing_file_is_refused_with_its_name(tmp_path):
    with pytest.raises(ReportError, match="absent.pdf: cannot read"):
        read_report(tmp_path / "absent.pdf")


def test_error_defaults_to_a_placeholder_name_for_bytes():
    with pytest.raises(ReportError) as caught:
        read_report(b"   ")
    assert caught.value.filename == "<bytes>"


def _encrypted_sample() -> bytes:
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(SAMPLE))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("before", ["good", "encrypted", "damaged"])
def test_a_damaged_file_is_called_damaged_whatever_was_read_before_it(before):
    earlier = {"good": SAMPLE.read_bytes(), "encrypted": _encrypted_sample(), "damaged": SAMPLE.read_bytes()[:5000]}
    with contextlib.suppress(ReportError):
        read_report(earlier[before], filename="earlier.pdf")
    with pytest.raises(ReportError) as caught:
        read_report(b"%PDF-1.7\n" + b"\x00" * 4096, filename="cut.pdf")
    assert caught.value.reason == "the file is damaged or is not a valid PDF"


@pytest.mark.parametrize("before", ["good", "damaged"])
def test_an_encrypted_file_is_called_encrypted_whatever_was_read_before_it(before):
    earlier = {"good": SAMPLE.read_bytes(), "damaged": SAMPLE.read_bytes()[:5000]}
    with contextlib.suppress(ReportError):
        read_report(earlier[before], filename="earlier.pdf")
    with pytest.raises(ReportError) as caught:
        read_report(_encrypted_sample(), filename="locked.pdf")
    assert "encrypted" in caught.value.reason


def test_a_good_file_reads_the_same_after_a_bad_one():
    first = read_report(SAMPLE).to_dict()
    with pytest.raises(ReportError):
        read_report(_encrypted_sample(), filename="locked.pdf")
    with pytest.raises(ReportError):
        read_report(SAMPLE.read_bytes()[:5000], filename="cut.pdf")
    assert read_report(SAMPLE).to_dict() == first


def test_the_reason_for_a_stale_pdfium_code_comes_from_the_file_itself():
    from reportreader.pdftext import _open_failure

    # PDFium's process-wide last error still says "encrypted" from an earlier file.
    assert _open_failure(b"%PDF-1.7\n garbage", 4) == "the file is damaged or is not a valid PDF"
    assert _open_failure(b"%PDF-1.7\n<< /Encrypt 5 0 R >>", 4) == "the PDF is encrypted (password protected)"
    assert _open_failure(b"%PDF-1.7\n garbage", None) == "the file is damaged or is not a valid PDF"
