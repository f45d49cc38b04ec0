"""The conduct ledger: append-only, void instead of delete, one event per
student in one transaction, limits, totals derived in the database."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError

from accounts.models import AuditEvent
from moral_ed.models import ConductEvent, ConductItem, DimensionLimit, Disclosure
from moral_ed.selectors import conduct as selectors
from moral_ed.services import conduct as services
from tests.factories import EnrollmentFactory, StudentFactory

pytestmark = pytest.mark.usefixtures("items")

NOV20 = "2026-11-20 10:00 +0800"


@time_machine.travel(NOV20, tick=False)
def test_group_entry_writes_one_event_per_student(world, record):
    events, batch, refused, today = record(world.head_teacher, [world.child, world.classmate], "上课积极发言")
    assert len(events) == 2 and not refused
    rows = ConductEvent.objects.filter(batch=batch)
    assert sorted(rows.values_list("student_id", flat=True)) == sorted([world.child.pk, world.classmate.pk])
    assert all(e.points == Decimal("1") and e.school_class_id == world.class1.pk for e in rows)
    assert today == {world.child.pk: Decimal("1"), world.classmate.pk: Decimal("1")}


@time_machine.travel(NOV20, tick=False)
def test_entry_with_a_student_of_another_class_writes_nothing(world, record):
    with pytest.raises(ValidationError):
        record(world.head_teacher, [world.child, world.other_child], "上课积极发言")
    assert not ConductEvent.objects.exists()


@pytest.mark.django_db(transaction=True)
@time_machine.travel(NOV20, tick=False)
def test_entry_is_one_transaction(world, record, monkeypatch):
    """If the insert fails half-way nothing is kept. Outside a test
    transaction: inside one (as inside the entry view's) the entry adds no
    savepoint, so the failure rolls back the enclosing transaction."""
    original = ConductEvent.objects.bulk_create

    def failing(objs, *args, **kwargs):
        original(objs[:1], *args, **kwargs)
        raise RuntimeError("disk full")

    monkeypatch.setattr(ConductEvent.objects, "bulk_create", failing)
    with pytest.raises(RuntimeError):
        record(world.head_teacher, [world.child, world.classmate], "上课积极发言")
    assert not ConductEvent.objects.exists()


@time_machine.travel(NOV20, tick=False)
def test_void_keeps_the_event_and_totals_drop(world, record):
    events, *_ = record(world.head_teacher, [world.child], "迟到")
    record(world.head_teacher, [world.child], "上课积极发言")
    event = events[0]
    assert selectors.student_totals(world.child, term=world.term, today=datetime.date(2026, 11, 20))["term"]["all"] == 0
    assert services.points_void(actor=world.head_teacher, event=event, reason="记错了人")
    event.refresh_from_db()
    assert event.voided_at and event.voided_by == world.head_teacher and event.void_reason == "记错了人"
    assert event.points == Decimal("-1")  # the amount never changes
    totals = selectors.student_totals(world.child, term=world.term, today=datetime.date(2026, 11, 20))
    assert totals["term"]["all"] == Decimal("1") and totals["term"]["discipline"] == 0
    assert AuditEvent.objects.filter(action="moral_ed.conduct.voided", target_id=str(event.pk)).exists()
    # A second void changes nothing.
    assert not services.points_void(actor=world.office, event=event, reason="again")
    event.refresh_from_db()
    assert event.voided_by == world.head_teacher


def test_void_needs_a_reason(world, record):
    with time_machine.travel(NOV20, tick=False):
        events, *_ = record(world.head_teacher, [world.child], "迟到")
    with pytest.raises(ValidationError):
        services.points_void(actor=world.head_teacher, event=events[0], reason="  ")
    assert ConductEvent.objects.get(pk=events[0].pk).voided_at is None


def test_database_refuses_a_void_without_author_or_reason(world, record):
    from django.db import IntegrityError, transaction
    from django.utils import timezone

    with time_machine.travel(NOV20, tick=False):
        events, *_ = record(world.head_teacher, [world.child], "迟到")
    with pytest.raises(IntegrityError), transaction.atomic():
        ConductEvent.objects.filter(pk=events[0].pk).update(voided_at=timezone.now())


def test_undo_voids_the_whole_batch_within_ten_minutes(world, record):
    with time_machine.travel(NOV20, tick=False) as t:
        events, batch, *_ = record(world.head_teacher, [world.child, world.classmate], "上课积极发言")
        # Another teacher cannot undo it.
        assert services.batch_undo(actor=world.subject_teacher, school=world.school, batch=batch) == 0
        t.shift(datetime.timedelta(minutes=5))
        assert services.batch_undo(actor=world.head_teacher, school=world.school, batch=batch) == 2
        assert ConductEvent.objects.filter(batch=batch, voided_at__isnull=True).count() == 0
        assert ConductEvent.objects.filter(batch=batch).count() == 2
    with time_machine.travel(NOV20, tick=False) as t:
        _, batch2, *_ = record(world.head_teacher, [world.child], "上课积极发言")
        t.shift(datetime.timedelta(minutes=11))
        assert services.batch_undo(actor=world.head_teacher, school=world.school, batch=batch2) == 0


@time_machine.travel(NOV20, tick=False)
def test_half_points_add_up_exactly(world, record):
    for _ in range(3):
        record(world.head_teacher, [world.child], "上课讲话")  # -0.5
    totals = selectors.student_totals(world.child, term=world.term, today=datetime.date(2026, 11, 20))
    assert totals["week"]["discipline"] == Decimal("-1.5")


@time_machine.travel(NOV20, tick=False)
def test_daily_limit_per_teacher_student_and_item(world, record, items):
    item = items["上课积极发言"]
    item.daily_cap = Decimal("2")
    item.save()
    record(world.head_teacher, [world.child], "上课积极发言")
    record(world.head_teacher, [world.child, world.classmate], "上课积极发言")
    events, _, refused, _ = record(world.head_teacher, [world.child, world.classmate], "上课积极发言")
    assert [e.student_id for e in events] == [world.classmate.pk]
    assert world.child.pk in refused and "2" in refused[world.child.pk]
    # The limit is per teacher: a subject teacher may still praise.
    events, _, refused, _ = record(world.subject_teacher, [world.child], "上课积极发言")
    assert len(events) == 1 and not refused


@time_machine.travel(NOV20, tick=False)
def test_dimension_floor_and_ceiling_per_term(world, record):
    DimensionLimit.objects.create(school=world.school, dimension="discipline", floor=Decimal("-2"), ceiling=Decimal("2"))
    record(world.head_teacher, [world.child], "迟到")
    record(world.head_teacher, [world.child], "迟到")
    events, _, refused, _ = record(world.head_teacher, [world.child], "迟到")
    assert not events and world.child.pk in refused
    record(world.head_teacher, [world.child], "遵守课堂纪律")
    totals = selectors.student_totals(world.child, term=world.term, today=datetime.date(2026, 11, 20))
    assert totals["term"]["discipline"] == Decimal("-1")


@time_machine.travel(NOV20, tick=False)
def test_refuses_inactive_item_future_day_and_other_school_item(world, record, items):
    inactive = items["拾金不昧"]
    inactive.is_active = False
    inactive.save()
    with pytest.raises(ValidationError):
        record(world.head_teacher, [world.child], "拾金不昧")
    with pytest.raises(ValidationError):
        record(world.head_teacher, [world.child], "上课积极发言", occurred_on=datetime.date(2026, 11, 21))
    other_item = ConductItem.objects.filter(school=world.b.school).first()
    with pytest.raises(ValidationError):
        services.points_record(actor=world.head_teacher, school=world.school, term=world.term, school_class=world.class1,
                               student_ids=[world.child.pk], item=other_item)
    assert not ConductEvent.objects.exists()


@time_machine.travel(NOV20, tick=False)
def test_positive_events_are_released_at_once_and_negative_ones_staged(world, record):
    plus, *_ = record(world.head_teacher, [world.child], "上课积极发言")
    minus, *_ = record(world.head_teacher, [world.child], "迟到")
    assert plus[0].disclosure == Disclosure.RELEASED and plus[0].released_at
    assert minus[0].disclosure == Disclosure.STAGED and minus[0].released_at is None
    from django.utils import timezone

    assert timezone.localtime(minus[0].release_due_at).strftime("%Y-%m-%d %H:%M") == "2026-11-20 20:00"


def test_moved_student_keeps_events_with_their_old_class(world, record):
    from students.services import enrollment_place

    with time_machine.travel(NOV20, tick=False):
        record(world.head_teacher, [world.child], "上课积极发言")
        enrollment_place(student=world.child, school_class=world.class2, on_date=datetime.date(2026, 11, 20))
        with pytest.raises(ValidationError):
            record(world.head_teacher, [world.child], "上课积极发言")
        events, *_ = record(world.other_head_teacher, [world.child], "上课积极发言", school_class=world.class2)
    assert ConductEvent.objects.filter(student=world.child).values_list("school_class_id", flat=True).distinct().count() == 2


def test_new_student_in_class_has_zero_today(world):
    student = StudentFactory(school=world.school)
    EnrollmentFactory(student=student, school_class=world.class1)
    rows = selectors.class_students_with_today(world.class1, datetime.date(2026, 11, 20))
    assert {s.pk: s.today for s in rows}[student.pk] == 0
