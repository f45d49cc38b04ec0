"""Parent committees: the staff pages under /home-school/committee/ and
the guardian's pages under /portal/committee/.

Every object comes through home_school.policies.committee (404 out of
reach, 403 for people who may look but not change). Posts redirect back
with a message; a ValidationError from a service is shown as its text.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from classes.models import SchoolClass
from core.feedback import attempt, attempt_on_form, form_refused
from core.idempotency import exactly_once
from students.models import Guardian

from ..forms.committee import CommitteeSetUpForm, MeetingForm, MemberAddForm, MemberEndForm
from ..policies import committee as policies
from ..selectors import committee as selectors
from ..services import committee as services


def committee_list(request):
    """The committees the person reads, and the classes in their reach
    without one (with a button to set one up)."""
    policies.require_staff(request.user, request.school)
    today = timezone.localdate()
    committees = list(selectors.committee_list_for(request.user, request.school, today=today))
    office = policies.is_home_school_office(request.user, request.school)
    return render(
        request,
        "home_school/committee/committee_list.html",
        {
            "committees": committees,
            "classes_without": list(selectors.classes_without_committee(request.user, request.school)),
            "can_set_up_school": office and not any(c.is_school_level for c in committees),
        },
    )


@require_POST
@exactly_once
def committee_set_up(request):
    policies.require_staff(request.user, request.school)
    form = CommitteeSetUpForm(request.POST)
    if not form.is_valid():
        raise PermissionDenied
    class_id = form.cleaned_data["school_class"]
    if class_id:
        school_class = get_object_or_404(SchoolClass, pk=class_id, school=request.school)
        if not policies.can_set_up_class_committee(request.user, request.school, school_class):
            raise PermissionDenied
    elif policies.is_home_school_office(request.user, request.school):
        school_class = None
    else:
        raise PermissionDenied
    committee = services.committee_set_up(actor=request.user, school=request.school, school_class=school_class)
    return redirect("home_school:committee_detail", pk=committee.pk)


def _member_form(committee, data=None):
    candidates = None if committee.is_school_level else selectors.member_candidates(committee)
    return MemberAddForm(data, school=committee.school, candidates=candidates)


def committee_detail(request, pk):
    committee = policies.get_committee_for(request.user, request.school, pk)
    today = timezone.localdate()
    sitting, past = selectors.committee_members(committee, today=today)
    can_manage = policies.can_manage_committee(request.user, request.school, committee)
    context = {
        "committee": committee,
        "sitting": sitting,
        "past": past,
        "meetings": list(selectors.committee_meetings(committee)),
        "can_manage": can_manage,
        "today": today,
    }
    if can_manage:
        form = _member_form(committee)
        form.helper.form_action = reverse("home_school:committee_member_add", args=[committee.pk])
        context.update(member_form=form, end_form=MemberEndForm(school=request.school, initial={"end_date": today}))
    return render(request, "home_school/committee/committee_detail.html", context)


@require_POST
@exactly_once
def committee_member_add(request, pk):
    committee = policies.get_committee_for_managing(request.user, request.school, pk)
    back = redirect("home_school:committee_detail", pk=committee.pk)
    form = _member_form(committee, request.POST)
    if not form.is_valid():
        form_refused(request, form)
        return back
    data = form.cleaned_data
    if form.by_class:
        guardian = next((g for g in selectors.member_candidates(committee) if g.pk == data["guardian"]), None)
    else:
        guardian = Guardian.objects.filter(school=request.school, mobile=data["mobile"]).first()
    if guardian is None:
        messages.error(request, _("No guardian of this school matches; check the choice or the number."))
        return back
    attempt(
        request,
        services.committee_member_add,
        actor=request.user,
        committee=committee,
        guardian=guardian,
        role=data["role"],
        start_date=data["start_date"],
        end_date=data.get("end_date"),
        success=lambda member: _("%(name)s joined the committee as %(role)s.") % {"name": guardian.name, "role": member.get_role_display()},
    )
    return back


@require_POST
@exactly_once
def committee_member_end(request, pk):
    member = policies.get_member_for_managing(request.user, request.school, pk)
    back = redirect("home_school:committee_detail", pk=member.committee_id)
    form = MemberEndForm(request.POST, school=request.school)
    if not form.is_valid():
        form_refused(request, form)
        return back
    attempt(
        request,
        services.committee_member_end,
        actor=request.user,
        member=member,
        end_date=form.cleaned_data["end_date"],
        success=lambda ended: _("The term of %(name)s ends on %(date)s.")
        % {"name": member.guardian.name, "date": form.cleaned_data["end_date"]},
    )
    return back


def _meeting_form(request, committee, meeting=None):
    members = list(committee.members.select_related("guardian").order_by("start_date", "pk"))
    initial = {}
    if meeting is not None:
        initial = {
            "held_on": meeting.held_on,
            "title": meeting.title,
            "place": meeting.place,
            "minutes": meeting.minutes,
            "attendees": list(meeting.attendees.values_list("pk", flat=True)),
        }
    form = MeetingForm(
        request.POST or None, members=members, school=request.school, held_on=meeting.held_on if meeting else None, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        outcome = attempt_on_form(
            request,
            form,
            services.committee_meeting_save,
            actor=request.user,
            committee=committee,
            held_on=data["held_on"],
            title=data["title"],
            place=data["place"],
            minutes=data["minutes"],
            attendee_ids=data["attendees"],
            meeting=meeting,
            success=_("The meeting is saved."),
        )
        if outcome.ok:
            return redirect("home_school:committee_meeting_detail", pk=outcome.value.pk)
    return render(request, "home_school/committee/meeting_form.html", {"committee": committee, "meeting": meeting, "form": form})


@exactly_once
def committee_meeting_new(request, pk):
    committee = policies.get_committee_for_managing(request.user, request.school, pk)
    return _meeting_form(request, committee)


@exactly_once
def committee_meeting_edit(request, pk):
    meeting = policies.get_meeting_for_managing(request.user, request.school, pk)
    return _meeting_form(request, meeting.committee, meeting)


def committee_meeting_detail(request, pk):
    meeting = policies.get_meeting_for(request.user, request.school, pk)
    return render(
        request,
        "home_school/committee/meeting_detail.html",
        {
            "meeting": meeting,
            "committee": meeting.committee,
            "attendees": list(selectors.meeting_attendees(meeting)),
            "can_manage": policies.can_manage_committee(request.user, request.school, meeting.committee),
        },
    )


# --- Portal ---------------------------------------------------------------------------------


def portal_committee_list(request):
    """The committees of the guardian's children's classes and the
    school's: names and roles of the members sitting today, nothing else."""
    policies.require_guardian(request.user, request.school)
    committees = list(selectors.portal_committee_list(request.user, request.school, today=timezone.localdate()))
    return render(request, "home_school/committee/portal_committee_list.html", {"committees": committees})


