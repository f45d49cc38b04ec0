"""Notices (通知 / 致家长一封信) and receipts (回执).

Staff pages under /home-school/notices/ for head teachers and the office;
the guardian's pages under /portal/notices/ (mobile first). Every notice
comes through home_school.policies.notices (403 for the wrong kind of
person, 404 for a notice out of reach).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from core.exports import xlsx_response
from core.feedback import attempt
from core.idempotency import exactly_once

from ..forms.notices import NoticeAnswerForm, NoticeForm
from ..models.notices import NoticeScope, ReceiptType
from ..policies import notices as policies
from ..selectors import notices as selectors
from ..services import notices as services


def _addressed(notice) -> str:
    """Who a notice is addressed to, as the author reads it."""
    if notice.scope == NoticeScope.SCHOOL:
        return _("the whole school")
    if notice.scope == NoticeScope.GRADE:
        return str(notice.grade)
    return "、".join(nc.school_class.name for nc in getattr(notice, "addressed", []))


def _with_addressed(notices):
    """Attach the addressed classes to each notice (one query) and the label."""
    notices = selectors.with_addressed_classes(notices)
    for n in notices:
        n.addressed_label = _addressed(n)
    return notices


# --- Staff -----------------------------------------------------------------------------


def notice_list(request):
    """The author's notices (the office: every notice of the school), newest
    first, with receipt counts. Three queries whatever the number of rows."""
    policies.require_notice_writer(request.user, request.school)
    page = Paginator(selectors.notice_list_with_counts(request.user, request.school), 30).get_page(request.GET.get("page"))
    notices = _with_addressed(page.object_list)
    return render(request, "home_school/notices/notice_list.html", {"page": page, "notices": notices})


def _add_service_error(form, error: ValidationError):
    """Show a service's refusal on its field when the form has that field."""
    if hasattr(error, "error_dict") and set(error.error_dict) <= set(form.fields):
        form.add_error(None, error)
    else:
        form.add_error(None, error.messages)


