"""Reads of the suggestion box, scoped to the person asking."""

from django.db.models import Count, Max, Prefetch

from ..models import SuggestionReply
from ..policies.suggestions import own_suggestions, staff_suggestions


def inbox_for(user, school, *, waiting_only: bool = False):
    """Suggestions the staff member reads, newest date first, each with
    `reply_count` and `last_reply_at`. One query."""
    qs = (
        staff_suggestions(user, school)
        .select_related("school_class", "writer")
        .annotate(reply_count=Count("replies"), last_reply_at=Max("replies__created_at"))
        .order_by("-written_on", "id")
    )
    if waiting_only:
        qs = qs.filter(reply_count=0)
    return qs


def portal_list_for(user, school):
    """A guardian's own named suggestions with their replies. Two queries."""
    replies = SuggestionReply.objects.order_by("created_at", "pk")
    return (
        own_suggestions(user, school)
        .select_related("school_class")
        .prefetch_related(Prefetch("replies", queryset=replies, to_attr="reply_list"))
        .order_by("-written_on", "id")
    )


def thread(suggestion):
    """The replies to a suggestion, oldest first, with their authors."""
    return list(suggestion.replies.select_related("author").order_by("created_at", "pk"))
