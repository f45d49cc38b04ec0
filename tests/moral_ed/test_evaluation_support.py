"""Builders for the evaluation tests (no tests here): ledger rows written
directly, as the inspection, dorm and conduct pages would leave them."""

import datetime
from decimal import Decimal

from django.utils import timezone

from moral_ed.models import (
    ClassEvent,
    ClassVeto,
    ConductEvent,
    Disclosure,
    DormBuilding,
    DormEvent,
    DormRoom,
    EvaluationSettings,
    GroupEvent,
    StudentGroup,
)
from moral_ed.services.evaluations import evaluation_run
from tests import factories as f

NOV = datetime.date(2026, 11, 1)
OCT = datetime.date(2026, 10, 1)
NOV_DAY = datetime.date(2026, 11, 10)
WEEK = datetime.date(2026, 11, 16)  # a Monday


def run(world, kind="monthly", start=NOV, **kwargs):
    return evaluation_run(school=world.school, kind=kind, period_start=start, **kwargs)


def rules(world, **values) -> EvaluationSettings:
    row, _ = EvaluationSettings.objects.update_or_create(school=world.school, defaults=values)
    return row


def add_class(world, number, *, level=6, head=None):
    grade = f.GradeFactory(school=world.school, level=level)
    school_class = f.SchoolClassFactory(school=world.school, school_year=world.year, grade=grade, number=number)
    if head is not None:
        f.TeachingAssignmentFactory(school=world.school, term=world.term, school_class=school_class, teacher=head, is_head_teacher=True)
    return school_class


def class_event(world, school_class, points, day=NOV_DAY, *, by=None):
    return ClassEvent.objects.create(
        school=school_class.school, term=world.term if school_class.school_id == world.school.pk else world.b.term,
        school_class=school_class, points=Decimal(str(points)), occurred_on=day, recorded_by=by or world.office,
        note="检查",
    )


def veto(world, school_class, reason, day=NOV_DAY):
    return ClassVeto.objects.create(
        school=school_class.school, term=world.term, school_class=school_class, occurred_on=day, reason=reason,
        recorded_by=world.office,
    )


def conduct(world, student, points, *, school_class=None, dimension="study", day=NOV_DAY, by=None):
    now = timezone.now()
    return ConductEvent.objects.create(
        school=student.school, term=world.term, student=student, school_class=school_class or world.class1,
        dimension=dimension, points=Decimal(str(points)), occurred_on=day, recorded_by=by or world.head_teacher,
        disclosure=Disclosure.RELEASED, released_at=now,
    )


def group(world, school_class, name, kind="study"):
    return StudentGroup.objects.create(school=school_class.school, school_class=school_class, kind=kind, name=name)


def group_event(world, group_row, points, day=NOV_DAY, *, by=None):
    return GroupEvent.objects.create(
        school=group_row.school, term=world.term, group=group_row, points=Decimal(str(points)), occurred_on=day,
        recorded_by=by or world.head_teacher,
    )


def room(world, number, building_name="一号楼"):
    building, _ = DormBuilding.objects.get_or_create(school=world.school, name=building_name)
    return DormRoom.objects.create(school=world.school, building=building, number=number)


def dorm_event(world, room_row, points, day=NOV_DAY, *, student=None):
    return DormEvent.objects.create(
        school=world.school, term=world.term, room=room_row, student=student, points=Decimal(str(points)), occurred_on=day,
        recorded_by=world.office,
    )


def void(row, by, reason="记错了"):
    type(row).objects.filter(pk=row.pk).update(voided_at=timezone.now(), voided_by=by, void_reason=reason)
