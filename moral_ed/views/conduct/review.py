"""The head teacher's review queue: negative entries still staged,
released, merged into one note or voided before guardians see them."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from core.feedback import attempt, form_refused
from core.idempotency import exactly_once

from ...forms.conduct import ReviewActionForm
from ...policies.conduct import get_class_for_managing
from ...selectors import conduct as selectors
from ...services import conduct as services


def review_queue(request, pk):
    """The head teacher's review queue: negative entries still waiting,
    grouped by student, each with the time it reaches guardians if nobody
    acts. Two queries after the policy whatever the number of entries."""
    school_class = get_class_for_managing(request.user, request.school, pk)
    return render(
        request,
        "moral_ed/conduct/review_queue.html",
        {"school_class": school_class, "students": selectors.review_queue_by_student(school_class)},
    )


@require_POST
@exactly_once
def review_action(request, pk):
    """Release, merge or void some of one student's waiting entries. Only
    the class's entries still waiting are touched: ids of another class's
    entries, or of entries released or voided meanwhile, are ignored."""
    school_class = get_class_for_managing(request.user, request.school, pk)
    back = redirect("moral_ed:review_queue", pk=school_class.pk)
    form = ReviewActionForm(request.POST)
    if not form.is_valid():
        form_refused(request, form)
        return back
    events = list(selectors.review_queue(school_class).filter(pk__in=form.cleaned_data["events"]))
    if not events:
        messages.info(request, _("None of these entries is waiting for review any more."))
        return back
    ids = [e.pk for e in events]
    action = form.cleaned_data["action"]
    if action == ReviewActionForm.RELEASE:
        attempt(
            request,
            services.staged_release,
            actor=request.user,
            school=request.school,
            event_ids=ids,
            success=lambda count: ngettext(
                "%(n)s entry is now shown to guardians.", "%(n)s entries are now shown to guardians.", count
            )
            % {"n": count},
        )
    elif action == ReviewActionForm.MERGE and len({e.student_id for e in events}) > 1:
        messages.error(request, _("Merge the entries of one student at a time."))
    elif action == ReviewActionForm.MERGE:
        attempt(
            request,
            services.staged_merge,
            actor=request.user,
            school=request.school,
            student=events[0].student,
            event_ids=ids,
            text=form.cleaned_data["text"],
            success=ngettext(
                "Guardians see your note instead of %(n)s entry.",
                "Guardians see your note instead of %(n)s entries.",
                len(ids),
            )
            % {"n": len(ids)},
        )
    else:
        attempt(
            request,
            services.staged_void,
            actor=request.user,
            school=request.school,
            event_ids=ids,
            reason=form.cleaned_data["reason"],
            success=lambda count: ngettext(
                "%(n)s entry is voided; it stays in the record with your reason.",
                "%(n)s entries are voided; they stay in the record with your reason.",
                count,
            )
            % {"n": count},
        )
    return back


urls = [
    path("class/<int:pk>/review/", review_queue, name="review_queue"),
    path("class/<int:pk>/review/act/", review_action, name="review_action"),
]
