"""Writes with a rule for the dormitories: default rules, beds, the dorm
inspection ledger and the escalation ladder (按累计扣分分别谈话, 停宿一周,
退宿或纪律处分).

Callers (views, tasks, admin actions) check who may act with
moral_ed.policies.dorms before calling; every function says so. None reads
a request.

The ladder (ladder_check: nightly, one task per school; ladder_open for the
student right after a deduction is recorded, so the case appears at once):

- Opening. A boarding student's deductions are the unvoided entries about
  them with negative points in the last `window_days` days up to today,
  summed as a positive number. When they reach the threshold of a step
  above the student's level (the `to_level` of their latest
  DormLevelChange, 0 if none), one DormCase opens at the highest such
  step, unless a case at that level is open (the partial unique constraint
  dormcase_one_open_per_level makes this hold under races too) or a case
  at that level was decided after the student's latest deduction was
  written: a dismissal (or a confirmation that has since stepped down)
  stands until something new happens, so the same deductions never reopen
  a case every night.
- Stepping down. A student above level 0 with no deduction in the last
  `clean_days` days, whose level last moved at least `clean_days` days
  ago, steps one level down (reason "clean period"): one step per clean
  period.
- Room entries (no student) count for the room (the civilized-dorm
  ranking), never towards a student's ladder.

Nothing is imposed automatically: a case waits for the step's confirmer
(case_confirm / case_dismiss); confirming raises the level and tells the
guardians once.
"""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role
from accounts.services import audit_record
from core.ledger import void
from notifications.services import notify
from students.models import Guardianship, Student

from ..models import (
    BedAssignment,
    CaseStatus,
    Confirmer,
    DormBed,
    DormCase,
    DormEvent,
    DormItem,
    DormLevelChange,
    DormSettings,
    DormTarget,
    EscalationStep,
)
from ..selectors import dorms as dorm_selectors
from .conduct import points_text

D = Decimal

# (level, measure, threshold in points deducted, confirmed by): the seed's
# 按累计扣分分别谈话, 停宿一周, 退宿或纪律处分.
ESCALATION_STEPS = [
    (1, "谈话", D("5"), Confirmer.HEAD_TEACHER),
    (2, "停宿一周", D("10"), Confirmer.OFFICE),
    (3, "退宿或纪律处分", D("15"), Confirmer.OFFICE),
]

# (name, applies to, points)
DORM_ITEMS = [
    ("内务不整", DormTarget.ROOM, D("-1")),
    ("卫生不合格", DormTarget.ROOM, D("-2")),
    ("违规电器", DormTarget.ROOM, D("-3")),
    ("门窗水电未关", DormTarget.ROOM, D("-1")),
    ("熄灯后讲话", DormTarget.STUDENT, D("-1")),
    ("未按时起床", DormTarget.STUDENT, D("-1")),
    ("串寝", DormTarget.STUDENT, D("-1")),
    ("晚归", DormTarget.STUDENT, D("-2")),
    ("私自留宿他人", DormTarget.STUDENT, D("-3")),
    ("夜不归宿", DormTarget.STUDENT, D("-5")),
    ("打架", DormTarget.STUDENT, D("-5")),
]


# --- Rules ------------------------------------------------------------------------------


@transaction.atomic
def defaults_install(*, school) -> dict:
    """Give a school the dorm settings (window 30 days, clean period 30
    days), the three escalation steps and the default dorm items.
    Idempotent: existing settings, step levels and item names are left as
    an administrator made them. Returns how many rows were new."""
    _settings, created = DormSettings.objects.get_or_create(school=school)
    have_levels = set(EscalationStep.objects.filter(school=school).values_list("level", flat=True))
    steps = [
        EscalationStep(school=school, level=level, name=name, threshold=threshold, confirmer=confirmer)
        for level, name, threshold, confirmer in ESCALATION_STEPS
        if level not in have_levels
    ]
    have_items = set(DormItem.objects.filter(school=school).values_list("name", flat=True))
    items = [
        DormItem(school=school, name=name, applies_to=target, points=points, ordering=i)
        for i, (name, target, points) in enumerate(DORM_ITEMS)
        if name not in have_items
    ]
    # ignore_conflicts: a second installer at the same moment adds nothing.
    EscalationStep.objects.bulk_create(steps, ignore_conflicts=True)
    DormItem.objects.bulk_create(items, ignore_conflicts=True)
    return {"settings": int(created), "steps": len(steps), "items": len(items)}


