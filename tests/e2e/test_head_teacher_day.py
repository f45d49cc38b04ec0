"""The head teacher's day, in headless Chromium on a tablet: log in, record
points for a whole study group with one tap, deduct a point, release the
staged deduction from the review queue, then write to the child's guardian."""

import pytest
from playwright.sync_api import expect

from home_school.models import Conversation, Message
from moral_ed.models import ConductEvent, Disclosure
from moral_ed.services.conduct import group_save
from moral_ed.services.defaults import defaults_install
from tests.factories import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _login(page, username):
    page.goto("/login/")
    page.get_by_label("账号或手机号").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state("networkidle")


def test_head_teachers_day_on_a_tablet(world, page_at, shot):
    defaults_install(school=world.school)
    group = group_save(
        actor=world.head_teacher, school_class=world.class1, kind="study", name="启明组",
        student_ids=[world.child.pk, world.classmate.pk],
    )

    page = page_at(768, 1024, mobile=True)
    _login(page, "head")
    assert f"/classes/{world.class1.pk}/" in page.url or "/classes/" in page.url  # lands on their class

    # One tap on the group selects its members; one tap on an item records for both.
    page.goto(f"/conduct/class/{world.class1.pk}/")
    page.get_by_role("button", name=group.name).click()
    assert page.locator("#selected-count").inner_text() == "2"
    page.locator("[data-dimension-tab]").nth(1).click()  # study
    page.locator("button.item-btn", has_text="上课积极发言").click()
    page.wait_for_selector("[data-recorded]")
    assert ConductEvent.objects.filter(student__in=[world.child, world.classmate], points__gt=0).count() == 2

    # A deduction for the child is staged: guardians do not see it yet.
    page.locator(f'label[data-student="{world.child.pk}"]').click()
    page.locator("[data-dimension-tab]").nth(2).click()  # discipline
    page.locator("button.item-btn", has_text="迟到").click()
    expect(page.locator(f"#today-{world.child.pk}")).to_have_text("0")
    deduction = ConductEvent.objects.get(student=world.child, points__lt=0)
    assert deduction.disclosure == Disclosure.STAGED

    # The review queue releases it.
    page.goto(f"/conduct/class/{world.class1.pk}/review/")
    page.wait_for_load_state("networkidle")
    assert "迟到" in page.inner_text("body")
    shot(page, "journey-review-queue-768")
    page.get_by_role("button", name="立即发布").first.click()
    page.wait_for_load_state("networkidle")
    deduction.refresh_from_db()
    assert deduction.disclosure == Disclosure.RELEASED and deduction.released_at is not None

    # Then a word to the guardian.
    page.goto(f"/home-school/messages/new/{world.child.pk}/")
    page.locator("textarea[name=body]").fill("陈小雨妈妈您好，小雨今天上课发言很积极，但早上迟到了，请提醒她早点出门。")
    page.locator("form.compose-form button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    conversation = Conversation.objects.get(student=world.child, teacher=world.head_teacher)
    assert Message.objects.filter(conversation=conversation, author=world.head_teacher).count() == 1
    assert "请提醒她早点出门" in page.inner_text("body")
    shot(page, "journey-message-to-guardian-768")
