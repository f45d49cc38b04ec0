"""A guardian answers the head teacher on a 375 px phone, with a photo;
the teacher sees it and who has read what."""

import pytest

from home_school.models import Attachment, Message
from home_school.services import messaging as services
from tests.factories import PASSWORD
from tests.home_school.messaging_fixtures import jpeg_with_exif

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _login(page, username):
    page.goto("/login/")
    page.get_by_label("账号或手机号").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state("networkidle")


def test_guardian_replies_with_a_photo_on_a_phone(world, page_at, shot, tmp_path):
    conversation, _ = services.conversation_start(
        school=world.school,
        student=world.child,
        teacher=world.head_teacher,
        started_by=world.head_teacher,
        body="陈小雨今天在课堂上表现很好，请家长看看她的作业照片。",
    )
    photo = tmp_path / "作业.jpg"
    photo.write_bytes(jpeg_with_exif(size=(400, 300)))

    page = page_at(375, 812, mobile=True)
    _login(page, "13900000001")
    page.goto("/portal/messages/")
    page.wait_for_load_state("networkidle")
    assert "王老师" in page.inner_text("body")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    shot(page, "portal-messages-375")
    page.locator(f"a[href='/portal/messages/{conversation.pk}/']").click()
    page.wait_for_load_state("networkidle")
    page.locator("textarea[name=body]").fill("谢谢王老师，照片已收到，我们会继续鼓励她。")
    page.locator("input[type=file][name=attachments]").set_input_files(str(photo))
    page.locator("form.compose-form button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    shot(page, "portal-conversation-375")
    message = Message.objects.filter(author=world.parent).get()
    assert Attachment.objects.get(message=message).content_type == "image/jpeg"

    teacher = page_at(1280, 900)
    _login(teacher, "head")
    teacher.goto(f"/home-school/messages/{conversation.pk}/")
    teacher.wait_for_load_state("networkidle")
    body = teacher.inner_text("body")
    assert "谢谢王老师" in body and "陈妈妈" in body
    shot(teacher, "conversation-detail-1280")
