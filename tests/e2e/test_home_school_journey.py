"""The issue's journey, in headless Chromium: a head teacher sends a
notice with a confirm receipt; the guardian, on a 375 px phone, confirms
it and replies to a message; the teacher sees the receipt and the reply."""

import pytest

from home_school.models import Message, Notice, NoticeReceipt
from home_school.services import messaging
from tests.factories import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _login(page, username):
    page.goto("/login/")
    page.get_by_label("账号或手机号").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state("networkidle")


def test_notice_confirmed_and_message_answered_from_a_phone(world, page_at, shot):
    conversation, _ = messaging.conversation_start(
        school=world.school, student=world.child, teacher=world.head_teacher, started_by=world.head_teacher,
        body="陈小雨妈妈您好，本周五下午的家长会请您准时参加。",
    )

    # The head teacher writes the notice on a desktop.
    teacher = page_at(1280, 900)
    _login(teacher, "head")
    teacher.goto("/home-school/notices/new/")
    teacher.locator("#id_title").fill("关于秋季运动会的通知")
    teacher.locator("#id_body").fill("本周五举行秋季运动会，请家长为孩子准备运动服，收到请确认。")
    teacher.locator(f"input[name=classes][value='{world.class1.pk}']").check()
    teacher.locator("input[name=receipt_type][value=confirm]").check()
    teacher.locator("form button[type=submit], form input[type=submit]").last.click()
    teacher.wait_for_load_state("networkidle")
    notice = Notice.objects.get(title="关于秋季运动会的通知")
    assert notice.sent_at is not None
    assert NoticeReceipt.objects.filter(notice=notice).count() == 2  # 陈小雨 and 周子涵

    # The guardian, on the phone, confirms and answers the message.
    phone = page_at(375, 812, mobile=True)
    _login(phone, "13900000001")
    # First the child: the portal opens on their points and stars.
    assert "陈小雨" in phone.inner_text("body") and "吴浩然" not in phone.inner_text("body")
    shot(phone, "portal-child-375")
    phone.goto("/portal/notices/")
    phone.wait_for_load_state("networkidle")
    assert "关于秋季运动会的通知" in phone.inner_text("body")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    shot(phone, "portal-notices-375")
    phone.get_by_text("关于秋季运动会的通知").first.click()
    phone.wait_for_load_state("networkidle")
    phone.locator("form:has(input[name=action][value=confirm]) button[type=submit]").click()
    phone.wait_for_load_state("networkidle")
    shot(phone, "portal-notice-confirmed-375")
    receipt = NoticeReceipt.objects.get(notice=notice, student=world.child)
    assert receipt.confirmed_at is not None and receipt.confirmed_by == world.parent

    phone.goto(f"/portal/messages/{conversation.pk}/")
    phone.wait_for_load_state("networkidle")
    phone.locator("textarea[name=body]").fill("收到，王老师，我们周五一定准时到。")
    phone.locator("form.compose-form button[type=submit]").click()
    phone.wait_for_load_state("networkidle")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    shot(phone, "portal-message-reply-375")
    assert Message.objects.filter(conversation=conversation, author=world.parent).exists()

    # The teacher sees who confirmed, and the reply.
    teacher.goto(f"/home-school/notices/{notice.pk}/")
    teacher.wait_for_load_state("networkidle")
    receipts = teacher.inner_text("body")
    assert "陈小雨" in receipts and "陈妈妈" in receipts
    shot(teacher, "notice-receipts-1280")
    teacher.goto(f"/home-school/messages/{conversation.pk}/")
    teacher.wait_for_load_state("networkidle")
    assert "我们周五一定准时到" in teacher.inner_text("body")
