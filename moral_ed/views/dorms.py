"""Views: the dormitories: buildings and beds, dorm inspections and the
escalation ladder's cases. Ends with `urls`.

Every view fetches its object through moral_ed.policies.dorms (404 out of
reach, 403 may see but not act); posts redirect back with one message; a
ValidationError from a service is shown as its (translated) message.
"""

import datetime

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from classes.selectors import class_list_for, current_term
from core.feedback import attempt, form_errors_text, form_refused
from core.idempotency import exactly_once

from ..forms.dorms import (
    BedAssignForm,
    BedReleaseForm,
    CaseDecisionForm,
    CaseFilterForm,
    DayForm,
    DormEventForm,
    DormVoidForm,
    StudentSearchForm,
)
from ..models import CaseStatus, DormTarget
from ..policies.dorms import (
    can_decide_case,
    can_manage_dorms,
    can_read_all_dorms,
    get_building_for,
    get_case_for,
    get_case_for_deciding,
    get_class_for_dorms,
    get_event_for_voiding,
    get_student_for_dorms,
    is_office,
    require_dorm_pages,
)
from ..selectors import dorms as selectors
from ..services import dorms as services

PAGE_SIZE = 50


def _window(school, today):
    settings_row = services.settings_for(school)
    return settings_row, today - datetime.timedelta(days=settings_row.window_days - 1)


def _no_term(request):
    messages.error(request, _("The school has no current term yet."))


# --- Home ---------------------------------------------------------------------------------------


def dorm_home(request):
    """The office and the principal: the buildings with their beds, links
    to the inspection and the cases. A head teacher: their classes' dorm
    pages and their students' cases."""
    require_dorm_pages(request.user, request.school)
    term = current_term(request.school)
    school_wide = can_read_all_dorms(request.user, request.school)
    context = {"term": term, "school_wide": school_wide, "can_manage": can_manage_dorms(request.user, request.school)}
    if term is not None:
        context["open_cases"] = selectors.case_list_for(request.user, request.school, term=term, status=CaseStatus.OPEN).count()
        if school_wide:
            context["buildings"] = list(selectors.building_list(request.school, term))
        else:
            context["classes"] = list(selectors.head_teacher_classes(request.user, request.school, term))
        context["steps"] = list(selectors.steps_of(request.school))
        context["settings"] = services.settings_for(request.school)
    return render(request, "moral_ed/dorms/dorm_home.html", context)


# --- Buildings and beds ---------------------------------------------------------------------------


def dorm_building(request, pk):
    """Rooms, beds and who sleeps where this term; for the office the
    student search, the assignment and release forms. Four queries for the
    rooms whatever the size of the building."""
    building = get_building_for(request.user, request.school, pk)
    term = current_term(request.school)
    can_manage = can_manage_dorms(request.user, request.school)
    search = StudentSearchForm(request.GET or None)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    rooms = selectors.building_rooms(building, term) if term else []
    free_beds = [bed for room in rooms if room.is_active for bed in room.free_beds]
    results = selectors.student_search(request.school, term, query) if can_manage and term and query else []
    return render(
        request,
        "moral_ed/dorms/dorm_building.html",
        {
            "building": building,
            "term": term,
            "rooms": rooms,
            "free_beds": free_beds,
            "bed_total": sum(len(room.bed_list) for room in rooms if room.is_active),
            "taken_total": sum(len(room.residents) for room in rooms if room.is_active),
            "can_manage": can_manage,
            "search": search,
            "query": query,
            "results": results,
        },
    )


def _back_to_building(building, query=""):
    url = reverse("moral_ed:dorm_building", args=[building.pk])
    return redirect(f"{url}?{urlencode({'q': query})}" if query else url)


