"""Files and conversations the messaging tests share. Import the fixtures
you use into the test module (pytest finds them there)."""

import io
import struct
import zlib
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from PIL.ExifTags import GPS, IFD, Base

from home_school.services import messaging as services


def jpeg_with_exif(size=(40, 30), orientation=6) -> bytes:
    """A small JPEG carrying a camera make, an orientation and a GPS position."""
    image = Image.new("RGB", size, (200, 40, 40))
    exif = Image.Exif()
    exif[Base.Make] = "Canon"
    exif[Base.Model] = "EOS 5D"
    exif[Base.Orientation] = orientation
    exif[IFD.GPSInfo] = {
        GPS.GPSLatitudeRef: "N",
        GPS.GPSLatitude: (31.0, 14.0, 3.0),
        GPS.GPSLongitudeRef: "E",
        GPS.GPSLongitude: (121.0, 28.0, 12.0),
    }
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, comment=b"<?php echo 1; ?>")
    return out.getvalue()


def png_bytes(size=(8, 8), mode="RGBA") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, (10, 120, 200, 255) if mode == "RGBA" else 128).save(out, "PNG")
    return out.getvalue()


def webp_bytes(size=(8, 8)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (0, 200, 0)).save(out, "WEBP")
    return out.getvalue()


def _pdf(active=False) -> bytes:
    """A real one-page PDF (pypdf writes the cross-reference table a reader
    needs); `active`: it also runs JavaScript when opened."""
    from pypdf import PdfWriter
    from pypdf.actions import JavaScript

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    if active:
        writer.add_open_action(JavaScript("app.alert('x');"))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


PDF = _pdf()
PDF_WITH_JAVASCRIPT = _pdf(active=True)
SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
PHP = b"<?php system($_GET['c']); ?>"


def png_bomb(width=20000, height=20000) -> bytes:
    """A PNG that declares a huge canvas in a few dozen bytes: the header
    alone is enough for the guard to refuse it."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1-bit greyscale
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b"")


def upload(name: str, data: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def start(world, *, teacher, student, body="你好", files=()):
    conversation, message = services.conversation_start(
        school=student.school, student=student, teacher=teacher, started_by=teacher, body=body, files=files
    )
    return conversation, message


@pytest.fixture
def conversations(world):
    """A conversation per class and school, each opened by its head
    teacher with one PNG attached."""
    own, own_msg = start(world, teacher=world.head_teacher, student=world.child, files=[("photo.png", png_bytes())])
    other, other_msg = start(world, teacher=world.other_head_teacher, student=world.other_child, files=[("a.png", png_bytes())])
    b, b_msg = start(world, teacher=world.b.head_teacher, student=world.b.child, files=[("b.png", png_bytes())])
    return SimpleNamespace(
        own=own,
        other=other,
        other_school=b,
        own_attachment=own_msg.attachments.get(),
        other_attachment=other_msg.attachments.get(),
        other_school_attachment=b_msg.attachments.get(),
    )
