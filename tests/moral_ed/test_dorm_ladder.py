"""The escalation ladder (按累计扣分分别谈话, 停宿一周, 退宿或纪律处分): cases
open at each threshold, once; the window and voids; confirming and
dismissing; the clean period; rules as data; the nightly job run twice and
on two workers at once."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Q

from accounts.models import AuditEvent
from moral_ed import tasks
from moral_ed.models import CaseStatus, DormCase, DormLevelChange, DormSettings, EscalationStep
from moral_ed.selectors import dorms as selectors
from moral_ed.services import dorms as services
from notifications.models import Notification
from tests.concurrency import at_once, failures

from . import test_dorm_support as support
from .test_dorm_support import FRIDAY, TODAY

# The shared dorm fixtures.
deduct = support.deduct
dorm = support.dorm

D = datetime.date


@pytest.fixture(autouse=True)
def school_day():
    with time_machine.travel(FRIDAY, tick=False):
        yield


def _check(world, today=TODAY):
    return services.ladder_check(school=world.school, today=today)


def _cases(student, **kw):
    return list(DormCase.objects.filter(student=student, **kw).order_by("level", "pk"))


def _opened_notes(case):
    return Notification.objects.filter(dedupe_key=f"moral_ed.dorm_case_opened:{case.pk}")


def _guardian_notes(world):
    return Notification.objects.filter(recipient=world.parent, kind="moral_ed.dorm_case_confirmed")


# --- Opening cases ----------------------------------------------------------------------------


def test_a_case_opens_at_each_threshold_as_deductions_accumulate(world, dorm, deduct):
    deduct(world.child, 4, D(2026, 11, 2))
    assert _check(world, D(2026, 11, 2)) == {"opened": 0, "stepped_down": 0}

    deduct(world.child, 1, D(2026, 11, 3))
    assert _check(world, D(2026, 11, 3))["opened"] == 1
    (talk,) = _cases(world.child)
    assert (talk.level, talk.step.name, talk.deductions, talk.status) == (1, "谈话", Decimal("5"), CaseStatus.OPEN)
    assert (talk.window_start, talk.window_end) == (D(2026, 10, 5), D(2026, 11, 3))
    services.case_confirm(case=talk, decided_by=world.head_teacher)

    deduct(world.child, 5, D(2026, 11, 6))
    assert _check(world, D(2026, 11, 6))["opened"] == 1
    suspension = _cases(world.child, level=2)[0]
    assert (suspension.step.name, suspension.deductions) == ("停宿一周", Decimal("10"))
    services.case_confirm(case=suspension, decided_by=world.office)

    deduct(world.child, 5, D(2026, 11, 9))
    assert _check(world, D(2026, 11, 9))["opened"] == 1
    expulsion = _cases(world.child, level=3)[0]
    assert (expulsion.step.name, expulsion.deductions) == ("退宿或纪律处分", Decimal("15"))
    assert selectors.current_level(world.child.pk) == 2
    # Nobody else in the school has a case.
    assert DormCase.objects.exclude(student=world.child).count() == 0


def test_running_twice_opens_nothing_more_and_notifies_once(world, dorm, deduct):
    deduct(world.child, 5, TODAY)
    assert _check(world)["opened"] == 1
    assert _check(world)["opened"] == 0
    (case,) = _cases(world.child)
    assert _opened_notes(case).filter(recipient=world.head_teacher).count() == 1
    # A head-teacher step: the head teacher hears of it, the office does not.
    assert not _opened_notes(case).filter(recipient=world.office).exists()
    assert not _opened_notes(case).filter(recipient=world.other_head_teacher).exists()


def test_no_second_case_for_a_level_while_one_is_open(world, dorm, deduct):
    deduct(world.child, 5, D(2026, 11, 18))
    _check(world, D(2026, 11, 18))
    deduct(world.child, 2, D(2026, 11, 19))
    assert _check(world, D(2026, 11, 19))["opened"] == 0
    assert len(_cases(world.child)) == 1


def test_a_higher_step_opens_while_a_lower_case_waits(world, dorm, deduct):
    deduct(world.child, 5, D(2026, 11, 18))
    _check(world, D(2026, 11, 18))
    deduct(world.child, 5, D(2026, 11, 19))
    assert _check(world, D(2026, 11, 19))["opened"] == 1
    assert [c.level for c in _cases(world.child, status=CaseStatus.OPEN)] == [1, 2]


def test_a_big_jump_opens_the_highest_step_reached(world, dorm, deduct):
    deduct(world.child, 5, TODAY)
    deduct(world.child, 5, TODAY)
    deduct(world.child, 5, TODAY)
    _check(world)
    assert [c.level for c in _cases(world.child)] == [3]


def test_an_office_step_notifies_the_head_teacher_and_the_office(world, dorm, deduct):
    deduct(world.other_child, 10, TODAY)
    _check(world)
    (case,) = _cases(world.other_child)
    recipients = set(_opened_notes(case).values_list("recipient_id", flat=True))
    assert recipients == {world.other_head_teacher.pk, world.office.pk}
    note = _opened_notes(case).first()
    assert "吴浩然" in note.title and "停宿一周" in note.title and note.link.endswith(f"/dorms/case/{case.pk}/")


def test_deductions_outside_the_window_do_not_count(world, dorm, deduct):
    # The window is the last 30 days up to today: 2026-10-22 … 2026-11-20.
    deduct(world.child, 1, D(2026, 10, 21))
    deduct(world.child, 4, TODAY)
    assert _check(world)["opened"] == 0
    deduct(world.child, 1, D(2026, 10, 22))
    assert _check(world)["opened"] == 1
    assert _cases(world.child)[0].deductions == Decimal("5")


def test_voided_deductions_do_not_count(world, dorm, deduct):
    deduct(world.child, 4, TODAY)
    deduct(world.child, 3, TODAY, voided=True)
    assert _check(world)["opened"] == 0


def test_room_entries_do_not_count_for_a_student(world, dorm):
    for _ in range(6):
        services.dorm_event_record(
            school=world.school, term=world.term, room=dorm.room101, item=dorm.items["违规电器"], recorded_by=world.office
        )
    assert _check(world)["opened"] == 0
    assert selectors.room_deductions(world.school, TODAY, TODAY) == {dorm.room101.pk: Decimal("18")}


def test_a_student_without_a_bed_this_term_has_no_case(world, dorm, deduct):
    deduct(world.child, 6, TODAY)
    world.child.bed_assignments.all().delete()
    assert _check(world)["opened"] == 0


def test_recording_a_deduction_opens_the_case_at_once(world, dorm):
    event = services.dorm_event_record(
        school=world.school, term=world.term, room=dorm.room101, item=dorm.items["夜不归宿"], student=world.child, recorded_by=world.office
    )
    (case,) = _cases(world.child)
    assert event.opened_cases == [case]
    assert _opened_notes(case).filter(recipient=world.head_teacher).exists()
    # The night's run finds it open and adds nothing.
    assert _check(world)["opened"] == 0


# --- Deciding ---------------------------------------------------------------------------------


@pytest.fixture
def talk(world, dorm, deduct):
    deduct(world.child, 5, TODAY)
    _check(world)
    return _cases(world.child)[0]


def test_confirming_sets_the_level_and_informs_guardians_once(world, talk):
    case = services.case_confirm(case=talk, decided_by=world.head_teacher, note="已谈话")
    assert (case.status, case.decided_by, case.decision_note) == (CaseStatus.CONFIRMED, world.head_teacher, "已谈话")
    assert case.guardians_informed_at is not None
    change = DormLevelChange.objects.get(student=world.child)
    assert (change.from_level, change.to_level, change.reason, change.case) == (0, 1, "confirmed", case)
    assert selectors.current_level(world.child.pk) == 1
    (note,) = _guardian_notes(world)
    assert "谈话" in note.body and "陈小雨" in note.title
    informed = case.guardians_informed_at

    again = services.case_confirm(case=talk, decided_by=world.office)
    assert again.decided_by == world.head_teacher and again.guardians_informed_at == informed
    assert DormLevelChange.objects.filter(student=world.child).count() == 1
    assert _guardian_notes(world).count() == 1
    assert AuditEvent.objects.filter(action="moral_ed.dorm_case.confirmed", target_id=str(case.pk)).count() == 1
    # Other families hear nothing.
    assert not Notification.objects.filter(recipient=world.other_parent).exists()


def test_dismissing_changes_nothing_else(world, talk):
    with pytest.raises(ValidationError):
        services.case_dismiss(case=talk, decided_by=world.head_teacher, note=" ")
    case = services.case_dismiss(case=talk, decided_by=world.head_teacher, note="查明是误记,已更正")
    assert (case.status, case.guardians_informed_at) == (CaseStatus.DISMISSED, None)
    assert not DormLevelChange.objects.exists()
    assert not _guardian_notes(world).exists()
    assert AuditEvent.objects.filter(action="moral_ed.dorm_case.dismissed", target_id=str(case.pk)).count() == 1
    # Confirming a dismissed case does nothing.
    assert services.case_confirm(case=case, decided_by=world.office).status == CaseStatus.DISMISSED
    assert not DormLevelChange.objects.exists()


def test_a_dismissed_case_stands_until_a_new_deduction(world, talk, deduct):
    services.case_dismiss(case=talk, decided_by=world.head_teacher, note="情有可原")
    with time_machine.travel("2026-11-21 23:00 +0800", tick=False):
        assert _check(world, D(2026, 11, 21))["opened"] == 0
        deduct(world.child, 1, D(2026, 11, 21))
        assert _check(world, D(2026, 11, 21))["opened"] == 1
    assert [c.status for c in _cases(world.child)] == [CaseStatus.DISMISSED, CaseStatus.OPEN]


def test_nothing_is_imposed_without_a_decision(world, talk):
    _check(world)
    assert selectors.current_level(world.child.pk) == 0
    assert not _guardian_notes(world).exists()


def test_a_lower_case_confirmed_after_a_higher_one_does_not_lower_the_level(world, dorm, deduct):
    deduct(world.child, 5, D(2026, 11, 18))
    _check(world, D(2026, 11, 18))
    deduct(world.child, 5, D(2026, 11, 19))
    _check(world, D(2026, 11, 19))
    talk, suspension = _cases(world.child)
    services.case_confirm(case=suspension, decided_by=world.office)
    services.case_confirm(case=talk, decided_by=world.head_teacher)
    assert selectors.current_level(world.child.pk) == 2
    assert DormLevelChange.objects.filter(student=world.child).count() == 1


# --- Stepping down ---------------------------------------------------------------------------------


def _confirmed_level_two(world, deduct):
    """陈小雨 at level 2 since 2026-10-26 (deductions on 10-25)."""
    with time_machine.travel("2026-10-26 09:00 +0800", tick=False):
        deduct(world.child, 10, D(2026, 10, 25))
        _check(world, D(2026, 10, 26))
        (case,) = _cases(world.child)
        services.case_confirm(case=case, decided_by=world.office)
    assert selectors.current_level(world.child.pk) == 2


def test_a_clean_period_steps_the_student_down_one_level_at_a_time(world, dorm, deduct):
    _confirmed_level_two(world, deduct)
    # 2026-11-24: no deduction for 30 days, but the level moved only 29 days ago.
    assert _check(world, D(2026, 11, 24))["stepped_down"] == 0
    assert _check(world, D(2026, 11, 25))["stepped_down"] == 1
    assert _check(world, D(2026, 11, 25))["stepped_down"] == 0
    assert selectors.current_level(world.child.pk) == 1
    change = DormLevelChange.objects.filter(student=world.child).first()
    assert (change.from_level, change.to_level, change.reason, change.effective_on) == (2, 1, "clean", D(2026, 11, 25))
    # One step per clean period: the next comes 30 days later.
    assert _check(world, D(2026, 12, 24))["stepped_down"] == 0
    assert _check(world, D(2026, 12, 25))["stepped_down"] == 1
    assert selectors.current_level(world.child.pk) == 0
    assert _check(world, D(2027, 1, 20))["stepped_down"] == 0
    # The old deductions left the window: no case reopens on the way down.
    assert DormCase.objects.filter(student=world.child).count() == 1


def test_a_deduction_in_the_clean_period_keeps_the_level(world, dorm, deduct):
    _confirmed_level_two(world, deduct)
    deduct(world.child, 1, D(2026, 11, 10))
    assert _check(world, D(2026, 11, 25))["stepped_down"] == 0
    assert _check(world, D(2026, 12, 9))["stepped_down"] == 0
    assert _check(world, D(2026, 12, 10))["stepped_down"] == 1


def test_a_voided_deduction_does_not_break_the_clean_period(world, dorm, deduct):
    _confirmed_level_two(world, deduct)
    deduct(world.child, 1, D(2026, 11, 10), voided=True)
    assert _check(world, D(2026, 11, 25))["stepped_down"] == 1


# --- Rules are data --------------------------------------------------------------------------------


def test_thresholds_edited_in_the_settings_take_effect(world, dorm, deduct):
    EscalationStep.objects.filter(school=world.school, level=1).update(threshold=Decimal("3"))
    deduct(world.child, 3, TODAY)
    assert _check(world)["opened"] == 1
    assert _cases(world.child)[0].deductions == Decimal("3")


def test_a_shorter_window_in_the_settings_takes_effect(world, dorm, deduct):
    deduct(world.child, 5, D(2026, 11, 10))
    DormSettings.objects.filter(school=world.school).update(window_days=7)
    assert _check(world)["opened"] == 0
    DormSettings.objects.filter(school=world.school).update(window_days=11)
    assert _check(world)["opened"] == 1
    assert _cases(world.child)[0].window_start == D(2026, 11, 10)


def test_a_shorter_clean_period_in_the_settings_takes_effect(world, dorm, deduct):
    _confirmed_level_two(world, deduct)
    DormSettings.objects.filter(school=world.school).update(clean_days=7)
    assert _check(world, D(2026, 11, 2))["stepped_down"] == 1


def test_a_step_changed_to_the_office_is_decided_by_the_office(world, dorm, deduct, client_for):
    from django.urls import reverse

    EscalationStep.objects.filter(school=world.school, level=1).update(confirmer="office")
    deduct(world.child, 5, TODAY)
    _check(world)
    (case,) = _cases(world.child)
    url = reverse("moral_ed:dorm_case_decide", args=[case.pk])
    assert client_for(world.head_teacher).post(url, {"decision": "confirm"}).status_code == 403
    assert client_for(world.office).post(url, {"decision": "confirm"}).status_code == 302


# --- The nightly job ---------------------------------------------------------------------------------


def test_the_task_runs_the_ladder_of_every_school(world, dorm, deduct):
    from config.celery import app

    deduct(world.child, 5, TODAY)
    deduct(world.b.child, 5, TODAY)
    app.conf.task_always_eager = True
    try:
        tasks.dorms.dorm_ladder()
        tasks.dorms.dorm_ladder(TODAY.isoformat())
    finally:
        app.conf.task_always_eager = False
    assert DormCase.objects.filter(Q(student=world.child) | Q(student=world.b.child)).count() == 2
    assert Notification.objects.filter(kind="moral_ed.dorm_case_opened", recipient=world.b.head_teacher).count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="two workers at once need PostgreSQL's row locks (SQLite locks the whole table)")
@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_open_one_case_and_step_down_once(world, dorm, deduct):
    deduct(world.child, 5, TODAY)
    outcomes = at_once(lambda: _check(world), lambda: _check(world))
    assert not failures(outcomes)
    assert sorted(o["opened"] for o in outcomes) == [0, 1]
    (case,) = _cases(world.child)
    assert _opened_notes(case).count() == 1

    services.case_confirm(case=case, decided_by=world.office)
    later = D(2026, 12, 20)
    with time_machine.travel("2026-12-20 23:00 +0800", tick=False):
        outcomes = at_once(lambda: _check(world, later), lambda: _check(world, later))
    assert not failures(outcomes)
    assert sorted(o["stepped_down"] for o in outcomes) == [0, 1]
    assert selectors.current_level(world.child.pk) == 0
