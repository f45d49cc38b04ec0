"""Notices in the Django admin: read-only, school-scoped, one action."""

import pytest
import time_machine
from django.urls import reverse

from home_school.models.notices import Notice

from .notices_support import NOV20, at, make_notice

pytestmark = pytest.mark.usefixtures("world")


@time_machine.travel(NOV20, tick=False)
@pytest.mark.parametrize("model", ["notice", "noticereceipt"])
def test_school_admin_sees_only_own_schools_notices(world, client_for, model):
    make_notice(world, title="一班的通知")
    make_notice(world, world.b.head_teacher, classes=[world.b.class1], school=world.b.school, title="B校的通知")
    response = client_for(world.school_admin).get(reverse(f"admin:home_school_{model}_changelist"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "一班的通知" in page and "B校的通知" not in page


@time_machine.travel(NOV20, tick=False)
def test_notices_are_not_added_or_edited_in_the_admin(world, client_for):
    notice = make_notice(world)
    client = client_for(world.school_admin)
    assert client.get(reverse("admin:home_school_notice_add")).status_code == 403
    response = client.post(reverse("admin:home_school_notice_change", args=[notice.pk]), {"title": "改过的"})
    assert response.status_code == 403
    notice.refresh_from_db()
    assert notice.title != "改过的"


@time_machine.travel(NOV20, tick=False)
def test_admin_action_cancels_only_unsent_notices_of_own_school(world, client_for):
    sent = make_notice(world, title="已发送")
    scheduled = make_notice(world, send_now=False, scheduled_for=at("2026-11-21 08:00"))
    b_scheduled = make_notice(
        world,
        world.b.head_teacher,
        classes=[world.b.class1],
        school=world.b.school,
        send_now=False,
        scheduled_for=at("2026-11-21 08:00"),
    )
    client = client_for(world.school_admin)
    client.post(
        reverse("admin:home_school_notice_changelist"),
        {"action": "cancel_unsent", "_selected_action": [sent.pk, scheduled.pk, b_scheduled.pk]},
    )
    statuses = {n.pk: n.status for n in Notice.objects.all()}
    assert statuses == {sent.pk: "sent", scheduled.pk: "cancelled", b_scheduled.pk: "scheduled"}
