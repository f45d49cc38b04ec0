"""Reads of volunteer activities, scoped to the person asking. Counts
come from the database (annotations), so lists make the same number of
queries whatever the number of rows."""

import datetime

from django.db.models import Count, Exists, OuterRef, Prefetch, Q

from students.models import Guardianship

from ..models import VolunteerSignup
from ..policies.volunteering import portal_activities, staff_activities


def activity_list_for(user, school):
    """Activities the staff member reads, newest date first, each with
    `taken` (sign-ups) and `done` (confirmed). One query."""
    return (
        staff_activities(user, school)
        .select_related("school_class", "organiser")
        .annotate(taken=Count("signups"), done=Count("signups", filter=Q(signups__done_at__isnull=False)))
        .order_by("-date", "-pk")
    )


def activity_signups(activity):
    """An activity's sign-ups with the guardian and the guardian's
    children (`guardian.links`), in sign-up order. Two queries."""
    links = Guardianship.objects.select_related("student").order_by("student__student_number")
    return (
        VolunteerSignup.objects.filter(activity=activity)
        .select_related("guardian", "done_by")
        .prefetch_related(Prefetch("guardian__guardianships", queryset=links, to_attr="links"))
        .order_by("created_at", "pk")
    )


def portal_activity_list(user, school, guardian, *, today: datetime.date):
    """For a guardian: activities from today on, and earlier ones they
    signed up for; each with `taken` and `mine` (signed up) — never who
    else signed up. One query."""
    mine = VolunteerSignup.objects.filter(activity=OuterRef("pk"), guardian=guardian)
    return (
        portal_activities(user, school)
        .select_related("school_class")
        .annotate(taken=Count("signups"), mine=Exists(mine))
        .filter(Q(date__gte=today) | Q(mine=True))
        .order_by("date", "pk")
    )


def own_signup(activity, guardian):
    if guardian is None:
        return None
    return VolunteerSignup.objects.filter(activity=activity, guardian=guardian).first()


def taken_count(activity) -> int:
    return VolunteerSignup.objects.filter(activity=activity).count()
