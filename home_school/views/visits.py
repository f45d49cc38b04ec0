"""Home visits: the staff pages under /home-school/visits/ and the
guardian's list under /portal/visits/.

Every view fetches its visit through a policy (policies.visits): 404 out of
reach, 403 for people who see it but may not act. The portal page reads
visits without the teacher's notes.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from classes.policies import require_staff
from classes.selectors import current_term
from core.feedback import attempt_on_form
from core.idempotency import exactly_once

from ..forms.visits import SupervisorForm, VisitFilterForm, VisitPlanForm, VisitRecordForm
from ..models import HomeVisit, VisitMethod
from ..policies import meetings as meeting_policies
from ..policies import visits as policies
from ..selectors import visits as selectors
from ..services import visits as services


def visit_list(request):
    """A teacher's own visits; a supervisor's teachers' visits; every visit
    for the office, with the counts per teacher for the term. Constant
    queries whatever the number of visits and teachers."""
    require_staff(request.user, request.school)
    term = current_term(request.school)
    counts = selectors.visit_counts_by_teacher(request.user, request.school, term)
    filters = VisitFilterForm(request.GET or None, teachers=[row["teacher"] for row in counts])
    data = filters.cleaned_data if filters.is_valid() else {}
    visits = list(
        selectors.visit_rows_for(request.user, request.school, term, teacher_id=data.get("teacher"), status=data.get("status"))
    )
    for v in visits:
        v.can_record = policies.can_record_visit(request.user, v)
    wide = selectors.sees_all_visits(request.user, request.school) or selectors.is_supervisor(request.user, request.school, term)
    return render(
        request,
        "home_school/visits/visit_list.html",
        {
            "term": term,
            "visits": visits,
            "counts": counts,
            "show_counts": wide,
            "show_teacher": wide,
            "filters": filters,
            "methods": VisitMethod.choices,
            "can_plan": policies.can_plan_visits(request.user, request.school),
            "is_office": policies.is_visit_office(request.user, request.school),
        },
    )


@exactly_once
def visit_plan(request):
    policies.require_planner(request.user, request.school)
    term = current_term(request.school)
    students = policies.plannable_students(request.user, request.school, term)
    teachers = policies.plannable_teachers(request.user, request.school)
    initial = {"teacher": request.user.pk, "student": request.GET.get("student")}
    form = VisitPlanForm(request.POST or None, students=students, teachers=teachers, term=term, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        outcome = attempt_on_form(
            request,
            form,
            services.visit_plan,
            actor=request.user,
            school=request.school,
            term=term,
            student=data["student"],
            teacher=data["teacher"],
            planned_on=data["planned_on"],
            method=data["method"],
            success=_("The visit is planned; the family sees the date and the method in the portal."),
        )
        if outcome.ok:
            return redirect("home_school:visit_list")
    return render(request, "home_school/visits/visit_form.html", {"form": form, "term": term})


@exactly_once
def visit_record(request, pk):
    """The visit with its notes (for those who reach it); its teacher records it here."""
    visit = policies.get_visit_for(request.user, request.school, pk)
    can_record = policies.can_record_visit(request.user, visit)
    if request.method == "POST" and not can_record:
        raise PermissionDenied
    initial = {
        "done_on": visit.done_on,
        "method": visit.method,
        "family_situation": visit.family_situation,
        "discussed": visit.discussed,
        "follow_up": visit.follow_up,
    }
    form = (
        VisitRecordForm(request.POST or None, school=request.school, planned_on=visit.planned_on, initial=initial)
        if can_record
        else None
    )
    if request.method == "POST" and form.is_valid():
        outcome = attempt_on_form(request, form, services.visit_record, actor=request.user, visit=visit, **form.cleaned_data, success=_("The visit is recorded."))
        if outcome.ok:
            return redirect("home_school:visit_list")
    return render(
        request,
        "home_school/visits/visit_record.html",
        {
            "visit": visit,
            "form": form,
            "can_cancel": visit.status == HomeVisit.Status.PLANNED and policies.can_cancel_visit(request.user, request.school, visit),
        },
    )


@require_POST
@exactly_once
def visit_cancel(request, pk):
    visit = policies.get_visit_for_cancelling(request.user, request.school, pk)
    if services.visit_cancel(actor=request.user, visit=visit):
        messages.success(request, _("The visit is cancelled."))
    else:
        messages.info(request, _("Only a planned visit can be cancelled."))
    return redirect("home_school:visit_list")


@exactly_once
def visit_supervisors(request):
    """The office names each teacher's home-visit supervisor for the term."""
    policies.require_visit_office(request.user, request.school)
    term = current_term(request.school)
    form = SupervisorForm(
        request.POST or None, staff=selectors.school_staff(request.school), teachers=selectors.school_teachers(request.school)
    )
    if request.method == "POST" and form.is_valid():
        outcome = attempt_on_form(
            request,
            form,
            services.supervisor_assign,
            actor=request.user,
            school=request.school,
            term=term,
            supervisor=form.cleaned_data["supervisor"],
            teachers=list(form.cleaned_data["teachers"]),
            success=_("Supervisor assigned."),
        )
        if outcome.ok:
            return redirect("home_school:visit_supervisors")
    groups = {}
    for s in selectors.supervisions_for_term(request.school, term):
        groups.setdefault(s.supervisor_id, {"supervisor": s.supervisor, "rows": []})["rows"].append(s)
    return render(request, "home_school/visits/visit_supervisors.html", {"form": form, "term": term, "groups": list(groups.values())})


@require_POST
@exactly_once
def visit_supervisor_remove(request, pk):
    supervision = policies.get_supervision_for_office(request.user, request.school, pk)
    services.supervision_remove(actor=request.user, supervision=supervision)
    messages.success(request, _("Supervision ended."))
    return redirect("home_school:visit_supervisors")


def portal_visits(request):
    """The guardian's children's planned and done visits: date, method and
    teacher only. Guardians only (students and staff: 403)."""
    meeting_policies.require_guardian(request.user, request.school)
    visits = list(selectors.visit_list_for_guardian(request.user, request.school))
    return render(
        request,
        "home_school/visits/portal_visits.html",
        {
            "planned": [v for v in reversed(visits) if v.status == HomeVisit.Status.PLANNED],
            "done": [v for v in visits if v.status == HomeVisit.Status.DONE],
        },
    )


urls = [
    path("home-school/visits/", visit_list, name="visit_list"),
    path("home-school/visits/new/", visit_plan, name="visit_plan"),
    path("home-school/visits/<int:pk>/", visit_record, name="visit_record"),
    path("home-school/visits/<int:pk>/cancel/", visit_cancel, name="visit_cancel"),
    path("home-school/visits/supervisors/", visit_supervisors, name="visit_supervisors"),
    path("home-school/visits/supervisors/<int:pk>/remove/", visit_supervisor_remove, name="visit_supervisor_remove"),
    path("portal/visits/", portal_visits, name="portal_visits"),
]
