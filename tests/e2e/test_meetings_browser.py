"""In headless Chromium: a guardian replies and proposes a topic on a
375 px phone; the head teacher taps families present on a 768 px tablet.
Screenshots go to test-output/screenshots/."""

import pytest
import time_machine

from home_school.models import MeetingAttendance, MeetingReply, TopicProposal
from tests.factories import PASSWORD
from tests.home_school.meetings_support import BEFORE_CUTOFF, MEETING_DAY, add_family, plan_visit, schedule

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _login(page, username):
    page.goto("/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#login-submit").click()
    page.wait_for_load_state("networkidle")


def test_guardian_replies_and_proposes_a_topic_on_a_phone(world, page_at, shot):  # noqa: F811
    meeting = schedule(world)
    plan_visit(world)
    with time_machine.travel(BEFORE_CUTOFF, tick=True):
        page = page_at(375, 740, mobile=True)
        _login(page, world.parent.username)
        page.goto(f"/portal/child/{world.child.pk}/")
        page.locator(".portal-sections a[href='/portal/meetings/']").click()
        page.locator(f"a[href='/portal/meetings/{meeting.pk}/']").click()
        page.locator("button[name=answer][value=attend]").click()
        page.wait_for_load_state("networkidle")
        page.locator("#id_topic").fill("孩子每天写作业到几点合适？")
        page.locator("#id_anonymous").check()
        page.locator("input[name=propose]").click()
        page.wait_for_load_state("networkidle")
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        for box in page.locator("main .btn").evaluate_all("els => els.map(e => e.getBoundingClientRect().height)"):
            assert box >= 44
        shot(page, "portal-meeting-375")
        page.goto("/portal/visits/")
        assert "王老师" in page.inner_text("main")
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        shot(page, "portal-visits-375")
    assert MeetingReply.objects.get().answer == "attend"
    assert TopicProposal.objects.get().anonymous


def test_head_teacher_taps_families_present_on_a_tablet(world, page_at, shot):  # noqa: F811
    meeting = schedule(world)
    for name, mobile in (("林爸爸", "13900000011"), ("黄妈妈", "13900000012")):
        from tests import factories as f

        student = f.StudentFactory(school=world.school, name=name[0] + "同学")
        f.EnrollmentFactory(student=student, school_class=world.class1)
        add_family(world, student, name, mobile)
    with time_machine.travel(MEETING_DAY, tick=True):
        page = page_at(768, 1024, mobile=True)
        _login(page, world.head_teacher.username)
        page.goto(f"/home-school/meetings/{meeting.pk}/attendance/")
        card = page.locator(f"form.family-form:has(input[name=student][value='{world.child.pk}']) button.family-card")
        assert card.bounding_box()["height"] >= 44
        card.click()
        page.wait_for_selector(f"form.family-form:has(input[value='{world.child.pk}']) button.family-card.present")
        assert page.locator("#present-count").inner_text() == "1"
        assert page.evaluate("document.documentElement.scrollWidth") <= 768
        shot(page, "meeting-attendance-768", full_page=False)
    mark = MeetingAttendance.objects.get()
    assert mark.present and mark.student == world.child