def settings_for(school) -> DormSettings:
    """The school's dorm settings; the defaults (unsaved) if it has none."""
    return DormSettings.objects.filter(school=school).first() or DormSettings(school=school)


# --- Beds -------------------------------------------------------------------------------


@transaction.atomic
def bed_assign(*, school, term, bed: DormBed, student: Student, assigned_by) -> BedAssignment:
    """Put `student` in `bed` for `term`. The caller checked
    moral_ed.policies.dorms.can_manage_dorms. One student per bed and one
    bed per student per term (constraints bedassignment_one_student_per_bed
    and _one_bed_per_student): a bed taken by someone else is refused with
    their name; a student who already has another bed moves (the old bed
    is freed). Idempotent: assigning the bed the student has changes
    nothing. The student's row, then the bed's, are locked, so two offices
    assigning at the same moment wait for each other and the second gets
    the clear message, not a database error."""
    if bed.school_id != school.pk or student.school_id != school.pk or term.school_id != school.pk:
        raise ValidationError(_("The bed and the student must belong to this school."))
    if not student.is_active:
        raise ValidationError(_("%(name)s is no longer at school.") % {"name": student.name})
    room = bed.room
    if not room.is_active:
        raise ValidationError(_("Room %(room)s is not in use.") % {"room": room})
    list(Student.objects.select_for_update().filter(pk=student.pk).values_list("pk"))
    list(DormBed.objects.select_for_update().filter(pk=bed.pk).values_list("pk"))
    occupant = BedAssignment.objects.filter(term=term, bed=bed).select_related("student").first()
    if occupant is not None and occupant.student_id != student.pk:
        raise ValidationError(
            _("Bed %(bed)s is taken by %(name)s this term; release it first.") % {"bed": bed, "name": occupant.student.name}
        )
    if occupant is not None:
        return occupant
    assignment = BedAssignment.objects.filter(term=term, student=student).select_related("bed__room__building").first()
    previous = str(assignment.bed) if assignment else ""
    if assignment is None:
        assignment = BedAssignment(school=school, term=term, student=student)
    assignment.bed = bed
    assignment.assigned_by = assigned_by
    assignment.created_at = timezone.now()
    try:
        with transaction.atomic():
            assignment.save()
    except IntegrityError:
        # Only reachable if the rows above were changed outside this service.
        raise ValidationError(_("This bed or this student was assigned meanwhile; reload the page and try again.")) from None
    audit_record(
        actor=assigned_by,
        school=school,
        action="moral_ed.dorm.bed_assigned",
        target=assignment,
        data={"bed": str(bed), "from": previous, "term": term.pk},
    )
    return assignment


@transaction.atomic
def bed_release(*, assignment: BedAssignment, released_by) -> bool:
    """Free the bed (the student no longer sleeps there this term). The
    caller checked can_manage_dorms. The student's dorm entries stay.
    Idempotent: releasing twice returns False the second time."""
    deleted, _rows = BedAssignment.objects.filter(pk=assignment.pk).delete()
    if deleted:
        audit_record(
            actor=released_by,
            school=assignment.school,
            action="moral_ed.dorm.bed_released",
            data={"bed": str(assignment.bed), "student": assignment.student_id, "term": assignment.term_id},
        )
    return bool(deleted)


# --- Dorm inspections (the ledger) --------------------------------------------------------


