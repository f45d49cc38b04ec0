"""Writes with a rule for people, roles and the audit log."""

from django.db import transaction

from .models import AuditEvent, Membership, Role, User


def audit_record(*, actor, school, action: str, target=None, data: dict | None = None) -> AuditEvent:
    """Append one audit row. `action` is a dotted constant (e.g.
    `students.roster.imported`). Callers are services; never idempotent:
    every call is one event."""
    target_type = target_id = target_repr = ""
    if target is not None:
        target_type = target._meta.label
        target_id = str(target.pk)
        target_repr = str(target)[:200]
    event = AuditEvent(
        actor=actor if getattr(actor, "pk", None) else None,
        school=school,
        action=action,
        target_type=target_type,
        target_id=target_id,
        target_repr=target_repr,
        data=data or {},
    )
    event.full_clean()
    event.save()
    return event


ROLE_GRANTED = "accounts.role.granted"
ROLE_REVOKED = "accounts.role.revoked"


@transaction.atomic
def membership_grant(*, user, school, role: str, actor=None) -> Membership:
    """Give `user` `role` in `school`. Idempotent (unique user, school, role)."""
    membership, created = Membership.objects.get_or_create(user=user, school=school, role=role)
    if role == Role.SCHOOL_ADMIN and not user.is_staff:
        # School administrators work in the Django admin.
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    if created:
        audit_record(actor=actor, school=school, action=ROLE_GRANTED, target=user, data={"role": role})
    return membership


@transaction.atomic
def memberships_grant(*, user_ids, school, role: str, actor=None, chunk: int = 500) -> int:
    """membership_grant for many people at once (a roster import's
    thousands of guardians): the missing memberships in one INSERT per
    `chunk` and one audit row each, as membership_grant writes them.
    Not for the school administrator role (its staff flag is set one by
    one). Returns how many were granted."""
    if role == Role.SCHOOL_ADMIN:
        raise ValueError("School administrators are appointed one at a time (membership_grant).")
    wanted = list(dict.fromkeys(user_ids))
    have = set()
    for start in range(0, len(wanted), chunk):
        have.update(
            Membership.objects.filter(user_id__in=wanted[start : start + chunk], school=school, role=role)
            .values_list("user_id", flat=True)
        )
    missing = [pk for pk in wanted if pk not in have]
    if not missing:
        return 0
    Membership.objects.bulk_create([Membership(user_id=pk, school=school, role=role) for pk in missing], batch_size=chunk)
    people = {}
    for start in range(0, len(missing), chunk):
        people.update(
            (u.pk, u) for u in User.objects.filter(pk__in=missing[start : start + chunk]).only("pk", "username", "full_name")
        )
    actor = actor if getattr(actor, "pk", None) else None
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(actor=actor, school=school, action=ROLE_GRANTED, target_type=User._meta.label,
                       target_id=str(pk), target_repr=str(people[pk])[:200], data={"role": role})
            for pk in missing
        ],
        batch_size=chunk,
    )
    return len(missing)


@transaction.atomic
def membership_change(*, membership: Membership, user, school, role: str, actor=None) -> Membership:
    """Make an existing membership `user`'s `role` in `school`: the old role
    revoked and the new one granted, each with its audit row and staff
    flag, or nothing when nothing changes. Returns the membership that
    holds the new role (another row when that role was held already)."""
    old = Membership.objects.select_for_update().select_related("user", "school").get(pk=membership.pk)
    if (old.user_id, old.school_id, old.role) == (user.pk, school.pk, role):
        return old
    membership_revoke(user=old.user, school=old.school, role=old.role, actor=actor)
    return membership_grant(user=user, school=school, role=role, actor=actor)


@transaction.atomic
def membership_revoke(*, user, school, role: str, actor=None) -> bool:
    deleted, _ = Membership.objects.filter(user=user, school=school, role=role).delete()
    if (
        role == Role.SCHOOL_ADMIN
        and user.is_staff
        and not user.is_superuser
        and not Membership.objects.filter(user=user, role=Role.SCHOOL_ADMIN).exists()
    ):
        user.is_staff = False
        user.save(update_fields=["is_staff"])
    if deleted:
        audit_record(actor=actor, school=school, action=ROLE_REVOKED, target=user, data={"role": role})
    return bool(deleted)


@transaction.atomic
def password_change(*, user, form):
    """Save a validated password-change form and clear the one-time flag."""
    user = form.save()
    if user.must_change_password:
        user.must_change_password = False
        user.save(update_fields=["must_change_password"])
    audit_record(actor=user, school=None, action="accounts.password.changed", target=user)
    return user


def sessions_clear_expired(*, keep_access_days: int = 90) -> dict:
    """Delete expired sessions and login-attempt records older than
    `keep_access_days`. Idempotent: a second run finds nothing to delete."""
    import datetime

    from axes.models import AccessAttempt, AccessLog
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    now = timezone.now()
    cutoff = now - datetime.timedelta(days=keep_access_days)
    sessions, _ = Session.objects.filter(expire_date__lt=now).delete()
    attempts, _ = AccessAttempt.objects.filter(attempt_time__lt=cutoff).delete()
    logs, _ = AccessLog.objects.filter(attempt_time__lt=cutoff).delete()
    return {"sessions": sessions, "attempts": attempts, "logs": logs}