@exactly_once
def notice_create(request):
    policies.require_notice_writer(request.user, request.school)
    form = NoticeForm(
        request.POST or None,
        classes=selectors.addressable_classes(request.user, request.school),
        grades=selectors.addressable_grades(request.user, request.school),
        school=request.school,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            notice = services.notice_create(
                author=request.user,
                school=request.school,
                title=data["title"],
                body=data["body"],
                scope=data["scope"],
                classes=data.get("classes") or [],
                grade=data.get("grade"),
                receipt_type=data["receipt_type"],
                choices=data["choices"],
                reply_deadline=data.get("reply_deadline"),
                remind_after_hours=data.get("remind_after_hours"),
                scheduled_for=data.get("scheduled_for"),
                send_now=data["send_mode"] == NoticeForm.NOW,
            )
        except ValidationError as e:
            _add_service_error(form, e)
        else:
            if notice.is_sent:
                count = notice.receipts.count()
                messages.success(
                    request,
                    ngettext(
                        "The notice is sent to the guardians of %(n)s student.",
                        "The notice is sent to the guardians of %(n)s students.",
                        count,
                    )
                    % {"n": count},
                )
            elif notice.scheduled_for:
                messages.success(
                    request,
                    _("The notice will be sent at %(time)s.")
                    % {"time": timezone.localtime(notice.scheduled_for).strftime("%Y-%m-%d %H:%M")},
                )
            else:
                messages.success(request, _("The notice is saved as a draft."))
            return redirect("home_school:notice_detail", pk=notice.pk)
    return render(request, "home_school/notices/notice_form.html", {"form": form})


def notice_detail(request, pk):
    """The receipts of one notice, grouped by class, with counts at the top.
    A fixed number of queries whatever the number of students."""
    notice = policies.get_notice_for(request.user, request.school, pk)
    _with_addressed([notice])
    receipts = list(selectors.notice_receipts(notice)) if notice.is_sent else []
    return render(
        request,
        "home_school/notices/notice_detail.html",
        {
            "notice": notice,
            "tally": selectors.receipt_tally(notice, receipts),
            "can_send": notice.is_open and policies.can_send_notice(request.user, request.school, notice),
            "can_cancel": notice.is_open and policies.can_cancel_notice(request.user, request.school, notice),
            "types": ReceiptType,
        },
    )


def _when(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _who(user) -> str:
    return user.get_full_name() if user else ""


def notice_export(request, pk):
    """The receipt list as a spreadsheet; guardians' comments are text,
    never formulas (core.exports.xlsx_response)."""
    notice = policies.get_notice_for(request.user, request.school, pk)
    receipts = list(selectors.notice_receipts(notice))
    kind = notice.receipt_type
    header = [_("Class"), _("Student number"), _("Student"), _("Read"), _("Read by")]
    if kind == ReceiptType.CONFIRM:
        header += [_("Confirmed"), _("Confirmed by")]
    if kind == ReceiptType.REPLY:
        header += [_("Answer"), _("Comment"), _("Answered"), _("Answered by")]
    header += [_("Reminded")]
    rows = []
    for r in receipts:
        row = [r.school_class.name, r.student.student_number, r.student.name, _when(r.read_at), _who(r.read_by)]
        if kind == ReceiptType.CONFIRM:
            row += [_when(r.confirmed_at), _who(r.confirmed_by)]
        if kind == ReceiptType.REPLY:
            row += [notice.choice_label(r.reply_choice), r.reply_comment, _when(r.replied_at), _who(r.replied_by)]
        row += [_when(r.reminded_at)]
        rows.append(row)
    return xlsx_response(f"notice-{notice.pk}-receipts.xlsx", notice.title, header, rows)


@require_POST
@exactly_once
def notice_send(request, pk):
    """Send a draft (or a scheduled notice) now: its author only."""
    notice = policies.get_notice_for_sending(request.user, request.school, pk)
    outcome = attempt(request, services.notice_send, notice_id=notice.pk, actor=request.user)
    if outcome.ok:
        count = outcome.value
        if count is None:
            messages.info(request, _("The notice was already sent or cancelled."))
        else:
            messages.success(
                request,
                ngettext(
                    "The notice is sent to the guardians of %(n)s student.",
                    "The notice is sent to the guardians of %(n)s students.",
                    count,
                )
                % {"n": count},
            )
    return redirect("home_school:notice_detail", pk=notice.pk)


@require_POST
@exactly_once
def notice_cancel(request, pk):
    """Cancel a draft or scheduled notice before it goes: its author or the office."""
    notice = policies.get_notice_for_cancelling(request.user, request.school, pk)
    if services.notice_cancel(notice=notice, actor=request.user):
        messages.success(request, _("The notice is cancelled; nobody receives it."))
    else:
        messages.info(request, _("The notice was already sent or cancelled."))
    return redirect("home_school:notice_detail", pk=notice.pk)


# --- Guardians --------------------------------------------------------------------------


def portal_notices(request):
    """Notices for the guardian's children, newest first, unread marked,
    each naming the child. A fixed number of queries."""
    policies.require_guardian(request.user, request.school)
    page = Paginator(selectors.portal_notice_list_for(request.user, request.school), 20).get_page(request.GET.get("page"))
    notices = list(page.object_list)
    for n in notices:
        n.unread = any(r.read_at is None for r in n.my_receipts)
    return render(request, "home_school/notices/portal_notice_list.html", {"page": page, "notices": notices})


def _answer_form(notice, receipt, students, data=None):
    initial = {"student": receipt.student_id, "action": NoticeAnswerForm.REPLY}
    if receipt.reply_choice is not None:
        initial.update(choice=receipt.reply_choice, comment=receipt.reply_comment)
    return NoticeAnswerForm(
        data,
        notice=notice,
        students=students,
        initial=initial,
        auto_id=f"answer{receipt.student_id}_%s",
        submit_label=_("Change answer") if receipt.reply_choice is not None else _("Send answer"),
    )


@exactly_once
def portal_notice(request, pk):
    """One notice for the guardian. Opening it marks it read for their
    children it reached; each child is answered separately (confirm, or a
    reply with a choice), and any of the child's guardians may answer."""
    notice = policies.get_portal_notice_for(request.user, request.school, pk)
    receipts = notice.my_receipts
    students = [r.student for r in receipts]
    bound = None
    if request.method == "POST":
        form = NoticeAnswerForm(request.POST, notice=notice, students=students)
        if form.is_valid():
            data = form.cleaned_data
            student = next(s for s in students if s.pk == data["student"])
            if data["action"] == NoticeAnswerForm.CONFIRM:
                attempt(
                    request,
                    services.notice_confirm,
                    notice=notice,
                    user=request.user,
                    student=student,
                    success=_("Confirmed for %(name)s. Thank you!") % {"name": student.name},
                )
            else:
                attempt(
                    request,
                    services.notice_reply,
                    notice=notice,
                    user=request.user,
                    student=student,
                    choice=data["choice"],
                    comment=data["comment"],
                    success=_("Your answer for %(name)s is saved.") % {"name": student.name},
                )
            return redirect("home_school:portal_notice", pk=notice.pk)
        if "student" in form.errors or "action" in form.errors:
            messages.error(request, _("Answer for one of your children on this notice."))
        bound = form
    else:
        now = timezone.now()
        unread = [r.student_id for r in receipts if r.read_at is None]
        if unread:
            services.notice_mark_read(notice=notice, user=request.user, student_ids=unread)
            for r in receipts:
                if r.read_at is None:
                    r.read_at, r.read_by_id = now, request.user.pk
    closed = notice.deadline_passed()
    for r in receipts:
        r.reply_label = notice.choice_label(r.reply_choice)
        if notice.receipt_type == ReceiptType.REPLY and not closed:
            posted_here = bound is not None and str(r.student_id) == request.POST.get("student")
            r.form = bound if posted_here else _answer_form(notice, r, students)
    return render(
        request,
        "home_school/notices/portal_notice_detail.html",
        {"notice": notice, "receipts": receipts, "closed": closed, "types": ReceiptType},
        status=400 if bound is not None else 200,
    )


urls = [
    path("home-school/notices/", notice_list, name="notice_list"),
    path("home-school/notices/new/", notice_create, name="notice_create"),
    path("home-school/notices/<int:pk>/", notice_detail, name="notice_detail"),
    path("home-school/notices/<int:pk>/receipts.xlsx", notice_export, name="notice_export"),
    path("home-school/notices/<int:pk>/send/", notice_send, name="notice_send"),
    path("home-school/notices/<int:pk>/cancel/", notice_cancel, name="notice_cancel"),
    path("portal/notices/", portal_notices, name="portal_notices"),
    path("portal/notices/<int:pk>/", portal_notice, name="portal_notice"),
]
