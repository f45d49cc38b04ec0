"""Who may read the monthly recognition list and void participation points.

Staff only; nothing of it reaches the portal except a guardian's own
events. A class's list: its head teacher, the office, school admins and
the principal (others 404); collecting it now: the head teacher and the
office (the principal: 403). Voiding an event: the office, or the head
teacher of a class where the guardian has a child now (others who reach
the event: 403; the rest 404).
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from classes.models import SchoolClass
from classes.selectors import current_term
from students.models import Enrollment

from ..models import ParticipationEvent
from .committee import headed_class_ids, heads_class, is_home_school_office, reads_whole_school, require_staff


def recognition_classes(user, school):
    """This year's classes whose list the person may read."""
    term = current_term(school)
    if term is None:
        return SchoolClass.objects.none()
    qs = SchoolClass.objects.filter(school=school, school_year_id=term.school_year_id)
    if not reads_whole_school(user, school):
        qs = qs.filter(pk__in=headed_class_ids(user, school))
    return qs.select_related("grade").order_by("grade__level", "number")


def get_class_for_recognition(user, school, pk):
    require_staff(user, school)
    return get_object_or_404(recognition_classes(user, school), pk=pk)


def can_collect(user, school, school_class) -> bool:
    """Collecting the month's deeds now writes ledger rows: the class's
    head teacher and the office, not the principal (who reads)."""
    return is_home_school_office(user, school) or heads_class(user, school, school_class.pk)


def get_class_for_collecting(user, school, pk):
    school_class = get_class_for_recognition(user, school, pk)
    if not can_collect(user, school, school_class):
        raise PermissionDenied
    return school_class


def get_event_for_voiding(user, school, pk):
    require_staff(user, school)
    event = get_object_or_404(ParticipationEvent.objects.select_related("guardian"), pk=pk, school=school)
    if is_home_school_office(user, school):
        return event
    guardian_classes = Enrollment.objects.filter(
        school=school, end_date__isnull=True, student__guardianships__guardian_id=event.guardian_id
    ).values("school_class_id")
    if headed_class_ids(user, school).filter(school_class_id__in=guardian_classes).exists():
        return event
    if reads_whole_school(user, school):
        raise PermissionDenied
    raise Http404
