"""Who may see and run volunteer activities.

Staff: a class's activity is run by the class's head teacher and by the
office; the principal reads it; other staff get 404. A school-wide
activity is run by the office and read by every staff member.
Portal: a guardian sees the class activities of their children's current
classes and the school-wide ones (404 for any other); only their own
sign-up, never other families' names. Students get 403.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404

from ..models import VolunteerActivity
from .committee import (
    guardian_class_ids,
    headed_class_ids,
    heads_class,
    is_home_school_office,
    reads_whole_school,
    require_guardian,
    require_staff,
)


def staff_activities(user, school):
    qs = VolunteerActivity.objects.filter(school=school)
    if reads_whole_school(user, school):
        return qs
    return qs.filter(Q(school_class__isnull=True) | Q(school_class_id__in=headed_class_ids(user, school)))


def can_manage_activity(user, school, activity) -> bool:
    if activity.school_id != school.pk:
        return False
    if is_home_school_office(user, school):
        return True
    return activity.school_class_id is not None and heads_class(user, school, activity.school_class_id)


def can_create_activity(user, school) -> bool:
    return is_home_school_office(user, school) or headed_class_ids(user, school).exists()


def get_activity_for(user, school, pk):
    require_staff(user, school)
    return get_object_or_404(staff_activities(user, school).select_related("school_class", "organiser"), pk=pk)


def get_activity_for_managing(user, school, pk):
    activity = get_activity_for(user, school, pk)
    if not can_manage_activity(user, school, activity):
        raise PermissionDenied
    return activity


def portal_activities(user, school):
    """Activities a guardian may see (not yet annotated)."""
    return VolunteerActivity.objects.filter(school=school).filter(
        Q(school_class__isnull=True) | Q(school_class_id__in=guardian_class_ids(user, school))
    )


def get_portal_activity_for(user, school, pk):
    require_guardian(user, school)
    return get_object_or_404(portal_activities(user, school).select_related("school_class"), pk=pk)
