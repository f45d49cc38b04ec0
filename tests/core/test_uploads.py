"""core.uploads.pdf_active_content: a PDF that could act when opened is
named, however the keyword is hidden; a plain document passes."""

import io

import pytest
from pypdf import PdfWriter
from pypdf.actions import JavaScript
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

from core.uploads import PdfUnreadable, pdf_active_content


def _pdf(build=None, compress=False) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    if build:
        build(writer)
    if compress:
        writer.compress_identical_objects()
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_plain_document_has_no_active_content():
    assert pdf_active_content(_pdf()) is None


def test_javascript_on_opening_is_found():
    assert pdf_active_content(_pdf(lambda w: w.add_open_action(JavaScript("app.alert('x');")))) is not None


def test_an_open_action_launching_a_program_is_found():
    def build(writer):
        action = DictionaryObject({NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject("calc.exe")})
        writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)

    assert pdf_active_content(_pdf(build)) is not None


def test_an_embedded_file_is_found():
    assert pdf_active_content(_pdf(lambda w: w.add_attachment("a.exe", b"MZ"))) == "an embedded file"


def _hand_made(objects: list[bytes]) -> bytes:
    """A PDF written by hand, with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


PAGES = [b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] >>"]


def test_javascript_under_a_hex_escaped_name_is_found():
    data = _hand_made([b"<< /Type /Catalog /Pages 2 0 R /Names << /J#61vaScript 4 0 R >> >>", *PAGES,
                       b"<< /Names [(a) 5 0 R] >>", b"<< /S /J#61vaScript /J#53 (app.alert(1)) >>"])
    assert b"/JavaScript" not in data
    assert pdf_active_content(data) == "JavaScript"


def test_a_hand_made_plain_document_passes():
    assert pdf_active_content(_hand_made([b"<< /Type /Catalog /Pages 2 0 R >>", *PAGES])) is None


@pytest.mark.parametrize("data", [b"%PDF-1.7\n%%EOF", b"%PDF-1.4\n" + b"\x00" * 2000 + b"\n%%EOF", b"not a pdf"])
def test_a_damaged_file_cannot_be_checked(data):
    with pytest.raises(PdfUnreadable):
        pdf_active_content(data)


def test_an_encrypted_file_cannot_be_checked():
    def build(writer):
        writer.encrypt("secret")

    with pytest.raises(PdfUnreadable):
        pdf_active_content(_pdf(build))


def test_long_number_arrays_are_not_complexity():
    widths = b"[" + b" ".join(b"500" for _ in range(60_000)) + b"]"
    data = _hand_made([b"<< /Type /Catalog /Pages 2 0 R /Widths 4 0 R >>", *PAGES, widths])
    assert pdf_active_content(data) is None
