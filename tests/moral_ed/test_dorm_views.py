"""The dorm pages: the office's inspection of a day (record, void), the
head teacher's class and student pages, the case list and the decision;
who may do what, and query counts at two sizes."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from moral_ed.models import BedAssignment, CaseStatus, DormBed, DormCase, DormEvent, DormLevelChange, DormRoom
from moral_ed.services import dorms as services
from notifications.models import Notification
from tests.factories import EnrollmentFactory, StudentFactory

from . import test_dorm_support as support
from .test_dorm_support import FRIDAY, TODAY

# The shared dorm fixtures.
deduct = support.deduct
dorm = support.dorm


@pytest.fixture(autouse=True)
def school_day():
    with time_machine.travel(FRIDAY, tick=False):
        yield


def _messages(response) -> str:
    return " ".join(str(m) for m in response.context["messages"]) if response.context else ""


def _inspection(dorm, building=None):
    return reverse("moral_ed:dorm_inspection", args=[(building or dorm.building).pk])


def _record_url(dorm):
    return reverse("moral_ed:dorm_event_record", args=[dorm.building.pk])


# --- The inspection page ----------------------------------------------------------------------


def test_inspection_shows_rooms_residents_and_forms_to_the_office(world, dorm, client_for):
    response = client_for(world.office).get(_inspection(dorm))
    page = response.content.decode()
    assert response.context["day"] == TODAY
    assert f'id="room-{dorm.room101.pk}"' in page and f'id="room-{dorm.room102.pk}"' in page
    assert "陈小雨" in page and "周子涵" in page and "吴浩然" not in page
    assert page.count(f'action="{_record_url(dorm)}"') == 3  # room 101: room + student form; 102: room form only
    assert 'name="viewport"' in page


def test_a_future_day_is_refused_and_today_shown(world, dorm, client_for):
    response = client_for(world.office).get(_inspection(dorm), {"day": "2026-11-21"})
    assert response.context["day"] == TODAY
    assert _messages(response)


def test_a_past_day_shows_that_days_entries(world, dorm, client_for):
    services.dorm_event_record(
        school=world.school, term=world.term, room=dorm.room101, item=dorm.items["内务不整"], recorded_by=world.office,
        occurred_on=datetime.date(2026, 11, 18),
    )
    client = client_for(world.office)

    def entries(params):
        rooms = client.get(_inspection(dorm), params).context["rooms"]
        return {room.number: len(room.day_events) for room in rooms}

    assert entries({"day": "2026-11-18"}) == {"101": 1, "102": 0}
    assert entries({}) == {"101": 0, "102": 0}


def test_office_records_a_room_entry_and_a_student_entry(world, dorm, client_for):
    client = client_for(world.office)
    response = client.post(_record_url(dorm), {"room": dorm.room101.pk, "item": dorm.items["内务不整"].pk, "note": "被子未叠"})
    assert response.status_code == 302 and response.url.endswith(f"?day=2026-11-20#room-{dorm.room101.pk}")
    response = client.post(
        _record_url(dorm),
        {"room": dorm.room101.pk, "item": dorm.items["熄灯后讲话"].pk, "student": world.child.pk, "day": "2026-11-19"},
    )
    assert response.status_code == 302
    room_event, student_event = DormEvent.objects.order_by("pk")
    assert (room_event.student, room_event.points, room_event.note, room_event.recorded_by) == (None, Decimal("-1"), "被子未叠", world.office)
    assert (student_event.student, student_event.occurred_on) == (world.child, datetime.date(2026, 11, 19))


def test_a_student_entry_needs_a_student_of_that_room(world, dorm, client_for):
    client = client_for(world.office)
    data = {"room": dorm.room102.pk, "item": dorm.items["晚归"].pk, "student": world.child.pk}
    response = client.post(_record_url(dorm), data, follow=True)
    assert "陈小雨" in _messages(response)
    response = client.post(_record_url(dorm), {**data, "student": ""}, follow=True)
    assert _messages(response)
    response = client.post(_record_url(dorm), {"room": dorm.room101.pk, "item": dorm.items["内务不整"].pk, "student": world.child.pk}, follow=True)
    assert _messages(response)
    assert not DormEvent.objects.exists()


def test_entries_cannot_be_recorded_for_tomorrow_or_in_another_building(world, dorm, client_for):
    client = client_for(world.office)
    client.post(_record_url(dorm), {"room": dorm.room101.pk, "item": dorm.items["内务不整"].pk, "day": "2026-11-21"})
    client.post(_record_url(dorm), {"room": dorm.room201.pk, "item": dorm.items["内务不整"].pk})
    client.post(_record_url(dorm), {"room": dorm.room101.pk, "item": dorm.b_items["内务不整"].pk})
    assert not DormEvent.objects.exists()


def test_a_deduction_that_crosses_a_threshold_says_so(world, dorm, client_for):
    response = client_for(world.office).post(
        _record_url(dorm), {"room": dorm.room101.pk, "item": dorm.items["夜不归宿"].pk, "student": world.child.pk}, follow=True
    )
    assert "谈话" in _messages(response)
    assert DormCase.objects.filter(student=world.child, status=CaseStatus.OPEN).count() == 1


def test_void_needs_a_reason_and_keeps_the_entry(world, dorm, client_for):
    event = services.dorm_event_record(
        school=world.school, term=world.term, room=dorm.room101, item=dorm.items["晚归"], student=world.classmate, recorded_by=world.office
    )
    url = reverse("moral_ed:dorm_event_void", args=[event.pk])
    client = client_for(world.office)
    client.post(url, {"reason": ""})
    event.refresh_from_db()
    assert not event.is_voided
    response = client.post(url, {"reason": "记错了房间"})
    assert response.url.endswith(f"?day=2026-11-20#room-{dorm.room101.pk}")
    event.refresh_from_db()
    assert (event.is_voided, event.void_reason, event.voided_by) == (True, "记错了房间", world.office)
    page = client.get(_inspection(dorm)).content.decode()
    assert "event-voided" in page and "记错了房间" in page


@pytest.mark.parametrize("person", ["head_teacher", "subject_teacher", "counsellor", "parent", "student_user"])
def test_only_the_office_and_principal_open_the_inspection(world, dorm, client_for, person):
    client = client_for(getattr(world, person))
    assert client.get(_inspection(dorm)).status_code == 403
    assert client.post(_record_url(dorm), {"room": dorm.room101.pk, "item": dorm.items["内务不整"].pk}).status_code == 403
    assert not DormEvent.objects.exists()


def test_principal_reads_the_inspection_without_forms(world, dorm, client_for):
    response = client_for(world.principal).get(_inspection(dorm))
    assert response.status_code == 200
    assert _record_url(dorm) not in response.content.decode()


# --- The head teacher's pages --------------------------------------------------------------------


def test_head_teacher_reads_the_dorm_entries_of_their_class(world, dorm, deduct, client_for):
    deduct(world.child, 2, TODAY)
    deduct(world.other_child, 3, TODAY)
    services.dorm_event_record(
        school=world.school, term=world.term, room=dorm.room101, item=dorm.items["晚归"], student=world.classmate, recorded_by=world.office
    )
    response = client_for(world.head_teacher).get(reverse("moral_ed:dorm_class", args=[world.class1.pk]))
    page = response.content.decode()
    assert "陈小雨" in page and "周子涵" in page and "晚归" in page and "吴浩然" not in page
    boarders = {s.name: s for s in response.context["boarders"]}
    assert boarders["陈小雨"].deducted == Decimal("2") and boarders["周子涵"].deducted == Decimal("2")
    assert client_for(world.head_teacher).get(reverse("moral_ed:dorm_class", args=[world.class2.pk])).status_code == 404
    assert client_for(world.subject_teacher).get(reverse("moral_ed:dorm_class", args=[world.class1.pk])).status_code == 403


def test_student_page_shows_entries_level_and_cases(world, dorm, deduct, client_for):
    deduct(world.child, 5, TODAY)
    services.ladder_check(school=world.school, today=TODAY)
    case = DormCase.objects.get(student=world.child)
    services.case_confirm(case=case, decided_by=world.head_teacher)
    response = client_for(world.head_teacher).get(reverse("moral_ed:dorm_student", args=[world.child.pk]))
    assert response.status_code == 200
    assert response.context["level"] == 1 and response.context["deducted"] == Decimal("5")
    page = response.content.decode()
    assert reverse("moral_ed:dorm_case", args=[case.pk]) in page and "0 → 1" in page


# --- Cases ------------------------------------------------------------------------------------------


@pytest.fixture
def cases(world, dorm, deduct):
    """An open talk for 陈小雨 (六(1)), a decided one and an open suspension for 吴浩然 (六(2))."""
    deduct(world.child, 5, TODAY)
    deduct(world.other_child, 5, datetime.date(2026, 11, 1))
    services.ladder_check(school=world.school, today=datetime.date(2026, 11, 1))
    services.case_confirm(case=DormCase.objects.get(student=world.other_child), decided_by=world.other_head_teacher)
    deduct(world.other_child, 5, TODAY)
    services.ladder_check(school=world.school, today=TODAY)
    return {
        "talk": DormCase.objects.get(student=world.child),
        "suspension": DormCase.objects.get(student=world.other_child, level=2),
    }


def test_office_sees_every_case_open_first(world, cases, client_for):
    response = client_for(world.office).get(reverse("moral_ed:dorm_cases"))
    listed = list(response.context["page"].object_list)
    assert len(listed) == 3
    assert [c.status for c in listed][:2] == [CaseStatus.OPEN, CaseStatus.OPEN] and listed[2].status == CaseStatus.CONFIRMED
    assert all(c.can_decide for c in listed[:2])


def test_case_filters(world, cases, client_for):
    client = client_for(world.office)
    url = reverse("moral_ed:dorm_cases")
    assert len(client.get(url, {"status": "confirmed"}).context["page"].object_list) == 1
    assert [c.level for c in client.get(url, {"level": "2"}).context["page"].object_list] == [2]
    assert {c.student_id for c in client.get(url, {"school_class": world.class2.pk}).context["page"].object_list} == {world.other_child.pk}
    assert [c.student_id for c in client.get(url, {"q": "陈"}).context["page"].object_list] == [world.child.pk]


def test_head_teacher_sees_only_their_class_cases(world, cases, client_for):
    response = client_for(world.head_teacher).get(reverse("moral_ed:dorm_cases"))
    listed = list(response.context["page"].object_list)
    assert [c.pk for c in listed] == [cases["talk"].pk]
    assert listed[0].can_decide
    other = list(client_for(world.other_head_teacher).get(reverse("moral_ed:dorm_cases")).context["page"].object_list)
    suspension = next(c for c in other if c.pk == cases["suspension"].pk)
    assert not suspension.can_decide  # an office step


def test_head_teacher_may_confirm_step_one_but_not_step_two(world, cases, client_for):
    talk_url = reverse("moral_ed:dorm_case_decide", args=[cases["talk"].pk])
    suspension_url = reverse("moral_ed:dorm_case_decide", args=[cases["suspension"].pk])
    assert client_for(world.other_head_teacher).post(suspension_url, {"decision": "confirm"}).status_code == 403
    assert client_for(world.other_head_teacher).post(talk_url, {"decision": "confirm"}).status_code == 404
    assert client_for(world.principal).post(talk_url, {"decision": "confirm"}).status_code == 403
    response = client_for(world.head_teacher).post(talk_url, {"decision": "confirm", "note": "已谈话"}, follow=True)
    assert "谈话" in _messages(response)
    cases["talk"].refresh_from_db()
    assert cases["talk"].status == CaseStatus.CONFIRMED and cases["talk"].decided_by == world.head_teacher
    assert Notification.objects.filter(recipient=world.parent, kind="moral_ed.dorm_case_confirmed").count() == 1
    # A second click decides nothing more.
    response = client_for(world.office).post(talk_url, {"decision": "dismiss", "note": "x"}, follow=True)
    cases["talk"].refresh_from_db()
    assert cases["talk"].status == CaseStatus.CONFIRMED and _messages(response)


def test_office_confirms_an_office_step_and_dismisses_with_a_reason(world, cases, client_for):
    client = client_for(world.office)
    suspension_url = reverse("moral_ed:dorm_case_decide", args=[cases["suspension"].pk])
    assert client.post(suspension_url, {"decision": "confirm"}).status_code == 302
    assert DormLevelChange.objects.filter(student=world.other_child).latest("pk").to_level == 2
    talk_url = reverse("moral_ed:dorm_case_decide", args=[cases["talk"].pk])
    client.post(talk_url, {"decision": "dismiss", "note": ""})
    cases["talk"].refresh_from_db()
    assert cases["talk"].status == CaseStatus.OPEN
    client.post(talk_url, {"decision": "dismiss", "note": "误记"})
    cases["talk"].refresh_from_db()
    assert cases["talk"].status == CaseStatus.DISMISSED
    assert not Notification.objects.filter(recipient=world.parent, kind="moral_ed.dorm_case_confirmed").exists()


def test_case_page_shows_the_window_entries_and_the_forms_to_the_confirmer(world, cases, client_for):
    url = reverse("moral_ed:dorm_case", args=[cases["talk"].pk])
    response = client_for(world.head_teacher).get(url)
    assert response.context["can_decide"] and response.context["deducted_now"] == Decimal("5")
    assert reverse("moral_ed:dorm_case_decide", args=[cases["talk"].pk]) in response.content.decode()
    response = client_for(world.principal).get(url)
    assert response.status_code == 200 and not response.context["can_decide"]


def test_dorm_home_for_the_office_and_for_a_head_teacher(world, cases, client_for):
    page = client_for(world.office).get(reverse("moral_ed:dorm_home")).content.decode()
    assert "1号楼" in page and "2号楼" in page and "停宿一周" in page
    response = client_for(world.head_teacher).get(reverse("moral_ed:dorm_home"))
    page = response.content.decode()
    assert reverse("moral_ed:dorm_class", args=[world.class1.pk]) in page and "1号楼" not in page
    assert response.context["open_cases"] == 1
    assert client_for(world.subject_teacher).get(reverse("moral_ed:dorm_home")).status_code == 403
    assert client_for(world.parent).get(reverse("moral_ed:dorm_home")).status_code == 403


# --- Query counts at two sizes ------------------------------------------------------------------------


def _count(client, url, params=None):
    client.get(url, params)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _grow(world, dorm, rooms, start):
    """More rooms in 1号楼, every bed taken by a new 六(1) student with an entry today."""
    for i in range(rooms):
        room = DormRoom.objects.create(school=world.school, building=dorm.building, number=str(start + i))
        services.dorm_event_record(
            school=world.school, term=world.term, room=room, item=dorm.items["卫生不合格"], recorded_by=world.office
        )
        for label in "1234":
            bed = DormBed.objects.create(school=world.school, room=room, label=label)
            student = StudentFactory(school=world.school)
            EnrollmentFactory(student=student, school=world.school, school_class=world.class1, school_year=world.year)
            BedAssignment.objects.create(school=world.school, term=world.term, bed=bed, student=student)
            services.dorm_event_record(
                school=world.school, term=world.term, room=room, item=dorm.items["夜不归宿"], student=student, recorded_by=world.office
            )


def test_inspection_queries_do_not_grow_with_rooms_and_entries(world, dorm, client_for, django_assert_num_queries):
    client = client_for(world.office)
    _grow(world, dorm, 1, start=300)
    small = _count(client, _inspection(dorm))
    _grow(world, dorm, 5, start=400)
    with django_assert_num_queries(small):
        client.get(_inspection(dorm))


@pytest.mark.parametrize("person", ["office", "head_teacher"])
def test_case_list_and_class_page_queries_do_not_grow(world, dorm, client_for, django_assert_num_queries, person):
    client = client_for(getattr(world, person))
    cases_url = reverse("moral_ed:dorm_cases")
    class_url = reverse("moral_ed:dorm_class", args=[world.class1.pk])
    _grow(world, dorm, 1, start=300)
    small_cases = _count(client, cases_url)
    small_class = _count(client, class_url)
    _grow(world, dorm, 4, start=400)
    assert DormCase.objects.count() == 20
    with django_assert_num_queries(small_cases):
        client.get(cases_url)
    with django_assert_num_queries(small_class):
        client.get(class_url)


def test_entries_are_paginated_keeping_the_filters(world, dorm, deduct, client_for):
    for _ in range(55):
        deduct(world.child, 1, TODAY)
    client = client_for(world.head_teacher)
    url = reverse("moral_ed:dorm_student", args=[world.child.pk])
    response = client.get(url)
    assert len(response.context["page"].object_list) == 50 and "?page=2" in response.content.decode()
    assert len(client.get(url, {"page": 2}).context["page"].object_list) == 5
    services.ladder_check(school=world.school, today=TODAY)
    cases = client_for(world.office).get(reverse("moral_ed:dorm_cases"), {"status": "open"})
    assert [c.student_id for c in cases.context["page"].object_list] == [world.child.pk]
