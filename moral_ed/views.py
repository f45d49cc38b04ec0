import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from classes.selectors import current_term

from . import selectors, services
from .forms import RecordForm, TimelineFilterForm, VoidForm
from .models import Dimension
from .policies import (
    can_manage_class,
    can_void_event,
    get_class_for_recording,
    get_event_for_voiding,
    get_student_points_for,
)


def _errors_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def class_entry(request, pk):
    """Two-tap entry: tap students (or a group, or everyone), tap an item."""
    school_class = get_class_for_recording(request.user, request.school, pk)
    term = current_term(request.school)
    today = timezone.localdate()
    students = selectors.class_students_with_today(school_class, today)
    items = list(selectors.active_items(request.school))
    by_dimension = {value: {"label": label, "plus": [], "minus": []} for value, label in Dimension.choices}
    for item in items:
        by_dimension[item.dimension]["plus" if item.points > 0 else "minus"].append(item)
    groups = list(selectors.class_groups(school_class))
    for g in groups:
        g.member_ids = " ".join(str(s.pk) for s in students if g.pk in s.group_ids.values())
    return render(
        request,
        "moral_ed/class_entry.html",
        {
            "school_class": school_class,
            "term": term,
            "today": today,
            "students": students,
            "dimensions": [d for d in by_dimension.values() if d["plus"] or d["minus"]],
            "groups": groups,
            "can_manage": can_manage_class(request.user, request.school, school_class),
        },
    )


@require_POST
def points_record(request, pk):
    """Record the chosen item for the chosen students. Answers htmx with the
    new day totals (out-of-band) and an undo button; plain posts redirect."""
    school_class = get_class_for_recording(request.user, request.school, pk)
    form = RecordForm(request.POST, items=selectors.active_items(request.school))
    error = None
    if form.is_valid():
        item = form.cleaned_data["item"]
        conduct_settings = getattr(school_class.school, "conduct_settings", None)
        try:
            events, batch, refused, today = services.points_record(
                actor=request.user,
                school=request.school,
                term=current_term(request.school),
                school_class=school_class,
                student_ids=form.cleaned_data["students"],
                item=item,
                note=form.cleaned_data["note"],
                release_time=conduct_settings.release_time if conduct_settings else None,
            )
        except ValidationError as e:
            error = _errors_text(e)
    else:
        error = " ".join(str(m) for errors in form.errors.values() for m in errors)
    if not request.htmx:
        if error:
            messages.error(request, error)
        else:
            messages.success(request, _("Recorded “%(item)s” for %(n)s students.") % {"item": item.name, "n": len(events)})
        return redirect("moral_ed:class_entry", pk=school_class.pk)
    if error:
        return render(request, "moral_ed/_entry_result.html", {"error": error}, status=422)
    return render(
        request,
        "moral_ed/_entry_result.html",
        {
            "school_class": school_class,
            "item": item,
            "count": len(events),
            "batch": batch,
            "refused": refused,
            "today": today,
            "staged": item.points < 0,
        },
    )


@require_POST
def batch_undo(request, pk):
    school_class = get_class_for_recording(request.user, request.school, pk)
    try:
        batch = uuid.UUID(request.POST.get("batch", ""))
    except ValueError:
        return HttpResponseBadRequest(_("Nothing to undo."))
    voided = services.batch_undo(actor=request.user, school=request.school, batch=batch)
    ids = list(
        school_class.conduct_events.filter(batch=batch).values_list("student_id", flat=True)
    )
    today = selectors.today_totals(ids, timezone.localdate())
    if not request.htmx:
        messages.info(request, _("Undone.") if voided else _("Nothing to undo any more."))
        return redirect("moral_ed:class_entry", pk=school_class.pk)
    return render(
        request,
        "moral_ed/_entry_undone.html",
        {"voided": voided, "today": {pk: today.get(pk, 0) for pk in ids}},
    )


def student_points(request, pk):
    """A student's conduct: totals for the week, month and term, the trend,
    and the timeline with voided entries struck through."""
    student = get_student_points_for(request.user, request.school, pk)
    term = current_term(request.school)
    if term is None:
        return render(request, "moral_ed/student_points.html", {"student": student, "term": None})
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
        "moral_ed/student_points.html",
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
def event_void(request, pk):
    event = get_event_for_voiding(request.user, request.school, pk)
    form = VoidForm(request.POST)
    if form.is_valid():
        try:
            if services.points_void(actor=request.user, event=event, reason=form.cleaned_data["reason"]):
                messages.success(request, _("The entry is voided; it stays in the record with your reason."))
            else:
                messages.info(request, _("The entry was voided already."))
        except ValidationError as e:
            messages.error(request, _errors_text(e))
    else:
        messages.error(request, _("Say why the entry is voided."))
    return redirect("moral_ed:student_points", pk=event.student_id)
