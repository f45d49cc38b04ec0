"""Writes with a rule for term awards and practice records.

Callers (views, admin, tasks) check who may act with
moral_ed.policies.awards first; every function says which check. None
reads a request.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.services import audit_record
from classes.models import SchoolYear, TeachingAssignment, Term
from core.ledger import REASON_MAX_LENGTH, void
from core.uploads import attachment_check
from notifications.services import notify
from students.models import Enrollment

from ..models import (
    STUDENT_AWARDS,
    AwardKind,
    AwardStatus,
    PracticeEvidence,
    PracticeKind,
    PracticeRecord,
    TermAward,
)
from ..selectors import awards as selectors
from .inspections import lock_class_row

MAX_EVIDENCE = 5


# --- Proposals ---------------------------------------------------------------------------


def _veto_error(school_class, vetoes) -> ValidationError:
    reasons = "；".join(f"{v.occurred_on:%Y-%m-%d} {v.reason}" for v in vetoes)
    return ValidationError(
        _(
            "%(cls)s has a veto (一票否决) this term: %(reasons)s. A class with a veto cannot be outstanding class, "
            "whatever its points, unless the veto is voided."
        )
        % {"cls": school_class.name, "reasons": reasons},
        code="vetoed",
    )


def _duplicate_error(*, kind, school_class, student) -> ValidationError:
    label = AwardKind(kind).label
    if student is not None:
        message = _("%(name)s is already proposed as “%(award)s” this term.") % {"name": student.name, "award": label}
    elif kind == AwardKind.OUTSTANDING_CLASS:
        message = _("%(cls)s is already proposed as outstanding class this term.") % {"cls": school_class.name}
    else:
        message = _("The head teacher of %(cls)s is already proposed as outstanding head teacher this term.") % {"cls": school_class.name}
    return ValidationError(message, code="duplicate")


def _already_proposed(*, term, kind, school_class, student) -> bool:
    qs = TermAward.objects.filter(term=term, kind=kind)
    return (qs.filter(student=student) if student is not None else qs.filter(school_class=school_class)).exists()


@transaction.atomic
def award_propose(*, actor, term: Term, kind: str, school_class, reason: str, student=None) -> TermAward:
    """Propose a term award with a reason, keeping the figures it was made
    on in `basis`. Merit students and outstanding cadres: a current
    student of the class. Outstanding class: refused while the class has
    an unvoided veto in the term, whatever its points. Outstanding head
    teacher: the class's head teacher in the term.

    The caller checked permission: policies.awards.get_class_for_proposing
    (the class's head teacher) for the first three kinds, require_office
    for outstanding head teachers. Not idempotent, but a second proposal
    of the same subject is refused with a clear error (also when two
    arrive at once: the unique constraint's IntegrityError becomes that
    error). Writes an audit row."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give a reason for the proposal.")})
    if kind not in AwardKind.values:
        raise ValidationError(_("Unknown award."))
    if term.school_id != school_class.school_id or term.school_year_id != school_class.school_year_id:
        raise ValidationError(_("The class is not in this term's school year."))
    teacher = None
    if kind in STUDENT_AWARDS:
        if student is None:
            raise ValidationError({"student": _("Choose a student.")})
        candidates = {s.pk: s for s in selectors.award_candidates(school_class, term=term)}
        if student.pk not in candidates:
            raise ValidationError(_("%(name)s is not in %(cls)s.") % {"name": student.name, "cls": school_class.name})
        basis = {**selectors.student_basis(candidates[student.pk]), "class_size": len(candidates)}
    else:
        student = None
        standing = selectors.class_standing(school_class, term=term)
        if kind == AwardKind.OUTSTANDING_CLASS and standing["vetoes"]:
            raise _veto_error(school_class, standing["vetoes"])
        if kind == AwardKind.OUTSTANDING_HEAD_TEACHER:
            heads = selectors.head_teachers_of(term=term, class_ids=[school_class.pk]).get(school_class.pk)
            if not heads:
                raise ValidationError(_("%(cls)s has no head teacher this term.") % {"cls": school_class.name})
            teacher = heads[0]
        basis = selectors.class_basis(standing)
    if _already_proposed(term=term, kind=kind, school_class=school_class, student=student):
        raise _duplicate_error(kind=kind, school_class=school_class, student=student)
    award = TermAward(
        school_id=school_class.school_id,
        term=term,
        kind=kind,
        school_class=school_class,
        student=student,
        teacher=teacher,
        reason=reason[:300],
        basis={**basis, "term": term.pk},
        proposed_by=actor,
    )
    award.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            award.save()
    except IntegrityError:
        # Another proposal of the same subject was saved meanwhile
        # (termaward_once_per_student / termaward_once_per_class).
        raise _duplicate_error(kind=kind, school_class=school_class, student=student)
    audit_record(
        actor=actor,
        school=school_class.school,
        action="moral_ed.award.proposed",
        target=award,
        data={"kind": kind, "class": school_class.pk, "student": getattr(student, "pk", None), "teacher": getattr(teacher, "pk", None)},
    )
    return award


