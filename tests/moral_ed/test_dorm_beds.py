"""Beds: one student per bed and one bed per student per term, clear
errors, moving frees the old bed; the office's building page (search,
assign, release) and its query count."""

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import AuditEvent
from moral_ed.models import BedAssignment, DormBed, DormRoom
from moral_ed.services import dorms as services
from tests.factories import EnrollmentFactory, StudentFactory

from . import test_dorm_support as support
from .test_dorm_support import FRIDAY

# The shared dorm fixtures.
dorm = support.dorm


@pytest.fixture(autouse=True)
def school_day():
    with time_machine.travel(FRIDAY, tick=False):
        yield


def _assign(world, bed, student):
    return services.bed_assign(school=world.school, term=world.term, bed=bed, student=student, assigned_by=world.office)


def _messages(response) -> str:
    return " ".join(str(m) for m in response.context["messages"]) if response.context else ""


# --- The service ---------------------------------------------------------------------------


def test_a_taken_bed_is_refused_with_the_sleepers_name(world, dorm):
    with pytest.raises(ValidationError) as error:
        _assign(world, dorm.room101.bed_list[0], world.other_child)
    assert "陈小雨" in error.value.messages[0] and "101" in error.value.messages[0]
    assert BedAssignment.objects.get(term=world.term, bed=dorm.room101.bed_list[0]).student == world.child


def test_moving_a_student_frees_the_old_bed(world, dorm):
    old_bed = dorm.room101.bed_list[0]
    new_bed = dorm.room102.bed_list[2]
    assignment = _assign(world, new_bed, world.child)
    assert assignment.bed == new_bed
    assert BedAssignment.objects.filter(term=world.term, student=world.child).count() == 1
    assert not BedAssignment.objects.filter(term=world.term, bed=old_bed).exists()
    _assign(world, old_bed, world.other_child)  # the old bed is free for someone else
    audit = AuditEvent.objects.filter(action="moral_ed.dorm.bed_assigned", target_id=str(assignment.pk)).latest("pk")
    assert audit.data["from"].endswith("101 · 1")


def test_assigning_the_same_bed_again_changes_nothing(world, dorm):
    before = BedAssignment.objects.get(student=world.child)
    after = _assign(world, dorm.room101.bed_list[0], world.child)
    assert after.pk == before.pk and after.created_at == before.created_at


def test_another_schools_student_or_bed_is_refused(world, dorm):
    with pytest.raises(ValidationError):
        _assign(world, dorm.room102.bed_list[0], world.b.child)
    with pytest.raises(ValidationError):
        _assign(world, dorm.b_room.bed_list[1], world.classmate)


def test_a_room_not_in_use_is_refused(world, dorm):
    dorm.room102.is_active = False
    dorm.room102.save()
    with pytest.raises(ValidationError) as error:
        _assign(world, dorm.room102.bed_list[0], world.classmate)
    assert "102" in error.value.messages[0]


def test_the_constraints_hold_without_the_service(world, dorm):
    with pytest.raises(IntegrityError), transaction.atomic():
        BedAssignment.objects.create(school=world.school, term=world.term, bed=dorm.room101.bed_list[0], student=world.other_child)
    with pytest.raises(IntegrityError), transaction.atomic():
        BedAssignment.objects.create(school=world.school, term=world.term, bed=dorm.room102.bed_list[0], student=world.child)


def test_releasing_frees_the_bed_once(world, dorm):
    assignment = BedAssignment.objects.get(student=world.child)
    assert services.bed_release(assignment=assignment, released_by=world.office) is True
    assert services.bed_release(assignment=assignment, released_by=world.office) is False
    assert not BedAssignment.objects.filter(student=world.child).exists()
    assert AuditEvent.objects.filter(action="moral_ed.dorm.bed_released").count() == 1


# --- The building page ----------------------------------------------------------------------


def test_building_page_shows_who_sleeps_where(world, dorm, client_for):
    page = client_for(world.office).get(reverse("moral_ed:dorm_building", args=[dorm.building.pk])).content.decode()
    assert "101" in page and "102" in page and "陈小雨" in page and "周子涵" in page
    assert "吴浩然" not in page  # in the other building
    assert reverse("moral_ed:dorm_bed_release", args=[dorm.building.pk]) in page


