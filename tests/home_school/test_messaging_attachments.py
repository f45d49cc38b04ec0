"""Attachments are what their bytes say they are: photos re-encoded without
metadata, PDFs as sent, everything else refused with a message that names
the file. They are stored in the database and served to members only."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from PIL import Image
from PIL.ExifTags import IFD

from core.uploads import attachment_check
from home_school.models import Attachment, AttachmentContent, Message

from .messaging_fixtures import (
    HTML,
    PDF,
    PDF_WITH_JAVASCRIPT,
    PHP,
    SVG,
    conversations,  # noqa: F401
    jpeg_with_exif,
    png_bomb,
    png_bytes,
    upload,
    webp_bytes,
)


def _refused(name, data, code):
    with pytest.raises(ValidationError) as info:
        attachment_check(name=name, data=data)
    assert info.value.code == code, info.value
    return " ".join(info.value.messages)


# --- Checked by content -------------------------------------------------------------


def test_jpeg_comes_back_without_exif_or_gps_and_upright():
    original = jpeg_with_exif(size=(40, 30), orientation=6)
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(IFD.GPSInfo)  # the test file does carry GPS
    checked = attachment_check(name="IMG_0001.JPG", data=original)
    assert checked.content_type == "image/jpeg"
    assert checked.file_name == "IMG_0001.jpg"
    image = Image.open(io.BytesIO(checked.data))
    assert image.format == "JPEG"
    assert not image.getexif()
    assert "exif" not in image.info and "comment" not in image.info
    assert b"Canon" not in checked.data and b"<?php" not in checked.data
    # Orientation 6 means "turn 90° clockwise to view": the stored photo is already turned.
    assert image.size == (30, 40) and (checked.width, checked.height) == (30, 40)


def test_png_and_webp_are_accepted_and_reencoded():
    png = attachment_check(name="作业.png", data=png_bytes())
    assert png.content_type == "image/png" and png.file_name == "作业.png"
    assert Image.open(io.BytesIO(png.data)).format == "PNG"
    webp = attachment_check(name="a.webp", data=webp_bytes())
    assert webp.content_type == "image/webp"
    assert Image.open(io.BytesIO(webp.data)).format == "WEBP"


def test_palette_png_with_transparency_is_kept_readable():
    out = io.BytesIO()
    Image.new("P", (4, 4), 1).save(out, "PNG", transparency=1)
    checked = attachment_check(name="p.png", data=out.getvalue())
    assert Image.open(io.BytesIO(checked.data)).mode == "RGBA"


def test_pdf_is_accepted_as_sent():
    checked = attachment_check(name="请假条.pdf", data=PDF)
    assert checked.content_type == "application/pdf"
    assert checked.data == PDF
    assert checked.file_name == "请假条.pdf"


def test_pdf_that_runs_javascript_when_opened_is_refused():
    assert "通知.pdf" in _refused("通知.pdf", PDF_WITH_JAVASCRIPT, "active_content")


def test_pdf_that_cannot_be_read_is_refused():
    assert "坏.pdf" in _refused("坏.pdf", b"%PDF-1.4\ngarbage\n%%EOF\n", "unreadable")


def test_type_comes_from_the_bytes_not_the_name():
    # A real PNG named .pdf is stored as what it is.
    checked = attachment_check(name="scan.pdf", data=png_bytes())
    assert checked.content_type == "image/png" and checked.file_name == "scan.png"


def test_svg_is_refused():
    assert "drawing.svg" in _refused("drawing.svg", SVG, "type")


def test_html_renamed_png_is_refused():
    assert "page.png" in _refused("page.png", HTML, "type")


def test_php_named_jpg_is_refused():
    assert "x.php.jpg" in _refused("x.php.jpg", PHP, "type")


def test_a_real_jpeg_named_php_jpg_loses_the_inner_extension():
    assert attachment_check(name="x.php.jpg", data=jpeg_with_exif()).file_name == "x_php.jpg"


def test_path_and_control_characters_leave_the_name():
    checked = attachment_check(name="../../etc/pa\x00ss\nwd.png", data=png_bytes())
    assert checked.file_name == "passwd.png"


def test_zero_bytes_are_refused():
    assert "empty.jpg" in _refused("empty.jpg", b"", "empty")


def test_oversized_file_is_refused_by_default_limit():
    data = b"%PDF-1.4\n" + b"0" * (5 * 1024 * 1024) + b"\n%%EOF\n"
    message = _refused("big.pdf", data, "too_large")
    assert "big.pdf" in message


def test_limit_comes_from_settings(settings):
    settings.HOME_SCHOOL_ATTACHMENT_MAX_BYTES = 100
    _refused("photo.png", png_bytes(size=(64, 64)), "too_large")


def test_decompression_bomb_is_refused_before_decoding():
    bomb = png_bomb(20000, 20000)
    assert len(bomb) < 200
    assert "bomb.png" in _refused("bomb.png", bomb, "too_many_pixels")


def test_pillows_own_bomb_guard_also_refuses(settings):
    # With our limit out of the way, Pillow's MAX_IMAGE_PIXELS still stops it.
    settings.HOME_SCHOOL_ATTACHMENT_MAX_PIXELS = 10**12
    _refused("bomb.png", png_bomb(20000, 20000), "too_many_pixels")


def test_truncated_image_is_refused():
    assert "broken.jpg" in _refused("broken.jpg", jpeg_with_exif()[:200], "damaged")


def test_pdf_without_end_marker_is_refused():
    _refused("cut.pdf", PDF[:40], "damaged")


# --- Through the compose form ---------------------------------------------------------------


def _post(client, url, **files):
    return client.post(url, {"body": files.pop("body", ""), "attachments": list(files.values())})


def test_teacher_sends_photo_and_pdf_stored_in_the_database(world, conversations, client_for):  # noqa: F811
    url = reverse("home_school:conversation_detail", args=[conversations.own.pk])
    response = _post(
        client_for(world.head_teacher),
        url,
        body="今天的作业",
        a=upload("IMG.jpg", jpeg_with_exif(), "image/jpeg"),
        b=upload("通知.pdf", PDF, "application/pdf"),
    )
    assert response.status_code == 302
    message = Message.objects.latest("pk")
    stored = {a.content_type: a for a in message.attachments.all()}
    assert set(stored) == {"image/jpeg", "application/pdf"}
    data = AttachmentContent.objects.get(attachment=stored["image/jpeg"]).data
    assert not Image.open(io.BytesIO(bytes(data))).getexif()


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [
        ("drawing.svg", SVG, "image/svg+xml"),
        ("page.png", HTML, "image/png"),
        ("x.php.jpg", PHP, "image/jpeg"),
        ("empty.jpg", b"", "image/jpeg"),
    ],
)
def test_refused_file_sends_nothing_and_says_why(world, conversations, client_for, name, data, content_type):  # noqa: F811
    before = Message.objects.count()
    url = reverse("home_school:portal_conversation", args=[conversations.own.pk])
    response = _post(client_for(world.parent), url, body="见附件", a=upload(name, data, content_type))
    assert response.status_code == 200
    assert name in response.content.decode()
    assert Message.objects.count() == before


def test_oversized_upload_is_refused_before_it_is_read(world, conversations, client_for, settings):  # noqa: F811
    settings.HOME_SCHOOL_ATTACHMENT_MAX_BYTES = 1024
    url = reverse("home_school:portal_conversation", args=[conversations.own.pk])
    response = _post(client_for(world.parent), url, a=upload("big.png", png_bytes(size=(400, 400))))
    assert response.status_code == 200 and "big.png" in response.content.decode()
    assert Attachment.objects.count() == 3  # the fixture's three


def test_at_most_three_attachments(world, conversations, client_for):  # noqa: F811
    url = reverse("home_school:conversation_detail", args=[conversations.own.pk])
    files = {f"f{i}": upload(f"{i}.png", png_bytes()) for i in range(4)}
    response = _post(client_for(world.head_teacher), url, **files)
    assert response.status_code == 200
    assert Attachment.objects.count() == 3


def test_message_needs_text_or_a_file(world, conversations, client_for):  # noqa: F811
    url = reverse("home_school:conversation_detail", args=[conversations.own.pk])
    before = Message.objects.count()
    assert client_for(world.head_teacher).post(url, {"body": "   "}).status_code == 200
    assert Message.objects.count() == before


def test_text_longer_than_2000_characters_is_refused(world, conversations, client_for):  # noqa: F811
    url = reverse("home_school:conversation_detail", args=[conversations.own.pk])
    before = Message.objects.count()
    assert client_for(world.head_teacher).post(url, {"body": "字" * 2001}).status_code == 200
    assert Message.objects.count() == before
    assert client_for(world.head_teacher).post(url, {"body": "字" * 2000}).status_code == 302
    assert Message.objects.count() == before + 1


# --- Download ---------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["head_teacher", "parent"])
def test_download_headers(world, conversations, client_for, who):  # noqa: F811
    attachment = conversations.own_attachment
    response = client_for(getattr(world, who)).get(reverse("home_school:attachment_download", args=[attachment.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="photo.png"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "private" in response["Cache-Control"]
    assert Image.open(io.BytesIO(response.content)).format == "PNG"


def test_download_404_for_non_members(world, conversations, client_for):  # noqa: F811
    url = reverse("home_school:attachment_download", args=[conversations.own_attachment.pk])
    for user in [
        world.other_parent,
        world.subject_teacher,
        world.other_head_teacher,
        world.office,
        world.student_user,
        world.b.office,
    ]:
        assert client_for(user).get(url).status_code == 404


def test_lists_do_not_load_attachment_bytes(world, conversations, client_for):  # noqa: F811
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(world.head_teacher)
    url = reverse("home_school:conversation_detail", args=[conversations.own.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    assert not any("attachmentcontent" in q["sql"] for q in ctx.captured_queries)
