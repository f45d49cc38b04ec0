"""A class's groups: ranking by week and month, the month's best
group, creating and editing groups, points for a group."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from classes import periods
from classes.selectors import current_term
from core.feedback import attempt, form_refused
from core.idempotency import exactly_once

from ...forms.conduct import GroupForm, GroupPointsForm
from ...models import GroupKind
from ...policies.conduct import can_manage_class, get_class_for_managing, get_class_for_recording, get_group_for_managing
from ...selectors import conduct as selectors
from ...services import conduct as services


def _group_kind(request):
    kind = request.GET.get("kind")
    return kind if kind in GroupKind.values else GroupKind.STUDY


def class_groups(request, pk):
    """Group ranking of the class for this week and this month, and the
    month's best group. Group figures only, no individual points: anyone
    who records in the class may see it; the head teacher edits groups
    and records group points."""
    school_class = get_class_for_recording(request.user, request.school, pk)
    kind = _group_kind(request)
    today = timezone.localdate()
    week = periods.week_of(today)
    month = periods.month_of(today)
    can_manage = can_manage_class(request.user, request.school, school_class)
    return render(
        request,
        "moral_ed/conduct/class_groups.html",
        {
            "school_class": school_class,
            "kind": kind,
            "kinds": GroupKind.choices,
            "week": week,
            "month": month,
            "week_ranking": selectors.group_ranking(school_class, start=week.start, end=week.end, kind=kind),
            "month_ranking": selectors.group_ranking(school_class, start=month.start, end=month.end, kind=kind),
            "best": selectors.best_group_of_month(school_class, day=today, kind=kind),
            "can_manage": can_manage,
            "items": list(selectors.active_items(request.school)) if can_manage else [],
        },
    )


def _group_form(request, school_class, group=None):
    students = selectors.class_students_with_today(school_class, timezone.localdate())
    names = {g.pk: g.name for g in selectors.class_groups(school_class)}
    for s in students:
        s.group_names = "、".join(
            names[gid] for gid in s.group_ids.values() if gid in names and (group is None or gid != group.pk)
        )
    if group is None:
        initial = {"kind": _group_kind(request)}
    else:
        initial = {
            "kind": group.kind,
            "name": group.name,
            "students": [s.pk for s in students if group.pk in s.group_ids.values()],
        }
    form = GroupForm(request.POST or None, students=students, initial=initial, editing=group is not None)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.group_save(
                actor=request.user,
                school_class=school_class,
                kind=form.cleaned_data["kind"],
                name=form.cleaned_data["name"],
                student_ids=form.cleaned_data["students"],
                group=group,
            )
        except (ValidationError, IntegrityError) as e:
            # Taken meanwhile by a twin of this request: exactly_once answers with its answer.
            if isinstance(e, IntegrityError):  # by someone else, at the same moment
                e = ValidationError({"name": _("Another group of this class already has this name.")})
            form.add_error(None, e)
        else:
            messages.success(request, _("Group “%(name)s” saved.") % {"name": saved.name})
            return redirect(f"{reverse('moral_ed:class_groups', args=[school_class.pk])}?kind={saved.kind}")
    return render(request, "moral_ed/conduct/group_form.html", {"school_class": school_class, "group": group, "form": form})


@exactly_once
def group_create(request, pk):
    school_class = get_class_for_managing(request.user, request.school, pk)
    return _group_form(request, school_class)


@exactly_once
def group_edit(request, pk):
    group = get_group_for_managing(request.user, request.school, pk)
    return _group_form(request, group.school_class, group)


@require_POST
@exactly_once
def group_points(request, pk):
    """Points for a group as a whole (the head teacher)."""
    group = get_group_for_managing(request.user, request.school, pk)
    back = redirect(f"{reverse('moral_ed:class_groups', args=[group.school_class_id])}?kind={group.kind}")
    term = current_term(request.school)
    form = GroupPointsForm(request.POST, items=selectors.active_items(request.school))
    if term is None:
        messages.error(request, _("The school has no current term yet."))
    elif not form.is_valid():
        form_refused(request, form)
    else:
        item = form.cleaned_data["item"]
        attempt(
            request,
            services.group_points_record,
            actor=request.user,
            term=term,
            group=group,
            item=item,
            note=form.cleaned_data["note"],
            success=_("Recorded “%(item)s” for the group %(group)s.") % {"item": item.name, "group": group.name},
        )
    return back


urls = [
    path("class/<int:pk>/groups/", class_groups, name="class_groups"),
    path("class/<int:pk>/groups/new/", group_create, name="group_create"),
    path("group/<int:pk>/edit/", group_edit, name="group_edit"),
    path("group/<int:pk>/points/", group_points, name="group_points"),
]
