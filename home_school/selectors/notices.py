"""Reads of notices and receipts, scoped to the person asking.

Staff: head teachers see the notices they wrote; the moral-education office
sees every notice of the school. Guardians see the sent notices that reached
their own children, with only their own children's receipts.
"""

from django.db.models import Count, Prefetch, Q

from accounts import roles
from accounts.roles import holds
from classes.models import Grade, SchoolClass
from classes.selectors import current_term, head_teacher_class_ids
from students.selectors import children_ids

from ..models.notices import Notice, NoticeClass, NoticeReceipt, ReceiptType


def pending_q(receipt_type: str) -> Q:
    """Receipts still waiting for the answer this receipt type asks for.
    Used by the reminder job and the author's tallies alike."""
    if receipt_type == ReceiptType.READ:
        return Q(read_at__isnull=True)
    if receipt_type == ReceiptType.CONFIRM:
        return Q(confirmed_at__isnull=True)
    if receipt_type == ReceiptType.REPLY:
        return Q(replied_at__isnull=True)
    return Q(pk__in=[])


def is_pending(receipt, receipt_type: str) -> bool:
    """pending_q for a receipt already in memory."""
    field = {ReceiptType.READ: "read_at", ReceiptType.CONFIRM: "confirmed_at", ReceiptType.REPLY: "replied_at"}.get(receipt_type)
    return field is not None and getattr(receipt, field) is None


# --- Staff --------------------------------------------------------------------------


def is_notice_office(user, school) -> bool:
    return holds(user, school, roles.OFFICE)


def can_write_notices(user, school) -> bool:
    return holds(user, school, roles.NOTICE_WRITERS)


def addressable_classes(user, school):
    """The classes `user` may address: every class of the current school
    year for the office, their own classes (as head teacher, this term)
    for a head teacher, none for anyone else."""
    term = current_term(school)
    if term is None or not can_write_notices(user, school):
        return SchoolClass.objects.none()
    qs = SchoolClass.objects.filter(school=school, school_year_id=term.school_year_id)
    if not is_notice_office(user, school):
        qs = qs.filter(pk__in=head_teacher_class_ids(user, school, term))
    return qs.select_related("grade").order_by("grade__level", "number")


def addressable_grades(user, school):
    """Grades (and the whole school) are for the office only."""
    if not is_notice_office(user, school):
        return Grade.objects.none()
    return Grade.objects.filter(school=school).order_by("level")


def notice_list_for(user, school):
    """Notices `user` may see on the staff pages: all of the school's for
    the office, their own for a head teacher, none for anyone else."""
    if school is None:
        return Notice.objects.none()
    qs = Notice.objects.filter(school=school)
    if not is_notice_office(user, school):
        if not holds(user, school, roles.HEAD_TEACHERS):
            return Notice.objects.none()
        qs = qs.filter(author=user)
    return qs.select_related("author", "grade")


def notice_list_with_counts(user, school):
    """The staff list: each notice with its receipt counts, one query."""
    return (
        notice_list_for(user, school)
        .annotate(
            receipt_count=Count("receipts"),
            read_count=Count("receipts", filter=Q(receipts__read_at__isnull=False)),
            confirmed_count=Count("receipts", filter=Q(receipts__confirmed_at__isnull=False)),
            replied_count=Count("receipts", filter=Q(receipts__replied_at__isnull=False)),
        )
        .order_by("-created_at", "-id")
    )


def with_addressed_classes(notices) -> list[Notice]:
    """The notices, each with `addressed`: the NoticeClass rows of the
    classes it went to (with the class), in grade and class order. One
    query whatever the number of notices."""
    notices = list(notices)
    by_notice = {}
    for nc in (
        NoticeClass.objects.filter(notice__in=[n.pk for n in notices])
        .select_related("school_class")
        .order_by("school_class__grade__level", "school_class__number")
    ):
        by_notice.setdefault(nc.notice_id, []).append(nc)
    for n in notices:
        n.addressed = by_notice.get(n.pk, [])
    return notices


def notice_receipts(notice):
    """A notice's receipts by class and student number, with everyone
    named on them: one query whatever the number of receipts."""
    return (
        NoticeReceipt.objects.filter(notice=notice)
        .select_related("student", "school_class", "school_class__grade", "read_by", "confirmed_by", "replied_by")
        .order_by("school_class__grade__level", "school_class__number", "student__student_number", "pk")
    )


def receipt_tally(notice, receipts) -> dict:
    """Counts for the top of the author's page and per class, from the
    receipts already loaded (no query). Each receipt gets `reply_label`
    and `pending`."""
    choices = list(notice.choices or [])

    def empty():
        return {"sent": 0, "read": 0, "confirmed": 0, "replied": 0, "waiting": 0, "per_choice": [0] * len(choices)}

    total = empty()
    classes = {}
    for r in receipts:
        r.reply_label = notice.choice_label(r.reply_choice)
        r.pending = is_pending(r, notice.receipt_type)
        group = classes.setdefault(r.school_class_id, {"school_class": r.school_class, "receipts": [], "tally": empty()})
        group["receipts"].append(r)
        for tally in (total, group["tally"]):
            tally["sent"] += 1
            tally["read"] += r.read_at is not None
            tally["confirmed"] += r.confirmed_at is not None
            tally["replied"] += r.replied_at is not None
            tally["waiting"] += r.pending
            if r.reply_choice is not None and r.reply_choice < len(choices):
                tally["per_choice"][r.reply_choice] += 1
    for tally in [total] + [g["tally"] for g in classes.values()]:
        tally["choices"] = list(zip(choices, tally["per_choice"], strict=True))
    return {"total": total, "classes": list(classes.values())}


# --- Guardians ----------------------------------------------------------------------


def portal_notice_list_for(user, school):
    """Sent notices that reached the guardian's children, newest first;
    each carries `my_receipts` (this guardian's children only, with the
    student). Two queries whatever the number of notices or children."""
    if school is None or not holds(user, school, roles.GUARDIANS):
        return Notice.objects.none()
    children = children_ids(user, school)
    mine = (
        NoticeReceipt.objects.filter(school=school, student__in=children)
        .select_related("student")
        .order_by("student__name", "student_id")
    )
    return (
        Notice.objects.filter(
            school=school,
            sent_at__isnull=False,
            pk__in=NoticeReceipt.objects.filter(school=school, student__in=children).values("notice_id"),
        )
        .select_related("author")
        .prefetch_related(Prefetch("receipts", queryset=mine, to_attr="my_receipts"))
        .order_by("-sent_at", "-id")
    )


def portal_unread_count(user, school) -> int:
    """Notices with a receipt of the guardian's children not read yet (one COUNT)."""
    if school is None or not holds(user, school, roles.GUARDIANS):
        return 0
    return (
        NoticeReceipt.objects.filter(school=school, student__in=children_ids(user, school), read_at__isnull=True)
        .values("notice_id")
        .distinct()
        .count()
    )
