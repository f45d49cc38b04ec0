"""The admin of class inspections: items are editable rules, entries a
read-only ledger voided by an action with a reason, vetoes recorded and
withdrawn through the services (audit row, message to the head teacher)."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from accounts.models import AuditEvent
from moral_ed.models import ClassVeto
from moral_ed.services import inspections as services
from notifications.models import Notification

from .inspections_support import TODAY, YESTERDAY, duty_fixture, insp_items_fixture, record, school_day_fixture  # noqa: F401

pytestmark = pytest.mark.usefixtures("school_day", "insp_items", "duty")


@pytest.mark.parametrize("model", ["inspectionitem", "classevent", "classveto"])
def test_changelists_open_and_show_only_own_school(world, client_for, model):
    record(world, world.duty, "仪表仪容", note="A校的记录")
    record(world, world.b.duty, "仪表仪容", school_class=world.b.class1, note="B校的记录")
    response = client_for(world.school_admin).get(reverse(f"admin:moral_ed_{model}_changelist"))
    assert response.status_code == 200
    if model == "classevent":
        page = response.content.decode()
        assert "A校的记录" in page and "B校的记录" not in page


def test_entries_cannot_be_added_changed_or_deleted(world, client_for):
    event = record(world, world.duty, "仪表仪容")
    client = client_for(world.school_admin)
    assert client.get(reverse("admin:moral_ed_classevent_add")).status_code == 403
    assert client.get(reverse("admin:moral_ed_classevent_delete", args=[event.pk])).status_code == 403
    page = client.get(reverse("admin:moral_ed_classevent_change", args=[event.pk])).content.decode()
    assert 'name="_save"' not in page
    assert client.get(reverse("admin:moral_ed_inspectionitem_delete", args=[event.item_id])).status_code == 403


def test_void_action_asks_for_a_reason_then_voids(world, client_for):
    event = record(world, world.duty, "仪表仪容")
    b_event = record(world, world.b.duty, "仪表仪容", school_class=world.b.class1)
    client = client_for(world.school_admin)
    url = reverse("admin:moral_ed_classevent_changelist")
    data = {"action": "void_entries", ACTION_CHECKBOX_NAME: [event.pk, b_event.pk]}
    page = client.post(url, data)
    assert page.status_code == 200 and 'name="reason"' in page.content.decode()
    event.refresh_from_db()
    assert not event.is_voided
    response = client.post(url, {**data, "confirm": "yes", "reason": "重复录入"})
    assert response.status_code == 302
    event.refresh_from_db()
    b_event.refresh_from_db()
    assert event.is_voided and event.void_reason == "重复录入" and event.voided_by == world.school_admin
    assert not b_event.is_voided  # another school's row is out of the admin's reach
    assert AuditEvent.objects.filter(action="moral_ed.inspection.voided").count() == 1


def test_a_veto_added_in_the_admin_goes_through_the_service(world, client_for):
    client = client_for(world.school_admin)
    response = client.post(
        reverse("admin:moral_ed_classveto_add"),
        {"school_class": world.class1.pk, "occurred_on": YESTERDAY.isoformat(), "reason": "损坏公物"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    veto = ClassVeto.objects.get()
    assert veto.school == world.school and veto.term == world.term and veto.recorded_by == world.school_admin
    assert AuditEvent.objects.filter(action="moral_ed.veto.recorded", target_id=str(veto.pk)).exists()
    assert Notification.objects.filter(recipient=world.head_teacher, kind="moral_ed.veto_recorded").count() == 1


def test_a_veto_in_the_future_or_of_another_school_is_refused_in_the_admin(world, client_for):
    client = client_for(world.school_admin)
    url = reverse("admin:moral_ed_classveto_add")
    future = client.post(url, {"school_class": world.class1.pk, "occurred_on": "2026-11-21", "reason": "打架"})
    other = client.post(url, {"school_class": world.b.class1.pk, "occurred_on": TODAY.isoformat(), "reason": "打架"})
    assert future.status_code == 200 and other.status_code == 200
    assert not ClassVeto.objects.exists()


def test_withdraw_vetoes_action(world, client_for):
    veto = services.veto_record(school=world.school, school_class=world.class1, occurred_on=YESTERDAY, reason="打架",
                                recorded_by=world.office)
    client = client_for(world.school_admin)
    assert client.get(reverse("admin:moral_ed_classveto_delete", args=[veto.pk])).status_code == 403
    response = client.post(
        reverse("admin:moral_ed_classveto_changelist"),
        {"action": "void_vetoes", ACTION_CHECKBOX_NAME: [veto.pk], "confirm": "yes", "reason": "复核后撤销"},
    )
    assert response.status_code == 302
    veto.refresh_from_db()
    assert veto.is_voided and veto.void_reason == "复核后撤销"