@transaction.atomic
def award_decide(*, actor, award: TermAward, approve: bool, note: str = "") -> TermAward:
    """The office approves or declines a waiting proposal (a note is
    required to decline; the head teacher reads it). An outstanding-class
    proposal is not approved while the class has an unvoided veto in the
    term, even one recorded after the proposal. The row is locked while
    deciding, so a double click or two officers decide it once (the
    second gets "decided already"). Writes an audit row and notifies the
    class's head teacher (and the proposed head teacher).

    The caller checked policies.awards.get_award_for_deciding (the office)."""
    note = (note or "").strip()
    locked = TermAward.objects.select_for_update(of=("self",)).select_related("school_class", "term", "student", "teacher").get(pk=award.pk)
    if locked.status != AwardStatus.PROPOSED:
        raise ValidationError(_("This proposal was decided already."), code="decided")
    if not approve and not note:
        raise ValidationError({"note": _("Say why the proposal is declined; the head teacher reads it.")})
    if approve and locked.kind == AwardKind.OUTSTANDING_CLASS:
        # The class row is the lock that veto_record also takes: a veto and
        # this approval happen one after the other, never across each other.
        lock_class_row(locked.school_class_id)
        vetoes = list(selectors.class_vetoes(term=locked.term, class_ids=[locked.school_class_id]))
        if vetoes:
            raise _veto_error(locked.school_class, vetoes)
    locked.status = AwardStatus.APPROVED if approve else AwardStatus.DECLINED
    locked.decided_by = actor
    locked.decided_at = timezone.now()
    locked.decision_note = note[:300]
    locked.full_clean(validate_unique=False, validate_constraints=False)
    locked.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    audit_record(
        actor=actor,
        school=locked.school_class.school,
        action=f"moral_ed.award.{locked.status}",
        target=locked,
        data={"kind": locked.kind, "note": locked.decision_note},
    )
    _notify_decision(locked)
    return locked


def award_subject(award: TermAward) -> str:
    """Who or what the award is for, as people read it."""
    if award.student_id:
        return f"{award.student.name}（{award.school_class.name}）"
    if award.teacher_id:
        return f"{award.teacher.get_full_name()}（{award.school_class.name}）"
    return award.school_class.name


def _notify_decision(award: TermAward):
    recipients = selectors.head_teachers_of(term=award.term, class_ids=[award.school_class_id]).get(award.school_class_id, [])
    if award.teacher_id:
        recipients = [*recipients, award.teacher]
    names = {"award": award.get_kind_display(), "subject": award_subject(award)}
    if award.status == AwardStatus.APPROVED:
        title = _("Approved: “%(award)s” for %(subject)s") % names
    else:
        title = _("Not approved: “%(award)s” for %(subject)s") % names
    notify(
        school=award.school_class.school,
        recipients=[u for u in recipients if u.is_active],
        kind="moral_ed.award_decided",
        title=title,
        body=award.decision_note,
        link=reverse("moral_ed:award_class", args=[award.school_class_id]),
        dedupe_key=f"moral_ed.award_decided:{award.pk}",
    )


@transaction.atomic
def award_withdraw(*, actor, award: TermAward) -> None:
    """The proposer takes back a proposal still waiting; the row goes (it
    was never a decision) and an audit row keeps what it was. The caller
    checked policies.awards.get_award_for_withdrawing."""
    deleted, _count = TermAward.objects.filter(pk=award.pk, status=AwardStatus.PROPOSED, proposed_by=actor).delete()
    if not deleted:
        raise ValidationError(_("Only a proposal still waiting for the office's decision can be withdrawn."))
    audit_record(
        actor=actor,
        school=award.school_class.school,
        action="moral_ed.award.withdrawn",
        target=award,
        data={"kind": award.kind, "class": award.school_class_id, "student": award.student_id, "reason": award.reason},
    )


# --- Practice records ------------------------------------------------------------------------


