"""Writes with a rule for volunteer activities and sign-ups.

Callers check who may act with home_school.policies.volunteering; no
function reads a request.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role
from accounts.services import audit_record
from notifications.services import notify
from students.models import Guardian

from ..models import VolunteerActivity, VolunteerSignup


def _audience(activity):
    """The login accounts of the guardians an activity is for."""
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.filter(memberships__school=activity.school, memberships__role=Role.GUARDIAN)
    guardians = Guardian.objects.filter(school=activity.school)
    if activity.school_class_id:
        guardians = guardians.filter(
            guardianships__student__enrollments__school_class_id=activity.school_class_id,
            guardianships__student__enrollments__end_date__isnull=True,
        )
    return users.filter(pk__in=guardians.values("user_id")).distinct()


@transaction.atomic
def volunteer_activity_create(
    *,
    actor,
    school,
    school_class,
    title: str,
    date: datetime.date,
    slots: int,
    description: str = "",
    time_text: str = "",
    place: str = "",
    today: datetime.date | None = None,
) -> VolunteerActivity:
    """Post an activity and tell its guardians (one notification each,
    once). The date may not be in the past. The caller checked that the
    person runs `school_class` (or is the office, for a school-wide one)."""
    today = today or timezone.localdate()
    if date < today:
        raise ValidationError(_("The activity cannot be in the past."))
    activity = VolunteerActivity(
        school=school,
        school_class=school_class,
        title=(title or "").strip(),
        description=(description or "").strip(),
        date=date,
        time_text=(time_text or "").strip(),
        place=(place or "").strip(),
        slots=slots,
        organiser=actor,
    )
    activity.full_clean()
    activity.save()
    audit_record(actor=actor, school=school, action="home_school.volunteering.created", target=activity, data={"slots": slots})
    transaction.on_commit(lambda: _announce(activity))
    return activity


def _announce(activity):
    notify(
        school=activity.school,
        recipients=list(_audience(activity)),
        kind="home_school.volunteering.posted",
        title=_("Volunteers wanted: %(title)s (%(date)s)") % {"title": activity.title, "date": activity.date.isoformat()},
        link=reverse("home_school:portal_volunteer_detail", args=[activity.pk]),
        dedupe_key=f"home_school.volunteering.posted:activity={activity.pk}",
    )


@transaction.atomic
def volunteer_activity_cancel(*, actor, activity: VolunteerActivity) -> bool:
    """Cancel an activity once; the guardians who signed up are told.
    A second call changes nothing and returns False. The caller checked
    can_manage_activity."""
    changed = VolunteerActivity.objects.filter(pk=activity.pk, cancelled_at__isnull=True).update(cancelled_at=timezone.now())
    if not changed:
        return False
    audit_record(actor=actor, school=activity.school, action="home_school.volunteering.cancelled", target=activity)
    users = [s.guardian.user for s in activity.signups.select_related("guardian__user")]
    notify(
        school=activity.school,
        recipients=users,
        kind="home_school.volunteering.cancelled",
        title=_("Cancelled: %(title)s (%(date)s)") % {"title": activity.title, "date": activity.date.isoformat()},
        link=reverse("home_school:portal_volunteer_detail", args=[activity.pk]),
        dedupe_key=f"home_school.volunteering.cancelled:activity={activity.pk}",
    )
    return True


@transaction.atomic
def volunteer_sign_up(*, guardian, activity: VolunteerActivity, today: datetime.date | None = None) -> VolunteerSignup:
    """Sign a guardian up, once. Never more sign-ups than slots, also when
    several guardians take the last slot at the same moment: the
    activity's row is locked (SELECT … FOR UPDATE) while the sign-ups are
    counted and the new one written, so the second waits and then sees
    the first. The caller checked get_portal_activity_for."""
    today = today or timezone.localdate()
    locked = VolunteerActivity.objects.select_for_update().get(pk=activity.pk)
    if locked.is_cancelled:
        raise ValidationError(_("This activity is cancelled."))
    if locked.date < today:
        raise ValidationError(_("This activity is over."))
    if VolunteerSignup.objects.filter(activity=locked, guardian=guardian).exists():
        raise ValidationError(_("You are already signed up."))
    if VolunteerSignup.objects.filter(activity=locked).count() >= locked.slots:
        raise ValidationError(_("Sorry, all places are taken."))
    signup = VolunteerSignup(school=locked.school, activity=locked, guardian=guardian)
    signup.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            signup.save()
    except IntegrityError:
        # The same guardian in two tabs: the unique constraint holds.
        raise ValidationError(_("You are already signed up.")) from None
    return signup


@transaction.atomic
def volunteer_withdraw(*, guardian, activity: VolunteerActivity, today: datetime.date | None = None) -> bool:
    """Take a guardian's sign-up back, up to the day of the activity and
    only while the organiser has not confirmed it. Returns False when
    there was nothing to take back."""
    today = today or timezone.localdate()
    locked = VolunteerActivity.objects.select_for_update().get(pk=activity.pk)
    if locked.date < today:
        raise ValidationError(_("This activity is over."))
    signup = VolunteerSignup.objects.filter(activity=locked, guardian=guardian).first()
    if signup is None:
        return False
    if signup.is_done:
        raise ValidationError(_("The organiser has already confirmed your help."))
    signup.delete()
    return True


@transaction.atomic
def volunteer_mark_done(*, actor, activity: VolunteerActivity, signup_ids, today: datetime.date | None = None) -> int:
    """Confirm who actually volunteered, from the day of the activity on.
    Only this activity's sign-ups not yet confirmed are touched (a
    conditional UPDATE), so repeating it changes nothing. A confirmation
    is not taken back here: the participation ledger reads it; a mistake
    is corrected by voiding the ledger event. The caller checked
    can_manage_activity."""
    today = today or timezone.localdate()
    if activity.date > today:
        raise ValidationError(_("Confirm volunteers on or after the day of the activity."))
    if activity.is_cancelled:
        raise ValidationError(_("This activity is cancelled."))
    count = VolunteerSignup.objects.filter(activity=activity, pk__in=list(signup_ids), done_at__isnull=True).update(
        done_at=timezone.now(), done_by=actor
    )
    if count:
        audit_record(actor=actor, school=activity.school, action="home_school.volunteering.done", target=activity, data={"count": count})
    return count
