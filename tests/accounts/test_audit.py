import pytest
from django.db import connection, transaction
from django.db.utils import InternalError

from accounts.models import AuditEvent
from accounts.services import audit_record


def test_audit_event_refuses_delete(world):
    event = audit_record(actor=world.office, school=world.school, action="tests.thing.done", target=world.child)
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_audit_event_refuses_update(world):
    event = audit_record(actor=world.office, school=world.school, action="tests.thing.done")
    event.action = "tests.thing.rewritten"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(action="x")
    assert AuditEvent.objects.get(pk=event.pk).action == "tests.thing.done"


def test_audit_event_records_target(world):
    event = audit_record(actor=world.office, school=world.school, action="students.student.viewed", target=world.child)
    assert event.target_type == "students.Student"
    assert event.target_id == str(world.child.pk)
    assert event.target_repr == "陈小雨"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the database trigger exists on PostgreSQL only")
def test_database_refuses_raw_delete_and_update(world):
    event = audit_record(actor=world.office, school=world.school, action="tests.thing.done")
    for sql in ("DELETE FROM accounts_auditevent WHERE id = %s", "UPDATE accounts_auditevent SET action = 'x' WHERE id = %s"):
        with pytest.raises(InternalError, match="append-only"):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql, [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).action == "tests.thing.done"


def test_changing_a_role_in_the_admin_revokes_and_grants_with_an_audit_row_each(world, client):
    from django.urls import reverse

    from accounts.models import Membership, Role

    membership = Membership.objects.get(user=world.head_teacher, school=world.school, role=Role.HEAD_TEACHER)
    client.force_login(world.school_admin)
    url = reverse("admin:accounts_membership_change", args=[membership.pk])
    body = {"user": world.head_teacher.pk, "school": world.school.pk, "role": Role.HEAD_TEACHER}
    before = AuditEvent.objects.count()

    assert client.post(url, body).status_code == 302  # unchanged: nothing written
    assert AuditEvent.objects.count() == before
    assert client.post(url, {**body, "role": Role.COUNSELLOR}).status_code == 302

    roles = set(Membership.objects.filter(user=world.head_teacher, school=world.school).values_list("role", flat=True))
    assert Role.COUNSELLOR in roles and Role.HEAD_TEACHER not in roles
    written = list(AuditEvent.objects.order_by("pk").values_list("action", "data")[before:])
    assert written == [("accounts.role.revoked", {"role": Role.HEAD_TEACHER}),
                       ("accounts.role.granted", {"role": Role.COUNSELLOR})]


def test_granting_many_roles_at_once_writes_what_granting_one_by_one_writes(world):
    from accounts.models import Membership, Role
    from accounts.services import membership_grant, memberships_grant
    from tests import factories as f

    one, two = f.UserFactory(username="p1", full_name="甲家长"), f.UserFactory(username="p2", full_name="乙家长")
    membership_grant(user=one, school=world.school, role=Role.GUARDIAN, actor=world.school_admin)
    by_one = AuditEvent.objects.values("action", "target_type", "target_id", "target_repr", "data", "actor").latest("pk")

    granted = memberships_grant(user_ids=[one.pk, two.pk, two.pk], school=world.school, role=Role.GUARDIAN,
                                actor=world.school_admin, chunk=1)

    assert granted == 1  # `one` held the role already; `two` named twice is granted once
    assert Membership.objects.filter(user__in=[one, two], school=world.school, role=Role.GUARDIAN).count() == 2
    by_many = AuditEvent.objects.values("action", "target_type", "target_id", "target_repr", "data", "actor").latest("pk")
    assert by_many == {**by_one, "target_id": str(two.pk), "target_repr": str(two)}
    with pytest.raises(ValueError):
        memberships_grant(user_ids=[two.pk], school=world.school, role=Role.SCHOOL_ADMIN)