def test_principal_reads_the_building_page_without_forms(world, dorm, client_for):
    response = client_for(world.principal).get(reverse("moral_ed:dorm_building", args=[dorm.building.pk]))
    assert response.status_code == 200
    assert reverse("moral_ed:dorm_bed_release", args=[dorm.building.pk]) not in response.content.decode()
    post = client_for(world.principal).post(reverse("moral_ed:dorm_bed_assign", args=[dorm.building.pk]), {"bed": dorm.room102.bed_list[0].pk, "student": world.classmate.pk})
    assert post.status_code == 403


def test_search_finds_students_of_the_school_by_number_or_name(world, dorm, client_for):
    url = reverse("moral_ed:dorm_building", args=[dorm.building.pk])
    page = client_for(world.office).get(url, {"q": "吴"}).content.decode()
    assert "吴浩然" in page and "20260101" in page
    page = client_for(world.office).get(url, {"q": "2026000"}).content.decode()
    assert "陈小雨" in page and "周子涵" in page and "吴浩然" not in page
    page = client_for(world.office).get(url, {"q": "B校"}).content.decode()
    assert "B校学生" not in page


def test_office_assigns_by_number_and_moves_with_a_message(world, dorm, client_for):
    client = client_for(world.office)
    url = reverse("moral_ed:dorm_bed_assign", args=[dorm.building.pk])
    bed = dorm.room102.bed_list[0]
    response = client.post(url, {"bed": bed.pk, "student_number": "20260101"}, follow=True)
    assert "吴浩然" in _messages(response)
    assert BedAssignment.objects.get(student=world.other_child).bed == bed
    response = client.post(url, {"bed": bed.pk, "student": world.classmate.pk}, follow=True)
    assert "吴浩然" in _messages(response)  # taken: the sleeper is named
    assert BedAssignment.objects.get(student=world.classmate).bed == dorm.room101.bed_list[1]


def test_assign_refuses_a_bed_of_another_building_or_an_unknown_number(world, dorm, client_for):
    client = client_for(world.office)
    url = reverse("moral_ed:dorm_bed_assign", args=[dorm.building.pk])
    response = client.post(url, {"bed": dorm.room201.bed_list[1].pk, "student": world.classmate.pk}, follow=True)
    assert "这栋楼" in _messages(response) or "this building" in _messages(response)
    response = client.post(url, {"bed": dorm.room102.bed_list[0].pk, "student_number": "99999"}, follow=True)
    assert response.status_code == 200 and not BedAssignment.objects.filter(bed=dorm.room102.bed_list[0]).exists()
    response = client.post(url, {"bed": dorm.room102.bed_list[0].pk, "student": world.b.child.pk}, follow=True)
    assert not BedAssignment.objects.filter(bed=dorm.room102.bed_list[0]).exists()


def test_office_releases_a_bed_of_the_building(world, dorm, client_for):
    assignment = BedAssignment.objects.get(student=world.child)
    other = BedAssignment.objects.get(student=world.other_child)
    url = reverse("moral_ed:dorm_bed_release", args=[dorm.building.pk])
    client = client_for(world.office)
    assert client.post(url, {"assignment": other.pk}).status_code == 302
    assert BedAssignment.objects.filter(pk=other.pk).exists()  # another building's: untouched
    assert client.post(url, {"assignment": assignment.pk}).status_code == 302
    assert not BedAssignment.objects.filter(pk=assignment.pk).exists()


def _fill(world, dorm, rooms, start):
    """`rooms` more rooms in 1号楼, four beds each, every bed taken."""
    for i in range(rooms):
        room = DormRoom.objects.create(school=world.school, building=dorm.building, number=str(start + i))
        for label in "1234":
            bed = DormBed.objects.create(school=world.school, room=room, label=label)
            student = StudentFactory(school=world.school)
            EnrollmentFactory(student=student, school=world.school, school_class=world.class2, school_year=world.year)
            _assign(world, bed, student)


def _count(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_building_page_queries_do_not_grow_with_rooms_and_students(world, dorm, client_for, django_assert_num_queries):
    client = client_for(world.office)
    url = reverse("moral_ed:dorm_building", args=[dorm.building.pk])
    small = _count(client, url)
    _fill(world, dorm, 6, start=300)
    with django_assert_num_queries(small):
        response = client.get(url)
    assert response.content.decode().count('name="assignment"') == 2 + 24


def test_building_search_queries_do_not_grow_with_results(world, dorm, client_for, django_assert_num_queries):
    client = client_for(world.office)
    url = reverse("moral_ed:dorm_building", args=[dorm.building.pk]) + "?q=2026"
    small = _count(client, url)
    for i in range(8):
        StudentFactory(school=world.school, student_number=f"2026{900 + i}")
    with django_assert_num_queries(small):
        client.get(url)
