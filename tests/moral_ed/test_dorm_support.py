"""The dorm world the dorm tests share (fixtures imported by the other
test_dorm*.py files), and the default rules.

School A: building 1号楼 with rooms 101 and 102 (four beds each) and
building 2号楼 with room 201; 陈小雨 (六(1)班) sleeps in 101-1, 周子涵
(六(1)班) in 101-2, 吴浩然 (六(2)班) in 201-1. School B: its student in
B栋 101-1. Both schools have the default dorm rules.
"""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
import time_machine
from django.utils import timezone

from moral_ed.models import (
    Confirmer,
    DormBed,
    DormBuilding,
    DormEvent,
    DormItem,
    DormRoom,
    DormSettings,
    DormTarget,
    EscalationStep,
)
from moral_ed.services import dorms as services

FRIDAY = "2026-11-20 10:00 +0800"
TODAY = datetime.date(2026, 11, 20)


def build_rooms(school, building_name, rooms, beds=4):
    building = DormBuilding.objects.create(school=school, name=building_name)
    made = []
    for number in rooms:
        room = DormRoom.objects.create(school=school, building=building, number=number)
        room.bed_list = [DormBed.objects.create(school=school, room=room, label=str(i)) for i in range(1, beds + 1)]
        made.append(room)
    return building, made


@pytest.fixture
def dorm(world):
    """Buildings, rooms, beds and the defaults; the world's students in their beds."""
    with time_machine.travel(FRIDAY, tick=False):
        for school in (world.school, world.b.school):
            services.defaults_install(school=school)
        building, (room101, room102) = build_rooms(world.school, "1号楼", ["101", "102"])
        building2, (room201,) = build_rooms(world.school, "2号楼", ["201"], beds=2)
        b_building, (b_room,) = build_rooms(world.b.school, "B栋", ["101"])

        def assign(school, term, bed, student):
            return services.bed_assign(school=school, term=term, bed=bed, student=student, assigned_by=None)

        assign(world.school, world.term, room101.bed_list[0], world.child)
        assign(world.school, world.term, room101.bed_list[1], world.classmate)
        assign(world.school, world.term, room201.bed_list[0], world.other_child)
        assign(world.b.school, world.b.term, b_room.bed_list[0], world.b.child)
    items = {i.name: i for i in DormItem.objects.filter(school=world.school)}
    return SimpleNamespace(
        building=building,
        building2=building2,
        b_building=b_building,
        room101=room101,
        room102=room102,
        room201=room201,
        b_room=b_room,
        items=items,
        b_items={i.name: i for i in DormItem.objects.filter(school=world.b.school)},
        steps={s.level: s for s in EscalationStep.objects.filter(school=world.school)},
    )


@pytest.fixture
def deduct(world, dorm):
    """deduct(student, points, day) → a DormEvent written straight into the
    ledger (no immediate ladder run), so the nightly job is tested alone."""

    def _deduct(student, points, day, *, voided=False, room=None):
        school = student.school
        term = world.term if school == world.school else world.b.term
        room = room or student.bed_assignments.get(term=term).bed.room
        event = DormEvent.objects.create(
            school=school,
            term=term,
            room=room,
            student=student,
            item=None,
            points=-Decimal(str(points)),
            occurred_on=day,
            recorded_by=world.office if school == world.school else world.b.office,
        )
        if voided:
            DormEvent.objects.filter(pk=event.pk).update(voided_at=timezone.now(), voided_by=world.office, void_reason="记错了")
        return event

    return _deduct


# --- The default rules ------------------------------------------------------------------


def test_defaults_are_the_seed_ladder_and_installing_twice_adds_nothing(world):
    first = services.defaults_install(school=world.school)
    assert first["settings"] == 1 and first["steps"] == 3 and first["items"] >= 8
    assert services.defaults_install(school=world.school) == {"settings": 0, "steps": 0, "items": 0}
    steps = list(EscalationStep.objects.filter(school=world.school).order_by("level"))
    assert [(s.level, s.name, s.threshold, s.confirmer) for s in steps] == [
        (1, "谈话", Decimal("5"), Confirmer.HEAD_TEACHER),
        (2, "停宿一周", Decimal("10"), Confirmer.OFFICE),
        (3, "退宿或纪律处分", Decimal("15"), Confirmer.OFFICE),
    ]
    settings_row = DormSettings.objects.get(school=world.school)
    assert (settings_row.window_days, settings_row.clean_days) == (30, 30)
    items = {i.name: (i.applies_to, i.points) for i in DormItem.objects.filter(school=world.school)}
    assert items["内务不整"] == (DormTarget.ROOM, Decimal("-1"))
    assert items["卫生不合格"] == (DormTarget.ROOM, Decimal("-2"))
    assert items["违规电器"] == (DormTarget.ROOM, Decimal("-3"))
    assert items["熄灯后讲话"] == (DormTarget.STUDENT, Decimal("-1"))
    assert items["晚归"] == (DormTarget.STUDENT, Decimal("-2"))
    assert items["夜不归宿"] == (DormTarget.STUDENT, Decimal("-5"))
    assert items["打架"] == (DormTarget.STUDENT, Decimal("-5"))


def test_installing_keeps_what_an_administrator_changed(world):
    services.defaults_install(school=world.school)
    EscalationStep.objects.filter(school=world.school, level=1).update(threshold=Decimal("4"), name="班主任谈话")
    DormItem.objects.filter(school=world.school, name="晚归").update(points=Decimal("-1"))
    services.defaults_install(school=world.school)
    assert EscalationStep.objects.get(school=world.school, level=1).threshold == Decimal("4")
    assert DormItem.objects.get(school=world.school, name="晚归").points == Decimal("-1")
