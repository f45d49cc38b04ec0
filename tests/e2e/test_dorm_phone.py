"""The office inspects a dorm building on a 375 px phone: records a
student entry and sees the case it opened, nothing wider than the screen."""

import pytest
from django.urls import reverse

from moral_ed.models import DormCase, DormEvent
from tests.factories import PASSWORD
from tests.moral_ed import test_dorm_support as support

# The shared dorm fixtures (the browser's come from tests/e2e/conftest.py).
deduct = support.deduct
dorm = support.dorm

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _fits(page):
    return page.evaluate("document.documentElement.scrollWidth") <= 375


def test_office_records_a_dorm_entry_on_a_phone(world, dorm, deduct, page_at, shot):
    from django.utils import timezone

    deduct(world.child, 4, timezone.localdate())
    page = page_at(375, 812, mobile=True)
    page.goto("/login/")
    page.get_by_label("账号或手机号").fill("office")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state("networkidle")
    page.goto(reverse("moral_ed:dorm_inspection", args=[dorm.building.pk]))
    page.wait_for_load_state("networkidle")
    assert _fits(page)
    room = page.locator(f"#room-{dorm.room101.pk}")
    student_entry = room.locator("details:has(select[name=student])")
    student_entry.locator("summary").click()
    student_entry.locator("select[name=student]").select_option(str(world.child.pk))
    student_entry.locator("select[name=item]").select_option(str(dorm.items["晚归"].pk))
    shot(page, "dorm-inspection-form-375")
    student_entry.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert DormEvent.objects.filter(student=world.child, item=dorm.items["晚归"]).exists()
    assert DormCase.objects.filter(student=world.child, level=1).exists()
    assert page.locator(".alert").count() >= 2  # recorded, and the case it opened
    assert _fits(page)
    shot(page, "dorm-inspection-after-375")
    page.goto(reverse("moral_ed:dorm_cases"))
    page.wait_for_load_state("networkidle")
    assert _fits(page)
    shot(page, "dorm-cases-375")
