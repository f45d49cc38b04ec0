"""Parent meetings: the staff pages under /home-school/meetings/ and the
guardian's pages under /portal/meetings/.

Every view fetches its meeting through a policy (policies.meetings): 404
out of reach, 403 for people who see it but may not act. Posts redirect
back with a message; a ValidationError from a service is shown as its
message. The attendance tap answers htmx with the family's card.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from classes.policies import require_staff
from classes.selectors import current_term
from core.feedback import attempt, attempt_on_form, errors_text, form_errors_text, form_refused
from core.idempotency import exactly_once

from ..forms.meetings import (
    AgendaItemForm,
    AttendanceMarkForm,
    FollowUpDoneForm,
    FollowUpForm,
    MeetingForm,
    MinutesForm,
    ProposalDecisionForm,
    ProposalForm,
    ReplyForm,
)
from ..models import MeetingReply
from ..policies import meetings as policies
from ..selectors import meetings as selectors
from ..selectors.visits import school_staff
from ..services import meetings as services

# --- Staff pages ----------------------------------------------------------------------


def meeting_list(request):
    """The term's meetings in reach: upcoming first, then past. One query
    for the list whatever the number of meetings."""
    require_staff(request.user, request.school)
    term = current_term(request.school)
    rows = list(selectors.meeting_rows_for(request.user, request.school, term))
    now = timezone.now()
    return render(
        request,
        "home_school/meetings/meeting_list.html",
        {
            "term": term,
            "upcoming": [m for m in rows if m.starts_at >= now],
            "past": [m for m in reversed(rows) if m.starts_at < now],
            "can_schedule": policies.can_schedule_meetings(request.user, request.school),
        },
    )


@exactly_once
def meeting_create(request):
    policies.require_scheduler(request.user, request.school)
    term = current_term(request.school)
    office = policies.is_meeting_office(request.user, request.school)
    form = MeetingForm(
        request.POST or None,
        classes=policies.schedulable_classes(request.user, request.school, term),
        grades=policies.schedulable_grades(request.user, request.school, term) if office else None,
        school=request.school,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        outcome = attempt_on_form(
            request,
            form,
            services.meeting_schedule,
            actor=request.user,
            school=request.school,
            term=term,
            title=data["title"],
            starts_at=data["starts_at"],
            place=data["place"],
            online_link=data["online_link"],
            description=data["description"],
            topics_close_at=data["topics_close_at"],
            school_class=data.get("school_class"),
            grade=data.get("grade"),
            success=_("The meeting is scheduled; the families are told in their inbox."),
        )
        if outcome.ok:
            return redirect("home_school:meeting_detail", pk=outcome.value.pk)
    return render(request, "home_school/meetings/meeting_form.html", {"form": form, "term": term})


def meeting_detail(request, pk):
    """Agenda, topics to decide, replies, attendance, minutes and follow-ups."""
    meeting = policies.get_meeting_for(request.user, request.school, pk)
    can_manage = policies.can_manage_meeting(request.user, request.school, meeting)
    context = {
        "meeting": meeting,
        "can_manage": can_manage,
        "can_take_attendance": bool(policies.attendance_class_ids(request.user, request.school, meeting)),
        "has_started": meeting.has_started(),
        "agenda": list(selectors.agenda_of(meeting)),
        "counts": selectors.reply_counts(meeting),
        "follow_ups": list(selectors.follow_ups_of(meeting)),
    }
    if can_manage:
        context.update(
            pending=list(selectors.pending_proposals(meeting)),
            decided=list(selectors.decided_proposals(meeting)),
            agenda_form=AgendaItemForm(),
            minutes_form=MinutesForm(initial={"minutes": meeting.minutes}),
            follow_up_form=FollowUpForm(owners=school_staff(request.school), school=request.school, initial={"owner": request.user.pk}),
        )
    return render(request, "home_school/meetings/meeting_detail.html", context)


@require_POST
@exactly_once
def meeting_agenda_add(request, pk):
    meeting = policies.get_meeting_for_managing(request.user, request.school, pk)
    form = AgendaItemForm(request.POST)
    if form.is_valid():
        services.agenda_item_add(actor=request.user, meeting=meeting, title=form.cleaned_data["title"])
        messages.success(request, _("Added to the agenda."))
    else:
        form_refused(request, form)
    return redirect("home_school:meeting_detail", pk=meeting.pk)


@require_POST
@exactly_once
def meeting_proposal_decide(request, pk):
    proposal = policies.get_proposal_for_deciding(request.user, request.school, pk)
    form = ProposalDecisionForm(request.POST)
    if not form.is_valid():
        form_refused(request, form)
    else:
        accept = form.cleaned_data["decision"] == ProposalDecisionForm.ACCEPT
        if proposal.status != proposal.Status.PENDING:
            messages.info(request, _("This topic was decided already."))
        elif not services.proposal_decide(actor=request.user, proposal=proposal, accept=accept, title=form.cleaned_data["title"]):
            messages.info(request, _("This topic was decided already."))
        elif accept:
            messages.success(request, _("The topic is on the agenda, credited as the family asked."))
        else:
            messages.info(request, _("The topic is not on the agenda; the family is told."))
    return redirect("home_school:meeting_detail", pk=proposal.meeting_id)


def meeting_attendance(request, pk):
    """The tap list: one card per family of the classes the person marks.
    Four queries for the families whatever their number."""
    meeting, class_ids = policies.get_meeting_for_attendance(request.user, request.school, pk)
    families = selectors.attendance_families(meeting, class_ids)
    return render(
        request,
        "home_school/meetings/meeting_attendance.html",
        {
            "meeting": meeting,
            "families": families,
            "present": sum(1 for f in families if f["present"]),
            "is_open": timezone.localdate() >= timezone.localtime(meeting.starts_at).date(),
            "show_class": meeting.is_grade_meeting,
        },
    )


@require_POST
@exactly_once
def meeting_attendance_mark(request, pk):
    meeting, class_ids = policies.get_meeting_for_attendance(request.user, request.school, pk)
    form = AttendanceMarkForm(request.POST)
    error = None
    student = None
    if form.is_valid():
        enrollment = (
            selectors.scope_enrollments(meeting)
            .filter(student_id=form.cleaned_data["student"], school_class_id__in=class_ids)
            .select_related("student")
            .first()
        )
        if enrollment is None:
            error = _("This family is not on your list for the meeting.")
        else:
            student = enrollment.student
            try:
                services.attendance_mark(
                    actor=request.user, meeting=meeting, student=student, present=form.cleaned_data["present"], class_ids=class_ids
                )
            except ValidationError as e:
                error = errors_text(e)
    else:
        error = form_errors_text(form)
    if not request.htmx:
        if error:
            messages.error(request, error)
        return redirect("home_school:meeting_attendance", pk=meeting.pk)
    if student is None:
        return render(request, "home_school/meetings/_attendance_error.html", {"error": error})
    # The card answers the tap (with the refusal inside when there is one), so htmx swaps it either way.
    return render(
        request,
        "home_school/meetings/_attendance_family.html",
        {
            "meeting": meeting,
            "family": selectors.attendance_family(meeting, student),
            "is_open": timezone.localdate() >= timezone.localtime(meeting.starts_at).date(),
            "show_class": meeting.is_grade_meeting,
            "error": error,
            "oob": True,
            "present": selectors.present_count(meeting, class_ids),
        },
    )


@require_POST
@exactly_once
def meeting_minutes(request, pk):
    meeting = policies.get_meeting_for_managing(request.user, request.school, pk)
    form = MinutesForm(request.POST)
    if form.is_valid():
        attempt(request, services.minutes_save, actor=request.user, meeting=meeting, minutes=form.cleaned_data["minutes"], success=_("Minutes saved."))
    else:
        form_refused(request, form)
    return redirect("home_school:meeting_detail", pk=meeting.pk)


@require_POST
@exactly_once
def meeting_followup_add(request, pk):
    meeting = policies.get_meeting_for_managing(request.user, request.school, pk)
    form = FollowUpForm(request.POST, owners=school_staff(request.school), school=request.school)
    if form.is_valid():
        attempt(request, services.follow_up_add, actor=request.user, meeting=meeting, **form.cleaned_data, success=_("Follow-up action added."))
    else:
        form_refused(request, form)
    return redirect("home_school:meeting_detail", pk=meeting.pk)


@require_POST
@exactly_once
def meeting_followup_done(request, pk):
    action = policies.get_follow_up_for_managing(request.user, request.school, pk)
    form = FollowUpDoneForm(request.POST)
    form.is_valid()
    services.follow_up_set_done(actor=request.user, action=action, done=form.cleaned_data.get("done", False))
    return redirect("home_school:meeting_detail", pk=action.meeting_id)


# --- The portal ------------------------------------------------------------------------


def portal_meetings(request):
    """The guardian's children's meetings this school year, with the
    family's replies. Two queries whatever the number of meetings."""
    policies.require_guardian(request.user, request.school)
    meetings = selectors.guardian_meetings_with_answers(request.user, request.school, term=current_term(request.school))
    now = timezone.now()
    return render(
        request,
        "home_school/meetings/portal_meetings.html",
        {
            "upcoming": [m for m in meetings if m.starts_at >= now],
            "past": [m for m in reversed(meetings) if m.starts_at < now],
        },
    )


