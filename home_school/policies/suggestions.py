"""Who may read and answer suggestions.

Staff: a suggestion to a head teacher is read and answered by the head
teacher of that class; the office (and school admins) read every
suggestion of the school and answer those to the office; the principal
reads every one. Other staff: 404.
Portal: a guardian opens only their own named suggestions by id (404 for
anyone else's, and for every anonymous one: those open only with the
code). Students get 403.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404

from ..models import Suggestion, SuggestionRecipient
from .committee import headed_class_ids, heads_class, is_home_school_office, reads_whole_school, require_guardian, require_staff


def staff_suggestions(user, school):
    qs = Suggestion.objects.filter(school=school)
    if reads_whole_school(user, school):
        return qs
    return qs.filter(Q(recipient=SuggestionRecipient.HEAD_TEACHER) & Q(school_class_id__in=headed_class_ids(user, school)))


def can_reply_suggestion(user, school, suggestion) -> bool:
    if suggestion.school_id != school.pk:
        return False
    if suggestion.recipient == SuggestionRecipient.OFFICE:
        return is_home_school_office(user, school)
    return heads_class(user, school, suggestion.school_class_id)


def get_suggestion_for(user, school, pk):
    require_staff(user, school)
    return get_object_or_404(staff_suggestions(user, school).select_related("school_class", "writer"), pk=pk)


def get_suggestion_for_replying(user, school, pk):
    suggestion = get_suggestion_for(user, school, pk)
    if not can_reply_suggestion(user, school, suggestion):
        raise PermissionDenied
    return suggestion


def own_suggestions(user, school):
    return Suggestion.objects.filter(school=school, writer=user, is_anonymous=False)


def get_portal_suggestion_for(user, school, pk):
    require_guardian(user, school)
    return get_object_or_404(own_suggestions(user, school).select_related("school_class"), pk=pk)