@require_POST
@exactly_once
def dorm_bed_assign(request, pk):
    building = get_building_for(request.user, request.school, pk, manage=True)
    back = _back_to_building(building, request.POST.get("q", "")[:50])
    term = current_term(request.school)
    if term is None:
        _no_term(request)
        return back
    form = BedAssignForm(request.POST)
    if not form.is_valid():
        form_refused(request, form)
        return back
    bed = selectors.building_beds(building).filter(pk=form.cleaned_data["bed"]).first()
    if bed is None:
        messages.error(request, _("Choose a bed of this building."))
        return back
    students = selectors.school_students(request.school)
    if form.cleaned_data["student"]:
        student = students.filter(pk=form.cleaned_data["student"]).first()
    else:
        student = students.filter(student_number=form.cleaned_data["student_number"]).first()
    if student is None:
        messages.error(request, _("No student of this school has this number."))
        return back
    attempt(
        request,
        services.bed_assign,
        school=request.school,
        term=term,
        bed=bed,
        student=student,
        assigned_by=request.user,
        success=lambda assignment: _("%(name)s sleeps in %(bed)s this term.") % {"name": student.name, "bed": bed},
    )
    return back


@require_POST
@exactly_once
def dorm_bed_release(request, pk):
    building = get_building_for(request.user, request.school, pk, manage=True)
    back = _back_to_building(building)
    term = current_term(request.school)
    form = BedReleaseForm(request.POST)
    if term is None or not form.is_valid():
        messages.error(request, _("Choose a bed from the list."))
        return back
    assignment = selectors.building_assignments(building, term).filter(pk=form.cleaned_data["assignment"]).first()
    if assignment is None:
        messages.info(request, _("This bed is free already."))
        return back
    services.bed_release(assignment=assignment, released_by=request.user)
    messages.success(request, _("%(bed)s is free; %(name)s no longer sleeps there.") % {"bed": assignment.bed, "name": assignment.student.name})
    return back


# --- Inspections ----------------------------------------------------------------------------------


def _inspection_url(building_pk, day, room_pk=None):
    url = f"{reverse('moral_ed:dorm_inspection', args=[building_pk])}?{urlencode({'day': day.isoformat()})}"
    return f"{url}#room-{room_pk}" if room_pk else url


def dorm_inspection(request, pk):
    """One day's dorm inspection of a building (today by default, never in
    the future): each room in use with its residents and the day's
    entries; the office records room and student entries and voids
    wrong ones. Made for a phone. A constant number of queries."""
    building = get_building_for(request.user, request.school, pk)
    term = current_term(request.school)
    today = timezone.localdate()
    day_form = DayForm(request.GET or None)
    if day_form.is_bound and not day_form.is_valid():
        messages.error(request, form_errors_text(day_form))
    day = day_form.day_or_today()
    can_manage = can_manage_dorms(request.user, request.school)
    rooms = selectors.inspection_rooms(building, term, day)
    items = list(selectors.active_dorm_items(request.school)) if can_manage else []
    return render(
        request,
        "moral_ed/dorms/dorm_inspection.html",
        {
            "building": building,
            "term": term,
            "day": day,
            "today": today,
            "previous_day": day - datetime.timedelta(days=1),
            "next_day": day + datetime.timedelta(days=1) if day < today else None,
            "day_form": DayForm(initial={"day": day}),
            "rooms": rooms,
            "can_manage": can_manage,
            "room_items": [i for i in items if i.applies_to == DormTarget.ROOM],
            "student_items": [i for i in items if i.applies_to == DormTarget.STUDENT],
        },
    )


@require_POST
@exactly_once
def dorm_event_record(request, pk):
    building = get_building_for(request.user, request.school, pk, manage=True)
    term = current_term(request.school)
    form = DormEventForm(request.POST, term=term)
    valid = form.is_valid()
    day = (form.cleaned_data.get("day") if valid else None) or timezone.localdate()
    room_pk = form.cleaned_data.get("room") if valid else None
    back = redirect(_inspection_url(building.pk, day, room_pk))
    if term is None:
        _no_term(request)
        return back
    if not valid:
        form_refused(request, form)
        return back
    room = selectors.building_room(building, room_pk)
    item = selectors.active_dorm_items(request.school).filter(pk=form.cleaned_data["item"]).first()
    if room is None or item is None:
        messages.error(request, _("Choose an item from the list."))
        return back
    student = None
    if form.cleaned_data["student"]:
        student = selectors.school_students(request.school).filter(pk=form.cleaned_data["student"]).first()
        if student is None:
            messages.error(request, _("Choose a student who sleeps in this room."))
            return back
    outcome = attempt(
        request,
        services.dorm_event_record,
        school=request.school,
        term=term,
        room=room,
        item=item,
        student=student,
        note=form.cleaned_data["note"],
        occurred_on=day,
        recorded_by=request.user,
    )
    if not outcome.ok:
        return back
    event = outcome.value
    who = student.name if student else str(room)
    messages.success(request, _("Recorded “%(item)s” for %(who)s.") % {"item": item.name, "who": who})
    for case in getattr(event, "opened_cases", []):
        messages.warning(
            request,
            _("%(name)s reached the step “%(measure)s”; a case waits for a decision.")
            % {"name": case.student.name, "measure": case.step.name},
        )
    return back


