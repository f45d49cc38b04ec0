"""The two-tap entry of a class's conduct points: the page, the
recording (htmx or a plain post) and the undo of a batch."""

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from classes.selectors import current_term
from core.feedback import errors_text, form_errors_text
from core.idempotency import exactly_once

from ...forms.conduct import RecordForm
from ...models import Dimension
from ...policies.conduct import can_manage_class, get_class_for_recording
from ...selectors import conduct as selectors
from ...services import conduct as services


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
    can_manage = (
        school_class.as_head if school_class.as_head is not None else can_manage_class(request.user, request.school, school_class)
    )
    return render(
        request,
        "moral_ed/conduct/class_entry.html",
        {
            "school_class": school_class,
            "term": term,
            "today": today,
            "students": students,
            "dimensions": [d for d in by_dimension.values() if d["plus"] or d["minus"]],
            "groups": groups,
            "can_manage": can_manage,
            # The navigation's badge: one COUNT, for the head teacher only.
            "review_count": selectors.review_queue(school_class).count() if can_manage else 0,
        },
    )


@require_POST
@exactly_once
def points_record(request, pk):
    """Record the chosen item for the chosen students. Answers htmx with the
    new day totals and a fresh request key for the next tap (both
    out-of-band) and an undo button; plain posts redirect."""
    school_class = get_class_for_recording(request.user, request.school, pk)
    form = RecordForm(request.POST, item_lookup=lambda pk: selectors.active_item(request.school, pk))
    error = None
    if form.is_valid():
        item = form.cleaned_data["item"]
        try:
            events, batch, refused, today = services.points_record(
                actor=request.user,
                school=request.school,
                term=current_term(request.school),
                school_class=school_class,
                student_ids=form.cleaned_data["students"],
                item=item,
                note=form.cleaned_data["note"],
                release_time=school_class.release_time,
            )
        except ValidationError as e:
            error = errors_text(e)
    else:
        error = form_errors_text(form)
    if not request.htmx:
        if error:
            messages.error(request, error)
        else:
            messages.success(
                request,
                ngettext("Recorded “%(item)s” for %(n)s student.", "Recorded “%(item)s” for %(n)s students.", len(events))
                % {"item": item.name, "n": len(events)},
            )
        return redirect("moral_ed:class_entry", pk=school_class.pk)
    if error:
        return render(request, "moral_ed/conduct/_entry_result.html", {"error": error}, status=422)
    return render(
        request,
        "moral_ed/conduct/_entry_result.html",
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
@exactly_once
def batch_undo(request, pk):
    school_class = get_class_for_recording(request.user, request.school, pk)
    try:
        batch = uuid.UUID(request.POST.get("batch", ""))
    except ValueError:
        return HttpResponseBadRequest(_("Nothing to undo."))
    voided = services.batch_undo(actor=request.user, school=request.school, batch=batch)
    ids = list(school_class.conduct_events.filter(batch=batch).values_list("student_id", flat=True))
    today = selectors.today_totals(ids, timezone.localdate())
    if not request.htmx:
        messages.info(request, _("Undone.") if voided else _("Nothing to undo any more."))
        return redirect("moral_ed:class_entry", pk=school_class.pk)
    return render(
        request,
        "moral_ed/conduct/_entry_undone.html",
        {"voided": voided, "today": {pk: today.get(pk, 0) for pk in ids}},
    )


urls = [
    path("class/<int:pk>/", class_entry, name="class_entry"),
    path("class/<int:pk>/record/", points_record, name="points_record"),
    path("class/<int:pk>/undo/", batch_undo, name="batch_undo"),
]