def _portal_meeting_page(request, meeting, proposal_form=None, status=200):
    children = list(selectors.meeting_children(request.user, meeting))
    replies = selectors.family_replies(meeting, children)
    for child in children:
        child.reply = replies.get(child.pk)
    topics_open = meeting.topics_open()
    if proposal_form is None and topics_open:
        proposal_form = ProposalForm(children=children)
    if proposal_form is not None:
        proposal_form.helper.form_action = reverse("home_school:portal_meeting_propose", args=[meeting.pk])
    return render(
        request,
        "home_school/meetings/portal_meeting.html",
        {
            "meeting": meeting,
            "children": children,
            "agenda": list(selectors.agenda_of(meeting)),
            "proposals": list(selectors.family_proposals(request.user, meeting)),
            "proposal_form": proposal_form if topics_open else None,
            "has_started": meeting.has_started(),
            "answers": MeetingReply.Answer,
        },
        status=status,
    )


def portal_meeting(request, pk):
    meeting = policies.get_meeting_for_guardian(request.user, request.school, pk)
    return _portal_meeting_page(request, meeting)


@require_POST
@exactly_once
def portal_meeting_reply(request, pk):
    meeting = policies.get_meeting_for_guardian(request.user, request.school, pk)
    children = {c.pk: c for c in selectors.meeting_children(request.user, meeting)}
    form = ReplyForm(request.POST, children=children.values())
    if form.is_valid():
        attempt(
            request,
            services.meeting_reply,
            actor=request.user,
            meeting=meeting,
            student=children[form.cleaned_data["student"]],
            answer=form.cleaned_data["answer"],
            success=lambda reply: _("Thank you: “%(answer)s” is noted.") % {"answer": reply.get_answer_display()},
        )
    else:
        form_refused(request, form)
    return redirect("home_school:portal_meeting", pk=meeting.pk)