@transaction.atomic
def dorm_event_record(
    *,
    school,
    term,
    room,
    item: DormItem,
    recorded_by,
    student: Student | None = None,
    note: str = "",
    occurred_on: datetime.date | None = None,
) -> DormEvent:
    """One dorm inspection entry: a room item against the room, or a
    student item against a student who sleeps in that room this term. The
    caller checked can_manage_dorms. Not idempotent: each call is an entry
    (a wrong one is voided). A student deduction runs the opening part of
    the ladder for that student at once (ladder_open), so a crossed
    threshold is a case before the page reloads."""
    today = timezone.localdate()
    occurred_on = occurred_on or today
    if room.school_id != school.pk:
        raise ValidationError(_("The room belongs to another school."))
    if not room.is_active:
        raise ValidationError(_("Room %(room)s is not in use.") % {"room": room})
    if item.school_id != school.pk or not item.is_active:
        raise ValidationError(_("This dorm item cannot be used."))
    if occurred_on > today:
        raise ValidationError(_("Dorm entries cannot be recorded for a day that has not come yet."))
    if not term.start_date <= occurred_on <= term.end_date:
        raise ValidationError(_("The day must lie inside the current term."))
    if item.applies_to == DormTarget.STUDENT:
        if student is None:
            raise ValidationError(_("Choose the student this entry is about."))
        if not BedAssignment.objects.filter(term=term, student=student, bed__room=room).exists():
            raise ValidationError(_("%(name)s does not sleep in room %(room)s this term.") % {"name": student.name, "room": room})
    elif student is not None:
        raise ValidationError(_("“%(item)s” is an entry for the whole room; do not choose a student.") % {"item": item.name})
    event = DormEvent(
        school=school,
        term=term,
        room=room,
        student=student,
        item=item,
        points=item.points,
        note=(note or "").strip()[:200],
        occurred_on=occurred_on,
        recorded_by=recorded_by,
    )
    event.full_clean()
    event.save()
    # The cases this entry opened, for the page's message.
    event.opened_cases = []
    if student is not None and event.points < 0:
        event.opened_cases = ladder_open(school=school, today=today, student_ids=[student.pk])
    return event


@transaction.atomic
def dorm_event_void(*, event: DormEvent, actor, reason: str) -> bool:
    """Void one entry: it stays, struck through, with the reason and the
    author. The caller checked can_manage_dorms. Idempotent: voiding a
    voided entry changes nothing and returns False. An open case is not
    touched: the person deciding it sees the deductions as they are now."""
    changed = void(DormEvent.objects.filter(pk=event.pk), actor=actor, reason=reason)
    if changed:
        audit_record(
            actor=actor, school=event.school, action="moral_ed.dorm.entry_voided", target=event, data={"reason": reason, "points": str(event.points)}
        )
    return bool(changed)


# --- The escalation ladder ----------------------------------------------------------------


def _office_users(school):
    return list(
        get_user_model().objects.filter(memberships__school=school, memberships__role=Role.OFFICE, is_active=True).distinct()
    )


def _notify_case_opened(cases, *, school, term):
    """The student's head teacher, and for office-confirmed steps the
    office, hear of each new case once (key per case). A class without a
    head teacher: the office hears of every case."""
    if not cases:
        return
    heads = dorm_selectors.head_teachers_of([c.student_id for c in cases], term=term)
    office = None
    for case in cases:
        recipients = list(heads.get(case.student_id, []))
        if case.step.confirmer == Confirmer.OFFICE or not recipients:
            if office is None:
                office = _office_users(school)
            recipients += office
        names = {
            "name": case.student.name,
            "measure": case.step.name,
            "points": points_text(case.deductions),
            "threshold": points_text(case.step.threshold),
            "start": case.window_start.isoformat(),
            "end": case.window_end.isoformat(),
        }
        if case.step.confirmer == Confirmer.HEAD_TEACHER:
            body = _(
                "%(name)s has %(points)s points of dorm deductions from %(start)s to %(end)s, which reaches the step "
                "“%(measure)s” (from %(threshold)s points). The head teacher confirms or dismisses the case."
            ) % names
        else:
            body = _(
                "%(name)s has %(points)s points of dorm deductions from %(start)s to %(end)s, which reaches the step "
                "“%(measure)s” (from %(threshold)s points). The moral-education office confirms or dismisses the case."
            ) % names
        notify(
            school=school,
            recipients=recipients,
            kind="moral_ed.dorm_case_opened",
            title=_("Dorm: %(name)s reached “%(measure)s”") % names,
            body=body,
            link=reverse("moral_ed:dorm_case", args=[case.pk]),
            dedupe_key=f"moral_ed.dorm_case_opened:{case.pk}",
        )


