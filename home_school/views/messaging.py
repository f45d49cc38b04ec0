"""Messages between school and family.

Staff pages under /home-school/messages/ (head and subject teachers), the
guardian's under /portal/messages/. A conversation has one id and two
addresses: each member is sent to the page of their side (the teacher to
the staff page, a guardian to the portal), and anyone else gets 404 from
both.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from core.forms import ID_MAX
from core.idempotency import exactly_once
from students.selectors import guardianships_of

from ..forms.messaging import MessageForm, OfficeHoursFormSet, StudentSearchForm
from ..policies import messaging as policies
from ..selectors import messaging as selectors
from ..services import messaging as services
from ..templatetags.home_school_messaging import answer_time

CONVERSATIONS_PER_PAGE = 20


def _sent_message(request, expected):
    """Right after a guardian sends outside the teacher's office hours,
    say when to expect an answer."""
    if expected is None:
        messages.success(request, _("Your message was sent."))
    else:
        messages.info(
            request,
            _("Your message was sent. The teacher answers during office hours: expect an answer from %(when)s.")
            % {"when": answer_time(expected)},
        )


# --- Staff ---------------------------------------------------------------------------


def conversation_list(request):
    """The teacher's conversations, unread first, and a picker to start
    one about any student they teach."""
    policies.require_teacher(request.user, request.school)
    search = StudentSearchForm(request.GET)
    # NUL cannot reach PostgreSQL (it would be a 500): dropped like the surrounding spaces.
    query = search.data.get("q", "").replace("\x00", "").strip()[:50]
    found = selectors.student_search(request.user, request.school, query)
    page = Paginator(selectors.conversation_list_for_teacher(request.user, request.school), CONVERSATIONS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "home_school/messaging/conversation_list.html",
        {"page": page, "search": search, "query": query, "found": found},
    )


@exactly_once
def conversation_start(request, student_pk):
    """Write the first message to a student's guardians. Opened when the
    conversation exists already, the page leads to it; a message sent from
    a page opened before (two teachers' tabs, a slow phone) joins it."""
    student = policies.get_student_for_messaging(request.user, request.school, student_pk)
    if request.method != "POST":
        existing = selectors.existing_conversation(student, request.user)
        if existing is not None:
            return redirect("home_school:conversation_detail", pk=existing.pk)
    form = MessageForm()
    if request.method == "POST":
        form = MessageForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                conversation, _message = services.conversation_start(
                    school=request.school,
                    student=student,
                    teacher=request.user,
                    started_by=request.user,
                    body=form.cleaned_data["body"],
                    files=form.files_for_service(),
                )
            except ValidationError as e:
                form.add_error(None, e)
            else:
                messages.success(request, _("Your message was sent."))
                return redirect("home_school:conversation_detail", pk=conversation.pk)
    return render(
        request,
        "home_school/messaging/conversation_start.html",
        {"student": student, "guardianships": list(guardianships_of(student)), "form": form},
    )


def _conversation_page(request, pk, *, side):
    conversation = policies.get_conversation_for(request.user, request.school, pk)
    if conversation.my_role != side:
        name = (
            "home_school:conversation_detail" if conversation.my_role == policies.TEACHER else "home_school:portal_conversation"
        )
        return redirect(name, pk=conversation.pk)
    school = request.school
    can_post = policies.can_post(request.user, school, conversation)
    office_hours = list(selectors.office_hours_of(conversation.teacher, school))
    expected = selectors.next_office_hours_start(office_hours, timezone.now())
    form = MessageForm()
    if request.method == "POST":
        if not can_post:
            raise PermissionDenied
        form = MessageForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.message_send(
                    school=school,
                    conversation=conversation,
                    author=request.user,
                    body=form.cleaned_data["body"],
                    files=form.files_for_service(),
                )
            except ValidationError as e:
                form.add_error(None, e)
            else:
                _sent_message(request, expected if side == policies.GUARDIAN else None)
                return redirect(request.path)
    try:
        before = int(request.GET.get("before", ""))
    except ValueError:
        before = None
    if before is not None and not 0 < before <= ID_MAX:
        before = None
    thread, has_earlier = selectors.conversation_messages(conversation, school, before=before)
    members = selectors.conversation_members(conversation, school)
    reads = selectors.read_positions(conversation)
    if thread and before is None and reads.get(request.user.pk, 0) < thread[-1].pk:
        services.conversation_mark_read(school=school, conversation=conversation, user=request.user, message_id=thread[-1].pk)
        reads[request.user.pk] = thread[-1].pk
    selectors.attach_read_receipts(thread, members, reads)
    template = (
        "home_school/messaging/conversation_detail.html"
        if side == policies.TEACHER
        else "home_school/messaging/portal_conversation.html"
    )
    return render(
        request,
        template,
        {
            "conversation": conversation,
            "thread": thread,
            "has_earlier": has_earlier,
            "earliest_id": thread[0].pk if thread else None,
            "members": members,
            "guardian_names": [name for user_id, name in members if user_id != conversation.teacher_id],
            "can_post": can_post,
            "form": form,
            "office_hours": office_hours,
            "expected": expected,
        },
    )


@exactly_once
def conversation_detail(request, pk):
    return _conversation_page(request, pk, side=policies.TEACHER)


def attachment_download(request, pk):
    """An attachment's bytes, to members of its conversation only (404 for
    anyone else). Always a download, with the type checked at upload, so a
    browser neither sniffs nor renders it as a page."""
    attachment = policies.get_attachment_for(request.user, request.school, pk)
    data = selectors.attachment_bytes(attachment)
    response = HttpResponse(data, content_type=attachment.content_type)
    response["Content-Disposition"] = content_disposition_header(True, attachment.file_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    response["Content-Length"] = str(len(data))
    return response


@exactly_once
def office_hours(request):
    """The teacher's own office hours: weekday and time spans."""
    policies.require_teacher(request.user, request.school)
    rows = selectors.office_hours_of(request.user, request.school)
    initial = [{"weekday": r.weekday, "start_time": r.start_time, "end_time": r.end_time} for r in rows]
    formset = OfficeHoursFormSet(initial=initial)
    error = None
    if request.method == "POST":
        formset = OfficeHoursFormSet(request.POST, initial=initial)
        if formset.is_valid():
            spans = [f.span for f in formset.forms if f.span]
            try:
                services.office_hours_set(school=request.school, teacher=request.user, spans=spans)
            except ValidationError as e:
                error = " ".join(e.messages)
            else:
                messages.success(request, _("Your office hours were saved."))
                return redirect("home_school:office_hours")
    return render(request, "home_school/messaging/office_hours.html", {"formset": formset, "error": error})


# --- Portal ----------------------------------------------------------------------------


def portal_messages(request):
    """The guardian's conversations about all their children, and a way to
    write to each child's head teacher."""
    policies.require_guardian(request.user, request.school)
    page = Paginator(selectors.conversation_list_for_guardian(request.user, request.school), CONVERSATIONS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    children = selectors.children_with_head_teachers(request.user, request.school)
    return render(request, "home_school/messaging/portal_messages.html", {"page": page, "children": children})


@exactly_once
def portal_conversation_start(request, student_pk):
    """A guardian writes to their child's head teacher. When the
    conversation exists already (the other parent wrote first, or this
    page was opened before it did), the page leads to it and a message
    sent from here joins it, attachments and all."""
    child = policies.get_child_for_messaging(request.user, request.school, student_pk)
    head = selectors.head_teachers_of([child], request.school).get(child.pk)
    if head is not None and not policies.teacher_reaches_student(head, request.school, child.pk):
        head = None  # assigned, but no longer holds the head-teacher role
    if head is not None and request.method != "POST":
        existing = selectors.existing_conversation(child, head)
        if existing is not None:
            return redirect("home_school:portal_conversation", pk=existing.pk)
    expected = selectors.answer_expected_at(head, request.school) if head else None
    form = MessageForm()
    if request.method == "POST" and head is not None:
        form = MessageForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                conversation, _message = services.conversation_start(
                    school=request.school,
                    student=child,
                    teacher=head,
                    started_by=request.user,
                    body=form.cleaned_data["body"],
                    files=form.files_for_service(),
                )
            except ValidationError as e:
                form.add_error(None, e)
            else:
                _sent_message(request, expected)
                return redirect("home_school:portal_conversation", pk=conversation.pk)
    return render(
        request,
        "home_school/messaging/portal_conversation_start.html",
        {
            "child": child,
            "head_teacher": head,
            "form": form,
            "expected": expected,
            "office_hours": list(selectors.office_hours_of(head, request.school)) if head else [],
        },
    )


@exactly_once
def portal_conversation(request, pk):
    return _conversation_page(request, pk, side=policies.GUARDIAN)


urls = [
    path("home-school/messages/", conversation_list, name="conversation_list"),
    path("home-school/messages/new/<int:student_pk>/", conversation_start, name="conversation_start"),
    path("home-school/messages/office-hours/", office_hours, name="office_hours"),
    path("home-school/messages/<int:pk>/", conversation_detail, name="conversation_detail"),
    path("home-school/attachments/<int:pk>/", attachment_download, name="attachment_download"),
    path("portal/messages/", portal_messages, name="portal_messages"),
    path("portal/messages/new/<int:student_pk>/", portal_conversation_start, name="portal_conversation_start"),
    path("portal/messages/<int:pk>/", portal_conversation, name="portal_conversation"),
]