def portal_committee_detail(request, pk):
    committee = policies.get_portal_committee_for(request.user, request.school, pk)
    members = list(
        selectors.current_members(timezone.localdate())
        .filter(committee=committee)
        .only("pk", "committee_id", "role", "start_date", "guardian__id", "guardian__name")
    )
    return render(request, "home_school/committee/portal_committee_detail.html", {"committee": committee, "members": members})


urls = [
    path("home-school/committee/", committee_list, name="committee_list"),
    path("home-school/committee/set-up/", committee_set_up, name="committee_set_up"),
    path("home-school/committee/<int:pk>/", committee_detail, name="committee_detail"),
    path("home-school/committee/<int:pk>/members/add/", committee_member_add, name="committee_member_add"),
    path("home-school/committee/members/<int:pk>/end/", committee_member_end, name="committee_member_end"),
    path("home-school/committee/<int:pk>/meetings/new/", committee_meeting_new, name="committee_meeting_new"),
    path("home-school/committee/meetings/<int:pk>/", committee_meeting_detail, name="committee_meeting_detail"),
    path("home-school/committee/meetings/<int:pk>/edit/", committee_meeting_edit, name="committee_meeting_edit"),
    path("portal/committee/", portal_committee_list, name="portal_committee_list"),
    path("portal/committee/<int:pk>/", portal_committee_detail, name="portal_committee_detail"),
]