def _open_cases(*, school, term, settings_row, today, student_ids=None) -> list[DormCase]:
    steps = list(EscalationStep.objects.filter(school=school).order_by("level"))
    if not steps:
        return []
    start = today - datetime.timedelta(days=settings_row.window_days - 1)
    # One grouped query: each boarding student with deductions in the window,
    # their level and when their latest deduction was written.
    rows = list(
        dorm_selectors.ladder_standing(school=school, term=term, start=start, end=today, student_ids=student_ids).filter(
            window_points__lt=0
        )
    )
    if not rows:
        return []
    ids = [s.pk for s in rows]
    open_levels = set(
        DormCase.objects.filter(school=school, status=CaseStatus.OPEN, student_id__in=ids).values_list("student_id", "level")
    )
    decided = {
        (student_id, level): at
        for student_id, level, at in DormCase.objects.filter(school=school, student_id__in=ids)
        .exclude(status=CaseStatus.OPEN)
        .values_list("student_id", "level")
        .annotate(at=Max("decided_at"))
    }
    opened = []
    for student in rows:
        deducted = -student.window_points
        reached = [s for s in steps if s.threshold <= deducted and s.level > student.level]
        if not reached:
            continue
        step = max(reached, key=lambda s: s.level)
        if (student.pk, step.level) in open_levels:
            continue
        last_decided = decided.get((student.pk, step.level))
        if last_decided is not None and student.last_deduction_at is not None and last_decided >= student.last_deduction_at:
            continue
        case = DormCase(
            school=school,
            term=term,
            student=student,
            step=step,
            level=step.level,
            deductions=deducted,
            window_start=start,
            window_end=today,
        )
        try:
            # A savepoint: a second worker's insert of the same open case
            # waits for ours and then fails on dormcase_one_open_per_level.
            with transaction.atomic():
                case.save()
        except IntegrityError:
            continue
        opened.append(case)
    for case in opened:
        audit_record(
            actor=None,
            school=school,
            action="moral_ed.dorm_case.opened",
            target=case,
            data={"level": case.level, "deductions": str(case.deductions), "from": start.isoformat(), "until": today.isoformat()},
        )
    _notify_case_opened(opened, school=school, term=term)
    return opened


@transaction.atomic
def ladder_open(*, school, today: datetime.date, student_ids=None) -> list[DormCase]:
    """The opening part of the ladder (see the module's docstring), for
    some students or every boarding student. Idempotent. Returns the new
    cases."""
    from classes.selectors import current_term

    term = current_term(school)
    if term is None:
        return []
    return _open_cases(school=school, term=term, settings_row=settings_for(school), today=today, student_ids=student_ids)


