"""The head teacher records points with two taps on a tablet, and reads a
student's page on a desktop."""

import pytest

from moral_ed.models import ConductEvent
from moral_ed.services.defaults import defaults_install

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _login(page, username, password):
    page.goto("/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.locator("#login-submit").click()
    page.wait_for_load_state("networkidle")


def test_two_tap_entry_on_a_tablet_then_the_student_page(world, page_at, shot):
    from tests.factories import PASSWORD, EnrollmentFactory, StudentFactory

    defaults_install(school=world.school)
    names = ["林雨桐", "黄子轩", "何欣怡", "郭浩宇", "马思琪", "罗梓涵", "梁俊杰", "宋雨萱", "谢宇航", "韩佳怡"]
    for i, name in enumerate(names):
        EnrollmentFactory(student=StudentFactory(school=world.school, name=name, student_number=f"2026{i + 10:04d}"), school_class=world.class1)

    page = page_at(768, 1024, mobile=True)
    _login(page, "head", PASSWORD)
    page.goto(f"/conduct/class/{world.class1.pk}/")
    page.locator(f'label[data-student="{world.child.pk}"]').click()
    page.locator(f'label[data-student="{world.classmate.pk}"]').click()
    assert page.locator("#selected-count").inner_text() == "2"
    page.locator("[data-dimension-tab]").nth(1).click()  # study (morality, study, discipline, hygiene, activities)
    page.locator("button.item-btn", has_text="上课积极发言").click()
    page.wait_for_selector("[data-recorded]")
    assert page.locator(f"#today-{world.child.pk}").inner_text() == "+1"
    assert page.locator("#selected-count").inner_text() == "0"  # selection cleared for the next tap
    assert ConductEvent.objects.filter(student__in=[world.child, world.classmate]).count() == 2
    # A deduction for one student, then undo it.
    page.locator(f'label[data-student="{world.child.pk}"]').click()
    page.locator("[data-dimension-tab]").nth(2).click()  # discipline
    page.locator("button.item-btn", has_text="迟到").click()
    # Arrow functions, not bare expressions: Playwright evaluates a function once, an expression on every
    # poll, which the Content-Security-Policy (no 'unsafe-eval') refuses.
    page.wait_for_function(f"() => document.querySelector('#today-{world.child.pk}').innerText === '0'")
    shot(page, "conduct-entry-768", full_page=False)
    page.locator("[data-action=undo]").click()
    page.wait_for_function(f"() => document.querySelector('#today-{world.child.pk}').innerText === '+1'")
    assert ConductEvent.objects.filter(voided_at__isnull=False).count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 768

    desktop = page_at(1280, 900)
    _login(desktop, "head", PASSWORD)
    desktop.goto(f"/conduct/student/{world.child.pk}/")
    body = desktop.inner_text("body")
    assert "陈小雨" in body and "上课积极发言" in body
    assert desktop.locator(".event-voided").count() == 1  # the undone deduction, struck through
    desktop.wait_for_function("() => document.getElementById('trend-chart').width > 0")
    shot(desktop, "student-points-1280")
