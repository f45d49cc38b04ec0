"""Reads of parent committees, scoped to the person asking, and the
guardian lookups the committee, volunteering, participation and
suggestion parts share."""

import datetime

from django.db.models import Case, Count, IntegerField, Prefetch, Q, Value, When

from classes.models import SchoolClass
from classes.selectors import current_term
from students.models import Guardian, Guardianship

from ..models import Committee, CommitteeMeeting, CommitteeMember
from ..models.committee import ROLE_ORDER
from ..policies.committee import guardian_class_ids, headed_class_ids

_ROLE_RANK = Case(*[When(role=r, then=Value(i)) for i, r in enumerate(ROLE_ORDER)], output_field=IntegerField())


def guardian_of(user, school) -> Guardian | None:
    """The Guardian row of `user` in `school` (one per school: constraint
    guardian_unique_user), remembered on the user for the request."""
    if school is None or not getattr(user, "is_authenticated", False):
        return None
    cache = user.__dict__.setdefault("_banwu_guardian", {})
    if school.pk not in cache:
        cache[school.pk] = Guardian.objects.filter(school=school, user=user).first()
    return cache[school.pk]


def _current(day):
    return Q(start_date__lte=day) & (Q(end_date__isnull=True) | Q(end_date__gte=day))


def current_members(day: datetime.date):
    """Members sitting on `day`, chair first; for prefetching."""
    return CommitteeMember.objects.filter(_current(day)).select_related("guardian").order_by(_ROLE_RANK, "start_date", "pk")


def committee_list_for(user, school, *, today: datetime.date):
    """Committees the staff member reads, the school's first, each with
    `member_count` (sitting today). One query."""
    from ..policies.committee import staff_committees

    return (
        staff_committees(user, school)
        .select_related("school_class", "school_class__grade")
        .annotate(
            member_count=Count(
                "members",
                filter=Q(members__start_date__lte=today) & (Q(members__end_date__isnull=True) | Q(members__end_date__gte=today)),
            )
        )
        .order_by("-level", "school_class__grade__level", "school_class__number")
    )


def classes_without_committee(user, school):
    """This year's classes in the person's reach that have no committee
    yet (they can set one up). For the office: every class; for a head
    teacher: their classes."""
    from ..policies.committee import is_home_school_office

    term = current_term(school)
    if term is None:
        return SchoolClass.objects.none()
    qs = SchoolClass.objects.filter(school=school, school_year_id=term.school_year_id).exclude(
        pk__in=Committee.objects.filter(school=school, level="class").values("school_class_id")
    )
    if not is_home_school_office(user, school):
        qs = qs.filter(pk__in=headed_class_ids(user, school))
    return qs.select_related("grade").order_by("grade__level", "number")


def committee_members(committee, *, today: datetime.date):
    """(sitting, past) members of a committee, each with its guardian;
    one query."""
    rows = list(committee.members.select_related("guardian").order_by(_ROLE_RANK, "start_date", "pk"))
    sitting = [m for m in rows if m.is_current_on(today)]
    past = [m for m in rows if not m.is_current_on(today)]
    return sitting, past


def committee_meetings(committee):
    return (
        CommitteeMeeting.objects.filter(committee=committee)
        .annotate(attendee_count=Count("attendees"))
        .order_by("-held_on", "-pk")
    )


def meeting_attendees(meeting):
    return meeting.attendees.select_related("guardian").order_by(_ROLE_RANK, "pk")


def member_candidates(committee):
    """Guardians who may join a class committee: the guardians of the
    class's current students, each once, with `children` (their children's
    names in the class). Two queries."""
    if committee.is_school_level:
        return []
    links = list(
        Guardianship.objects.filter(
            student__enrollments__school_class_id=committee.school_class_id,
            student__enrollments__end_date__isnull=True,
            guardian__school_id=committee.school_id,
        )
        .select_related("guardian", "student")
        .order_by("student__student_number", "-is_primary", "pk")
    )
    by_guardian = {}
    for link in links:
        g = by_guardian.setdefault(link.guardian_id, link.guardian)
        g.__dict__.setdefault("children", []).append(link.student.name)
    return list(by_guardian.values())


def portal_committees_for(user, school):
    """The committees a guardian sees: their children's classes' and the
    school's. Members are not included (see portal_committee_members)."""
    if school is None:
        return Committee.objects.none()
    return (
        Committee.objects.filter(school=school)
        .filter(Q(level="school") | Q(level="class", school_class_id__in=guardian_class_ids(user, school)))
        .select_related("school_class", "school_class__grade")
        .order_by("-level", "school_class__grade__level", "school_class__number")
    )


def portal_committee_list(user, school, *, today: datetime.date):
    """The guardian's committees, each with `sitting` (members today: the
    guardian's name and role, nothing else). Two queries."""
    members = current_members(today).only("pk", "committee_id", "role", "start_date", "guardian__id", "guardian__name")
    return portal_committees_for(user, school).prefetch_related(Prefetch("members", queryset=members, to_attr="sitting"))