@require_POST
@exactly_once
def portal_meeting_propose(request, pk):
    meeting = policies.get_meeting_for_guardian(request.user, request.school, pk)
    children = {c.pk: c for c in selectors.meeting_children(request.user, meeting)}
    form = ProposalForm(request.POST, children=children.values())
    if form.is_valid():
        data = form.cleaned_data
        outcome = attempt_on_form(
            request,
            form,
            services.topic_propose,
            actor=request.user,
            meeting=meeting,
            student=children[data["student"]],
            topic=data["topic"],
            details=data["details"],
            anonymous=data["anonymous"],
            success=_("Thank you. The head teacher reads every topic before the meeting."),
        )
        if outcome.ok:
            return redirect("home_school:portal_meeting", pk=meeting.pk)
    return _portal_meeting_page(request, meeting, proposal_form=form, status=422)


urls = [
    path("home-school/meetings/", meeting_list, name="meeting_list"),
    path("home-school/meetings/new/", meeting_create, name="meeting_create"),
    path("home-school/meetings/<int:pk>/", meeting_detail, name="meeting_detail"),
    path("home-school/meetings/<int:pk>/agenda/", meeting_agenda_add, name="meeting_agenda_add"),
    path("home-school/meetings/<int:pk>/attendance/", meeting_attendance, name="meeting_attendance"),
    path("home-school/meetings/<int:pk>/attendance/mark/", meeting_attendance_mark, name="meeting_attendance_mark"),
    path("home-school/meetings/<int:pk>/minutes/", meeting_minutes, name="meeting_minutes"),
    path("home-school/meetings/<int:pk>/follow-ups/", meeting_followup_add, name="meeting_followup_add"),
    path("home-school/meetings/topics/<int:pk>/decide/", meeting_proposal_decide, name="meeting_proposal_decide"),
    path("home-school/meetings/follow-ups/<int:pk>/done/", meeting_followup_done, name="meeting_followup_done"),
    path("portal/meetings/", portal_meetings, name="portal_meetings"),
    path("portal/meetings/<int:pk>/", portal_meeting, name="portal_meeting"),
    path("portal/meetings/<int:pk>/reply/", portal_meeting_reply, name="portal_meeting_reply"),
    path("portal/meetings/<int:pk>/topics/", portal_meeting_propose, name="portal_meeting_propose"),
]
