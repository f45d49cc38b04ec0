"""The dorm admin: rules are rows an administrator edits; ledgers are
read-only, voided with a reason through an action; cases move only through
actions that call the services."""

import pytest
import time_machine
from django.urls import reverse

from moral_ed.models import BedAssignment, CaseStatus, DormBed, DormCase, DormEvent, DormRoom, EscalationStep
from moral_ed.services import dorms as services
from tests.factories import UserFactory

from . import test_dorm_support as support
from .test_dorm_support import FRIDAY, TODAY

# The shared dorm fixtures.
deduct = support.deduct
dorm = support.dorm


@pytest.fixture(autouse=True)
def school_day():
    with time_machine.travel(FRIDAY, tick=False):
        yield


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


@pytest.mark.parametrize(
    "model",
    ["dormbuilding", "dormroom", "bedassignment", "dormsettings", "escalationstep", "dormitem", "dormevent", "dormcase", "dormlevelchange"],
)
def test_admin_lists_open_for_the_school_admin(world, dorm, client_for, model):
    response = client_for(world.school_admin).get(reverse(f"admin:moral_ed_{model}_changelist"))
    assert response.status_code == 200


def test_school_admin_sees_only_their_schools_buildings(world, dorm, client_for):
    page = client_for(world.school_admin).get(reverse("admin:moral_ed_dormbuilding_changelist")).content.decode()
    assert "1号楼" in page and "B栋" not in page


def test_an_administrator_edits_a_threshold(world, dorm, client_for):
    step = EscalationStep.objects.get(school=world.school, level=2)
    url = reverse("admin:moral_ed_escalationstep_change", args=[step.pk])
    response = client_for(world.school_admin).post(
        url, {"school": world.school.pk, "level": 2, "name": "停宿一周", "threshold": "8", "confirmer": "office"}
    )
    assert response.status_code == 302
    step.refresh_from_db()
    assert str(step.threshold) == "8.0"


def test_a_room_with_its_beds_is_added_in_one_form(world, dorm, client_for):
    url = reverse("admin:moral_ed_dormroom_add")
    data = {
        "building": dorm.building.pk,
        "number": "103",
        "is_active": "on",
        "beds-TOTAL_FORMS": "2",
        "beds-INITIAL_FORMS": "0",
        "beds-MIN_NUM_FORMS": "0",
        "beds-MAX_NUM_FORMS": "1000",
        "beds-0-label": "1",
        "beds-1-label": "2",
    }
    assert client_for(world.school_admin).post(url, data).status_code == 302
    room = DormRoom.objects.get(building=dorm.building, number="103")
    assert room.school == world.school
    assert list(DormBed.objects.filter(room=room).values_list("label", "school")) == [("1", world.school.pk), ("2", world.school.pk)]


def test_ledgers_cannot_be_changed_or_deleted(world, dorm, deduct, client_for):
    event = deduct(world.child, 1, TODAY)
    client = client_for(world.school_admin)
    assert client.post(reverse("admin:moral_ed_dormevent_delete", args=[event.pk]), {"post": "yes"}).status_code == 403
    assert DormEvent.objects.filter(pk=event.pk).exists()
    response = client.get(reverse("admin:moral_ed_dormevent_change", args=[event.pk]))
    assert response.status_code == 200 and 'name="points"' not in response.content.decode()


def test_the_void_action_asks_for_a_reason(world, dorm, deduct, client_for):
    event = deduct(world.child, 1, TODAY)
    client = client_for(world.school_admin)
    url = reverse("admin:moral_ed_dormevent_changelist")
    response = client.post(url, {"action": "void_entries", "_selected_action": [event.pk]})
    assert response.status_code == 200 and 'name="reason"' in response.content.decode()
    event.refresh_from_db()
    assert not event.is_voided
    client.post(url, {"action": "void_entries", "_selected_action": [event.pk], "apply": "1", "reason": "重复录入"})
    event.refresh_from_db()
    assert (event.is_voided, event.void_reason, event.voided_by) == (True, "重复录入", world.school_admin)


def test_case_actions_call_the_services_for_the_office_only(world, dorm, deduct, client_for, superuser):
    deduct(world.child, 5, TODAY)
    services.ladder_check(school=world.school, today=TODAY)
    case = DormCase.objects.get(student=world.child)
    url = reverse("admin:moral_ed_dormcase_changelist")
    # A school administrator who is not the office decides nothing.
    client_for(world.school_admin).post(url, {"action": "confirm_cases", "_selected_action": [case.pk]})
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN
    client_for(superuser).post(url, {"action": "dismiss_cases", "_selected_action": [case.pk], "apply": "1", "reason": "误记"})
    case.refresh_from_db()
    assert (case.status, case.decision_note, case.decided_by) == (CaseStatus.DISMISSED, "误记", superuser)


def test_release_action_frees_beds(world, dorm, client_for):
    assignment = BedAssignment.objects.get(student=world.child)
    client_for(world.school_admin).post(
        reverse("admin:moral_ed_bedassignment_changelist"), {"action": "release_beds", "_selected_action": [assignment.pk]}
    )
    assert not BedAssignment.objects.filter(pk=assignment.pk).exists()
