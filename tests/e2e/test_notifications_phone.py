"""A guardian reads their notifications on a 375 px phone."""

import pytest

from notifications import services
from tests.factories import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_guardian_opens_a_notification_on_a_phone(world, page_at, shot):
    for i in range(3):
        services.notify(school=world.school, recipients=[world.parent], kind="home_school.notice",
                        title=f"第{i + 1}条通知：本周五下午家长会，请准时到校", body="地点：六(1)班教室。请带上孩子的作业本。" * 3,
                        link=f"/portal/child/{world.child.pk}/", dedupe_key=f"phone:{i}")
    page = page_at(375, 812, mobile=True)
    page.goto("/login/")
    page.get_by_label("账号或手机号").fill("13900000001")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state("networkidle")
    page.goto("/notifications/")
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    shot(page, "portal-notifications-375")
    page.get_by_text("第3条通知").click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(f"/portal/child/{world.child.pk}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    shot(page, "portal-child-with-notifications-375")
    page.goto("/notifications/settings/")
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    shot(page, "portal-notification-settings-375")
