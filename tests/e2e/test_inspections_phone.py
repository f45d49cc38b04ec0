"""A student on duty fills in the inspection grid on a 375 px phone:
logs in, lands on the grid, taps an item for a class (htmx swaps the
card), voids the entry again, and nothing is wider than the screen."""

import pytest
import time_machine

from moral_ed.models import ClassEvent
from tests.factories import PASSWORD, SchoolClassFactory
from tests.moral_ed.inspections_support import duty_fixture, insp_items_fixture  # noqa: F401

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_duty_student_inspects_on_a_phone(world, duty, insp_items, page_at, shot):  # noqa: F811
    for number in range(3, 9):
        SchoolClassFactory(school=world.school, school_year=world.year, grade=world.grade, number=number)
    with time_machine.travel("2026-11-20 10:00 +0800", tick=True):
        page = page_at(375, 812, mobile=True)
        page.goto("/login/")
        page.get_by_label("账号或手机号").fill("duty1")
        page.get_by_label("密码").fill(PASSWORD)
        page.get_by_role("button", name="登录").click()
        page.wait_for_load_state("networkidle")
        assert page.url.endswith("/conduct/inspections/")
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        shot(page, "inspection-grid-375", full_page=False)

        card = page.locator(f"#class-{world.class2.pk}")
        card.get_by_placeholder("Note (optional), then tap an item").or_(card.locator("input[name=note]")).first.fill("北楼梯有纸屑")
        card.get_by_role("button", name="包干区清扫").click()
        page.locator(f"#class-{world.class2.pk}").get_by_text("北楼梯有纸屑").wait_for()
        event = ClassEvent.objects.get()
        assert event.school_class_id == world.class2.pk and event.recorded_by_id == world.duty.pk
        card = page.locator(f"#class-{world.class2.pk}")
        card.scroll_into_view_if_needed()
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        shot(page, "inspection-card-after-tap-375", full_page=False)

        card.locator("details summary").first.click()
        card.locator("input[name=reason]").fill("记错班级")
        card.locator("form[action*='/void/'] button[type=submit]").click()
        page.locator(f"#class-{world.class2.pk} .event-voided").wait_for()
        event.refresh_from_db()
        assert event.is_voided and event.void_reason == "记错班级"
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        shot(page, "inspection-card-voided-375", full_page=False)

        # Checking one item across the school: one big button per class.
        page.locator("main details summary").first.click()
        page.get_by_role("link", name="仪表仪容").click()
        page.wait_for_load_state("networkidle")
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        shot(page, "inspection-grid-one-item-375", full_page=False)