def _step_down(*, school, settings_row, today) -> int:
    clean_from = today - datetime.timedelta(days=settings_row.clean_days - 1)
    moved_by = today - datetime.timedelta(days=settings_row.clean_days)

    def candidates():
        return dorm_selectors.clean_period_candidates(school=school, clean_from=clean_from, moved_by=moved_by, today=today)

    ids = list(candidates().values_list("pk", flat=True))
    if not ids:
        return 0
    # Lock the students (in id order), then read their standing again: a
    # second worker waits here and then finds them moved already.
    list(Student.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk"))
    rows = list(candidates().filter(pk__in=ids))
    changes = [
        DormLevelChange(
            school=school,
            student_id=s.pk,
            from_level=s.level,
            to_level=s.level - 1,
            reason=DormLevelChange.Reason.CLEAN_PERIOD,
            effective_on=today,
        )
        for s in rows
    ]
    DormLevelChange.objects.bulk_create(changes)
    if changes:
        audit_record(
            actor=None,
            school=school,
            action="moral_ed.dorm.level_stepped_down",
            data={"students": [c.student_id for c in changes], "day": today.isoformat()},
        )
    return len(changes)


@transaction.atomic
def ladder_check(*, school, today: datetime.date) -> dict:
    """The nightly ladder for one school (see the module's docstring):
    first clean students step one level down, then cases open at crossed
    thresholds. Idempotent and safe on two workers: cases are held by the
    partial unique constraint, step-downs by locking the students and
    reading their level again. A constant number of queries plus a few per
    new case (its notification). Returns {"opened": n, "stepped_down": n}."""
    from classes.selectors import current_term

    settings_row = settings_for(school)
    stepped = _step_down(school=school, settings_row=settings_row, today=today)
    term = current_term(school)
    opened = [] if term is None else _open_cases(school=school, term=term, settings_row=settings_row, today=today)
    return {"opened": len(opened), "stepped_down": stepped}


# --- Deciding a case -----------------------------------------------------------------------


def _inform_guardians(case: DormCase) -> bool:
    """Tell the student's guardians once, calmly, which measure was
    decided. The claim (a conditional UPDATE on guardians_informed_at) and
    the message's key per case both hold "once"."""
    users = [
        link.guardian.user
        for link in Guardianship.objects.filter(student_id=case.student_id).select_related("guardian__user")
        if link.guardian.user.is_active
    ]
    if not users:
        return False
    claimed = DormCase.objects.filter(pk=case.pk, guardians_informed_at__isnull=True).update(guardians_informed_at=timezone.now())
    if not claimed:
        return False
    names = {"name": case.student.name, "measure": case.step.name}
    notify(
        school=case.school,
        recipients=users,
        kind="moral_ed.dorm_case_confirmed",
        title=_("About %(name)s's life in the dormitory") % names,
        body=_(
            "%(name)s has had several dorm deductions recently. After talking it over, the school has decided on this "
            "measure: %(measure)s. Please talk with your child calmly at home; the head teacher is glad to answer your "
            "questions. Thank you for your support."
        )
        % names,
        link=reverse("home_school:portal_child", args=[case.student_id]),
        dedupe_key=f"moral_ed.dorm_case_confirmed:{case.pk}",
    )
    return True


@transaction.atomic
def case_confirm(*, case: DormCase, decided_by, note: str = "") -> DormCase:
    """Confirm the measure. The caller checked
    moral_ed.policies.dorms.can_decide_case (the step's confirmer: the
    student's head teacher for head-teacher steps, the office for any).
    Only an open case moves (a conditional UPDATE), so a double click or
    two people at once decide it once. The student's level rises to the
    case's level (a DormLevelChange) if it is below; a case below a level
    reached meanwhile is confirmed without moving the level. Guardians are
    informed once. Returns the case as it is now."""
    now = timezone.now()
    note = (note or "").strip()[:300]
    moved = DormCase.objects.filter(pk=case.pk, status=CaseStatus.OPEN).update(
        status=CaseStatus.CONFIRMED, decided_by=decided_by, decided_at=now, decision_note=note
    )
    case.refresh_from_db()
    if not moved:
        return case
    list(Student.objects.select_for_update().filter(pk=case.student_id).values_list("pk"))
    level = dorm_selectors.current_level(case.student_id)
    if case.level > level:
        change = DormLevelChange(
            school=case.school,
            student_id=case.student_id,
            from_level=level,
            to_level=case.level,
            reason=DormLevelChange.Reason.CONFIRMED,
            case=case,
            effective_on=timezone.localdate(now),
        )
        change.full_clean()
        change.save()
    audit_record(
        actor=decided_by,
        school=case.school,
        action="moral_ed.dorm_case.confirmed",
        target=case,
        data={"level": case.level, "from_level": level, "note": note},
    )
    _inform_guardians(case)
    case.refresh_from_db()
    return case


@transaction.atomic
def case_dismiss(*, case: DormCase, decided_by, note: str) -> DormCase:
    """Dismiss the case: no measure, no level change, nobody else is told.
    The caller checked can_decide_case. A reason is required. Only an open
    case moves. Returns the case as it is now."""
    note = (note or "").strip()
    if not note:
        raise ValidationError(_("Say why the case is dismissed."))
    moved = DormCase.objects.filter(pk=case.pk, status=CaseStatus.OPEN).update(
        status=CaseStatus.DISMISSED, decided_by=decided_by, decided_at=timezone.now(), decision_note=note[:300]
    )
    case.refresh_from_db()
    if moved:
        audit_record(actor=decided_by, school=case.school, action="moral_ed.dorm_case.dismissed", target=case, data={"note": note})
    return case