@require_POST
@exactly_once
def dorm_event_void(request, pk):
    event = get_event_for_voiding(request.user, request.school, pk)
    form = DormVoidForm(request.POST)
    if not form.is_valid():
        form_refused(request, form)
    else:
        outcome = attempt(request, services.dorm_event_void, event=event, actor=request.user, reason=form.cleaned_data["reason"])
        if outcome.ok and outcome.value:
            messages.success(request, _("The entry is voided; it stays in the record with your reason."))
        elif outcome.ok:
            messages.info(request, _("The entry was voided already."))
    return redirect(_inspection_url(event.room.building_id, event.occurred_on, event.room_id))


# --- A class's and a student's dorm record --------------------------------------------------------


def dorm_class(request, pk):
    """The class's boarders (bed, deductions in the ladder's window,
    level, open cases) and their dorm entries this term: the head teacher
    of the class, the office and the principal."""
    school_class = get_class_for_dorms(request.user, request.school, pk)
    term = current_term(request.school)
    today = timezone.localdate()
    settings_row, start = _window(request.school, today)
    context = {"school_class": school_class, "term": term, "settings": settings_row, "start": start, "today": today}
    if term is not None:
        steps = {s.level: s for s in selectors.steps_of(request.school)}
        boarders = selectors.class_boarders(school_class, term, start=start, end=today)
        for s in boarders:
            s.step = steps.get(s.level)
        page = Paginator(selectors.class_events(school_class, term), PAGE_SIZE).get_page(request.GET.get("page"))
        context.update(boarders=boarders, page=page)
    return render(request, "moral_ed/dorms/dorm_class.html", context)


def dorm_student(request, pk):
    """One student's dorm record: bed, level, deductions in the window,
    cases, level changes and every entry (voided ones struck through)."""
    student = get_student_for_dorms(request.user, request.school, pk)
    term = current_term(request.school)
    today = timezone.localdate()
    settings_row, start = _window(request.school, today)
    steps = {s.level: s for s in selectors.steps_of(request.school)}
    level = selectors.current_level(student.pk)
    page = Paginator(selectors.student_events(student), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "moral_ed/dorms/dorm_student.html",
        {
            "student": student,
            "current": student.current_enrollments[0] if student.current_enrollments else None,
            "term": term,
            "assignment": selectors.student_bed(student, term),
            "level": level,
            "step": steps.get(level),
            "deducted": selectors.window_deductions([student.pk], start, today).get(student.pk, 0),
            "settings": settings_row,
            "start": start,
            "today": today,
            "cases": list(selectors.student_cases(student)),
            "changes": list(selectors.student_level_changes(student)),
            "page": page,
        },
    )


# --- Cases --------------------------------------------------------------------------------------------


def _case_classes(user, school, term):
    if term is None:
        return []
    if can_read_all_dorms(user, school):
        return list(class_list_for(user, school, term=term).prefetch_related(None))
    return list(selectors.head_teacher_classes(user, school, term))


