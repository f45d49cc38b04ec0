"""A student's conduct page (totals, trend, timeline with voided
entries struck through) and voiding one entry."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from classes.selectors import current_term
from core.feedback import attempt
from core.idempotency import exactly_once

from ...forms.conduct import TimelineFilterForm, VoidForm
from ...models import Dimension
from ...policies.conduct import can_void_event, get_event_for_voiding, get_student_points_for
from ...selectors import conduct as selectors
from ...services import conduct as services


def student_points(request, pk):
    """A student's conduct: totals for the week, month and term, the trend,
    and the timeline with voided entries struck through."""
    student = get_student_points_for(request.user, request.school, pk)
    term = current_term(request.school)
    if term is None:
        return render(request, "moral_ed/conduct/student_points.html", {"student": student, "term": None})
    today = timezone.localdate()
    filters = TimelineFilterForm(request.GET or None)
    data = filters.cleaned_data if filters.is_valid() else {"voided": True}
    timeline = selectors.student_timeline(
        student,
        term=term,
        dimension=data.get("dimension") or None,
        start=data.get("start"),
        end=data.get("end"),
        include_voided=data.get("voided", True) if request.GET else True,
    )
    page = Paginator(timeline, 50).get_page(request.GET.get("page"))
    events = list(page.object_list)
    for e in events:
        e.can_void = not e.is_voided and can_void_event(request.user, request.school, e)
    totals = selectors.student_totals(student, term=term, today=today)
    current = student.current_enrollments[0] if student.current_enrollments else None
    return render(
        request,
        "moral_ed/conduct/student_points.html",
        {
            "student": student,
            "current": current,
            "term": term,
            "totals": totals,
            "dimensions": Dimension.choices,
            "page": page,
            "events": events,
            "filters": filters,
            "trend": selectors.student_trend(student, term=term),
            "stars": selectors.stars_of_student(student),
            "void_form": VoidForm(),
        },
    )


@require_POST
@exactly_once
def event_void(request, pk):
    event = get_event_for_voiding(request.user, request.school, pk)
    form = VoidForm(request.POST)
    if form.is_valid():
        outcome = attempt(request, services.points_void, actor=request.user, event=event, reason=form.cleaned_data["reason"])
        if outcome.ok and outcome.value:
            messages.success(request, _("The entry is voided; it stays in the record with your reason."))
        elif outcome.ok:
            messages.info(request, _("The entry was voided already."))
    else:
        messages.error(request, _("Say why the entry is voided."))
    return redirect("moral_ed:student_points", pk=event.student_id)


urls = [
    path("student/<int:pk>/", student_points, name="student_points"),
    path("event/<int:pk>/void/", event_void, name="event_void"),
]
