"""Writes with a rule for parent committees.

Callers check who may act with home_school.policies.committee first; no
function reads a request. Each change writes one audit row.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.services import audit_record
from notifications.services import notify
from students.models import Enrollment

from ..models import Committee, CommitteeLevel, CommitteeMeeting, CommitteeMember, CommitteeRole


def committee_set_up(*, actor, school, school_class=None) -> Committee:
    """The committee of `school_class`, or the school's committee when
    `school_class` is None; made if missing. Idempotent, also with two
    requests at once (constraints committee_one_per_class / _per_school).
    The caller checked can_set_up_class_committee or is_home_school_office."""
    level = CommitteeLevel.CLASS if school_class is not None else CommitteeLevel.SCHOOL
    lookup = {"school": school, "level": level, "school_class": school_class}
    existing = Committee.objects.filter(**lookup).first()
    if existing:
        return existing
    committee = Committee(**lookup, created_by=actor)
    committee.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            committee.save()
    except IntegrityError:
        return Committee.objects.get(**lookup)
    audit_record(actor=actor, school=school, action="home_school.committee.set_up", target=committee)
    return committee


def _overlaps(start: datetime.date, end: datetime.date | None) -> Q:
    """Rows whose [start_date, end_date] overlaps [start, end] (None: open)."""
    q = Q(end_date__isnull=True) | Q(end_date__gte=start)
    if end is not None:
        q &= Q(start_date__lte=end)
    return q


@transaction.atomic
def committee_member_add(
    *, actor, committee: Committee, guardian, role: str, start_date: datetime.date, end_date: datetime.date | None = None
) -> CommitteeMember:
    """Put a guardian on a committee for a term. Refuses a guardian of
    another school, a guardian with no child in the class (class
    committee), a term overlapping the guardian's own term on the same
    committee, and a second chair at the same time. The committee row is
    locked while checking, so two additions at once cannot both pass.
    Notifies the guardian once. The caller checked can_manage_committee."""
    Committee.objects.select_for_update().only("pk").get(pk=committee.pk)
    if guardian.school_id != committee.school_id:
        raise ValidationError(_("The guardian belongs to another school."))
    if not committee.is_school_level:
        has_child = Enrollment.objects.filter(
            school_class_id=committee.school_class_id, end_date__isnull=True, student__guardianships__guardian=guardian
        ).exists()
        if not has_child:
            raise ValidationError(_("Only a guardian of a student in this class can join the class committee."))
    if end_date is not None and end_date < start_date:
        raise ValidationError(_("The term cannot end before it starts."))
    terms = CommitteeMember.objects.filter(committee=committee).filter(_overlaps(start_date, end_date))
    if terms.filter(guardian=guardian).exists():
        raise ValidationError(_("%(name)s is already on this committee for these dates.") % {"name": guardian.name})
    if role == CommitteeRole.CHAIR and terms.filter(role=CommitteeRole.CHAIR).exists():
        raise ValidationError(_("The committee has a chair for these dates; end that term first."))
    member = CommitteeMember(
        school=committee.school,
        committee=committee,
        guardian=guardian,
        role=role,
        start_date=start_date,
        end_date=end_date,
        added_by=actor,
    )
    member.full_clean()
    member.save()
    audit_record(
        actor=actor,
        school=committee.school,
        action="home_school.committee.member_added",
        target=member,
        data={"committee": committee.pk, "role": role, "from": start_date.isoformat()},
    )
    notify(
        school=committee.school,
        recipients=[guardian.user],
        kind="home_school.committee.member_added",
        title=_("You are on the %(committee)s as %(role)s") % {"committee": committee.display_name, "role": member.get_role_display()},
        link=reverse("home_school:portal_committee_detail", args=[committee.pk]),
        dedupe_key=f"home_school.committee.member_added:member={member.pk}",
    )
    return member


@transaction.atomic
def committee_member_end(*, actor, member: CommitteeMember, end_date: datetime.date) -> CommitteeMember:
    """End a member's term on `end_date` (kept as history). An end date
    already set can be moved, not removed. The caller checked
    can_manage_committee."""
    member = CommitteeMember.objects.select_for_update().get(pk=member.pk)
    if end_date < member.start_date:
        raise ValidationError(_("The term cannot end before it starts."))
    member.end_date = end_date
    member.full_clean()
    member.save(update_fields=["end_date"])
    audit_record(
        actor=actor,
        school=member.school,
        action="home_school.committee.member_ended",
        target=member,
        data={"until": end_date.isoformat()},
    )
    return member


@transaction.atomic
def committee_meeting_save(
    *,
    actor,
    committee: Committee,
    held_on: datetime.date,
    title: str,
    place: str = "",
    minutes: str = "",
    attendee_ids=(),
    meeting: CommitteeMeeting | None = None,
) -> CommitteeMeeting:
    """Record a committee meeting (or change one): date, topic, place,
    minutes and who of the members sitting that day was present. Ids of
    other committees' members are refused. The caller checked
    can_manage_committee."""
    meeting = meeting or CommitteeMeeting(school=committee.school, committee=committee, recorded_by=actor)
    meeting.held_on = held_on
    meeting.title = (title or "").strip()
    meeting.place = (place or "").strip()
    meeting.minutes = minutes or ""
    meeting.updated_at = timezone.now()
    meeting.full_clean()
    attendee_ids = set(attendee_ids)
    attendees = list(
        CommitteeMember.objects.filter(committee=committee, pk__in=attendee_ids).filter(
            Q(start_date__lte=held_on) & (Q(end_date__isnull=True) | Q(end_date__gte=held_on))
        )
    )
    if len(attendees) != len(attendee_ids):
        raise ValidationError(_("Mark only members who sat on the committee on that day."))
    created = meeting._state.adding
    meeting.save()
    meeting.attendees.set(attendees)
    audit_record(
        actor=actor,
        school=committee.school,
        action="home_school.committee.meeting_recorded" if created else "home_school.committee.meeting_changed",
        target=meeting,
        data={"present": len(attendees)},
    )
    return meeting