def dorm_cases(request):
    """The ladder's cases, open first: every case for the office and the
    principal, the cases of their class's students for a head teacher.
    Filters: status, step, class, student. Four queries for a page."""
    require_dorm_pages(request.user, request.school)
    term = current_term(request.school)
    steps = list(selectors.steps_of(request.school))
    classes = _case_classes(request.user, request.school, term)
    filters = CaseFilterForm(request.GET or None, steps=steps, classes=classes)
    data = filters.cleaned_data if filters.is_valid() else {}
    school_class = next((c for c in classes if c.pk == data.get("school_class")), None)
    cases = selectors.case_list_for(
        request.user,
        request.school,
        term=term,
        status=data.get("status") or None,
        level=data.get("level"),
        school_class=school_class,
        query=data.get("q", ""),
    )
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    office = is_office(request.user, request.school)
    selectors.case_rows(page.object_list, user=request.user, school=request.school, term=term, office=office)
    return render(request, "moral_ed/dorms/dorm_cases.html", {"filters": filters, "page": page, "term": term})


def dorm_case(request, pk):
    """One case: the student, the step, the window's entries (voided ones
    struck through), the deductions now, and the decision forms for the
    step's confirmer."""
    case = get_case_for(request.user, request.school, pk)
    today = timezone.localdate()
    settings_row, start = _window(request.school, today)
    return render(
        request,
        "moral_ed/dorms/dorm_case.html",
        {
            "case": case,
            "school_class": selectors.current_class_of(case.student_id, current_term(request.school)),
            "events": list(selectors.case_window_events(case)),
            "deducted_now": selectors.window_deductions([case.student_id], start, today).get(case.student_id, 0),
            "start": start,
            "today": today,
            "level": selectors.current_level(case.student_id),
            "can_decide": case.status == CaseStatus.OPEN and can_decide_case(request.user, request.school, case),
            "form": CaseDecisionForm(),
        },
    )


@require_POST
@exactly_once
def dorm_case_decide(request, pk):
    case = get_case_for_deciding(request.user, request.school, pk)
    back = redirect("moral_ed:dorm_case", pk=case.pk)
    form = CaseDecisionForm(request.POST)
    if not form.is_valid():
        form_refused(request, form)
        return back
    if case.status != CaseStatus.OPEN:
        messages.info(request, _("This case was decided already."))
        return back
    names = {"name": case.student.name, "measure": case.step.name}
    decide = services.case_confirm if form.cleaned_data["decision"] == CaseDecisionForm.CONFIRM else services.case_dismiss
    outcome = attempt(request, decide, case=case, decided_by=request.user, note=form.cleaned_data["note"])
    if not outcome.ok:
        return back
    case = outcome.value
    if case.decided_by_id != request.user.pk:
        messages.info(request, _("This case was decided already."))
    elif case.status == CaseStatus.CONFIRMED:
        if case.guardians_informed_at:
            messages.success(request, _("“%(measure)s” is confirmed for %(name)s; the guardians are informed.") % names)
        else:
            messages.success(request, _("“%(measure)s” is confirmed for %(name)s.") % names)
    else:
        messages.info(request, _("The case of %(name)s is dismissed; nothing changes for the student.") % names)
    return back


urls = [
    path("dorms/", dorm_home, name="dorm_home"),
    path("dorms/building/<int:pk>/", dorm_building, name="dorm_building"),
    path("dorms/building/<int:pk>/assign/", dorm_bed_assign, name="dorm_bed_assign"),
    path("dorms/building/<int:pk>/release/", dorm_bed_release, name="dorm_bed_release"),
    path("dorms/building/<int:pk>/inspection/", dorm_inspection, name="dorm_inspection"),
    path("dorms/building/<int:pk>/inspection/record/", dorm_event_record, name="dorm_event_record"),
    path("dorms/entry/<int:pk>/void/", dorm_event_void, name="dorm_event_void"),
    path("dorms/class/<int:pk>/", dorm_class, name="dorm_class"),
    path("dorms/student/<int:pk>/", dorm_student, name="dorm_student"),
    path("dorms/cases/", dorm_cases, name="dorm_cases"),
    path("dorms/case/<int:pk>/", dorm_case, name="dorm_case"),
    path("dorms/case/<int:pk>/decide/", dorm_case_decide, name="dorm_case_decide"),
]