@transaction.atomic
def practice_record(
    *,
    actor,
    school,
    school_year: SchoolYear,
    student,
    kind: str,
    title: str,
    occurred_on: datetime.date,
    hours=None,
    description: str = "",
    files=(),
) -> PracticeRecord:
    """Record a student's social practice or community service in a school
    year, with up to MAX_EVIDENCE evidence files (name, bytes) checked by
    their content (core.uploads.attachment_check: JPEG,
    PNG, WebP re-encoded without metadata, or PDF; anything else, an empty
    or an oversized file is refused with the file's name). The record and
    its files are saved together or not at all.

    The caller checked policies.awards.get_student_for_practice. Not
    idempotent: each call is a record (void a wrong one)."""
    title = (title or "").strip()
    if kind not in PracticeKind.values:
        raise ValidationError({"kind": _("Choose social practice or community service.")})
    if not title:
        raise ValidationError({"title": _("Name the activity.")})
    if student.school_id != school.pk or school_year.school_id != school.pk:
        raise ValidationError(_("The student belongs to another school."))
    if not Enrollment.objects.filter(student=student, school_year=school_year).exists():
        raise ValidationError(
            _("%(name)s is not enrolled in the %(year)s school year.") % {"name": student.name, "year": school_year.name}
        )
    if occurred_on is None or not school_year.start_date <= occurred_on <= school_year.end_date:
        raise ValidationError({"occurred_on": _("The date must lie inside the %(year)s school year.") % {"year": school_year.name}})
    if occurred_on > timezone.localdate():
        raise ValidationError({"occurred_on": _("The date has not come yet.")})
    files = list(files)
    if len(files) > MAX_EVIDENCE:
        raise ValidationError(_("Attach at most %(n)s files to one record.") % {"n": MAX_EVIDENCE})
    checked, errors = [], []
    for name, data in files:
        try:
            checked.append(attachment_check(name=name, data=data))
        except ValidationError as e:
            errors.extend(e.messages)
    if errors:
        raise ValidationError(errors)
    record = PracticeRecord(
        school=school,
        school_year=school_year,
        student=student,
        kind=kind,
        title=title[:100],
        occurred_on=occurred_on,
        hours=hours,
        description=(description or "").strip()[:2000],
        recorded_by=actor,
    )
    record.full_clean()
    record.save()
    evidence = [
        PracticeEvidence(
            school=school,
            record=record,
            file_name=c.file_name[:120],
            content_type=c.content_type,
            size=len(c.data),
            data=c.data,
            uploaded_by=actor,
        )
        for c in checked
    ]
    PracticeEvidence.objects.bulk_create(evidence)
    audit_record(
        actor=actor, school=school, action="moral_ed.practice.recorded", target=record, data={"kind": kind, "files": len(evidence)}
    )
    return record


@transaction.atomic
def practice_void(*, actor, record: PracticeRecord, reason: str) -> bool:
    """Void a record (it stays, struck through, with the reason; its
    credits no longer count). The caller checked
    policies.awards.get_record_for_voiding. Idempotent: voiding a voided
    record changes nothing and returns False."""
    changed = void(
        PracticeRecord.objects.filter(pk=record.pk), actor=actor, reason=reason, missing=_("Say why the record is voided."), field="reason"
    )
    if changed:
        audit_record(
            actor=actor, school=record.school, action="moral_ed.practice.voided", target=record, data={"reason": reason.strip()[:REASON_MAX_LENGTH]}
        )
    return bool(changed)


def school_year_of(school, day: datetime.date) -> SchoolYear | None:
    return SchoolYear.objects.filter(school=school, start_date__lte=day, end_date__gte=day).first()


def practice_reminders_send(*, school, today: datetime.date) -> int:
    """Tell each head teacher how many of their students, and who, still
    lack a social practice or a community service record in the school
    year of `today` (the head teachers of that year's latest term begun).
    Classes where nobody is missing are skipped. Idempotent: the message's
    de-duplication key is (teacher, year, date), so a re-run or a second
    worker sends nothing more. Returns the number of new messages."""
    year = school_year_of(school, today)
    if year is None:
        return 0
    term = Term.objects.filter(school=school, school_year=year, start_date__lte=today).order_by("-start_date").first()
    if term is None:
        return 0
    heads = list(TeachingAssignment.objects.filter(term=term, is_head_teacher=True).select_related("teacher", "school_class"))
    missing = {}
    for enrollment in selectors.students_missing_practice(school_year=year, class_ids=[h.school_class_id for h in heads]):
        kinds = []
        if not enrollment.has_social:
            kinds.append(str(PracticeKind.SOCIAL_PRACTICE.label))
        if not enrollment.has_community:
            kinds.append(str(PracticeKind.COMMUNITY_SERVICE.label))
        missing.setdefault(enrollment.school_class_id, []).append(f"{enrollment.student.name}（{'、'.join(kinds)}）")
    by_teacher = {}
    for head in heads:
        if missing.get(head.school_class_id) and head.teacher.is_active:
            by_teacher.setdefault(head.teacher.pk, (head.teacher, []))[1].append(head.school_class)
    sent = 0
    for teacher, classes in by_teacher.values():
        count = sum(len(missing[c.pk]) for c in classes)
        lines = [f"{c.name}：{'，'.join(missing[c.pk])}" for c in classes]
        sent += notify(
            school=school,
            recipients=[teacher],
            kind="moral_ed.practice_reminder",
            title=ngettext(
                "%(n)s student still lacks a practice record for %(year)s",
                "%(n)s students still lack a practice record for %(year)s",
                count,
            )
            % {"n": count, "year": year.name},
            body=_(
                "Each student needs at least one social practice and one community service record in the school year "
                "(2 and 1 credits). Missing: %(lines)s"
            )
            % {"lines": "；".join(lines)},
            link=reverse("moral_ed:practice_class", args=[classes[0].pk]),
            dedupe_key=f"moral_ed.practice_reminder:teacher={teacher.pk}:year={year.pk}:date={today.isoformat()}",
        )
    return sent
