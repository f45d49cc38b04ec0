"""The moral-education office's month, in headless Chromium on a tablet:
inspect a class on the grid, compute the month, read the preview (the
vetoed class is not a civilized class whatever its points), publish it, and
the head teacher is told."""

import datetime

import pytest
import time_machine
from playwright.sync_api import expect

from moral_ed.models import ClassEvent, ClassResult, EvaluationRevision, RevisionStatus
from moral_ed.services.defaults import defaults_install
from moral_ed.services.inspections import veto_record
from notifications.models import Notification
from tests.factories import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _login(page, username):
    page.goto("/login/")
    page.get_by_label("账号或手机号").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state("networkidle")


def test_office_inspects_previews_and_publishes_a_month(world, page_at, shot):
    defaults_install(school=world.school)
    with time_machine.travel("2026-12-01 09:00 +0800", tick=True):
        # 六(2)班 had a major incident in November.
        veto_record(
            school=world.school, school_class=world.class2, occurred_on=datetime.date(2026, 11, 18),
            reason="课间在楼道追逐打闹致同学受伤", recorded_by=world.office,
        )
        page = page_at(1024, 1366, mobile=True)
        _login(page, "office")

        # The grid of a November day: one tap records 迟到早退 against 六(1)班.
        page.goto("/conduct/inspections/?day=2026-11-20")
        card = page.locator(f"#class-{world.class1.pk}")
        card.get_by_role("button", name="迟到早退").click()
        expect(card.locator(".alert-success")).to_be_visible()
        event = ClassEvent.objects.get(school_class=world.class1)
        assert event.occurred_on == datetime.date(2026, 11, 20) and event.points < 0
        shot(page, "journey-office-inspection-grid-1024", full_page=False)

        # Compute November: a preview only the office sees.
        page.goto("/conduct/evaluations/run/")
        page.locator("input[name=month]").fill("2026-11")
        page.get_by_role("button", name="立即计算").click()
        page.wait_for_load_state("networkidle")
        revision = EvaluationRevision.objects.get(evaluation__period_start=datetime.date(2026, 11, 1))
        assert revision.status == RevisionStatus.DRAFT
        body = page.inner_text("body")
        assert "六(1)班" in body and "六(2)班" in body and "课间在楼道追逐打闹致同学受伤" in body
        vetoed = ClassResult.objects.get(revision=revision, school_class=world.class2)
        assert vetoed.vetoed and not vetoed.civilized and vetoed.rank_in_grade == 1  # the best score, and still no award
        shot(page, "journey-office-evaluation-preview-1024")

        page.get_by_role("button", name="发布").click()
        page.wait_for_load_state("networkidle")
        revision.refresh_from_db()
        assert revision.status == RevisionStatus.PUBLISHED and revision.published_by == world.office
        assert Notification.objects.filter(recipient=world.head_teacher).exists()
        assert Notification.objects.filter(recipient=world.other_head_teacher).exists()

        # The head teacher opens what was published about their class.
        teacher = page_at(1024, 1366, mobile=True)
        _login(teacher, "head")
        teacher.goto(f"/conduct/evaluations/revision/{revision.pk}/")
        teacher.wait_for_load_state("networkidle")
        assert "六(1)班" in teacher.inner_text("body")
        shot(teacher, "journey-head-teacher-evaluation-1024")
