"""Writes with a rule for conduct points, groups, the character bank and stars.

Callers (views, tasks, commands) check who may act with moral_ed.policies
before calling; every function says so. None reads a request.
"""

import datetime
import uuid
from decimal import Decimal
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.services import audit_record
from classes.models import SchoolClass
from core.ledger import void
from notifications.services import notify
from students.models import Enrollment, Guardianship, Student

from .. import defaults
from ..models import (
    ConductEvent,
    ConductItem,
    ConductSettings,
    DimensionLimit,
    Disclosure,
    GroupEvent,
    GroupKind,
    GroupMembership,
    GuardianNote,
    Redemption,
    Reward,
    StarAward,
    StarCategory,
    StarStatus,
    StudentGroup,
)

UNDO_WINDOW = datetime.timedelta(minutes=10)
TENTH = Decimal("0.1")
MAX_BATCH = 80


def points_text(value: Decimal) -> str:
    """2.0 → "2", -0.5 → "-0.5": points as teachers write them."""
    return f"{Decimal(value).normalize():f}"


# --- Rules ----------------------------------------------------------------------


@transaction.atomic
def defaults_install(*, school) -> dict:
    """Give a school the default conduct items and star categories (from
    the schools' plans). Idempotent: existing names are left as they are."""
    items = [
        ConductItem(school=school, name=name, dimension=dimension, points=points, ordering=i)
        for i, (name, dimension, points) in enumerate(defaults.CONDUCT_ITEMS)
    ]
    stars = [
        StarCategory(school=school, name=name, period=period, is_school_star=school_star, dimension=dim, description=desc, ordering=i)
        for i, (name, period, school_star, dim, desc) in enumerate(defaults.STAR_CATEGORIES)
    ]
    existing_items = set(ConductItem.objects.filter(school=school).values_list("name", flat=True))
    existing_stars = set(StarCategory.objects.filter(school=school).values_list("name", flat=True))
    new_items = [i for i in items if i.name not in existing_items]
    new_stars = [s for s in stars if s.name not in existing_stars]
    ConductItem.objects.bulk_create(new_items)
    StarCategory.objects.bulk_create(new_stars)
    ConductSettings.objects.get_or_create(school=school)
    return {"items": len(new_items), "stars": len(new_stars)}


def release_time_for(school) -> datetime.time:
    settings_row = ConductSettings.objects.filter(school=school).only("release_time").first()
    return settings_row.release_time if settings_row else ConductSettings._meta.get_field("release_time").default


def release_due_after(moment: datetime.datetime, release_time: datetime.time) -> datetime.datetime:
    """The first release time (local) after `moment`."""
    local = timezone.localtime(moment)
    due = local.replace(hour=release_time.hour, minute=release_time.minute, second=0, microsecond=0)
    if due <= local:
        due += datetime.timedelta(days=1)
    return due


# --- Recording --------------------------------------------------------------------


def _check_limits(*, school, term, item, points, student_ids, recorded_by, occurred_on):
    """Refuse an entry that breaks the item's daily limit or a dimension's
    term floor/ceiling. Returns {student_id: reason} for refused students."""
    refused = {}
    if item is not None and item.daily_cap is not None:
        given = dict(
            ConductEvent.objects.filter(
                item=item, recorded_by=recorded_by, occurred_on=occurred_on, student__in=student_ids, voided_at__isnull=True
            )
            .values_list("student_id")
            .annotate(total=Sum("points"))
        )
        for pk in student_ids:
            if abs(given.get(pk, Decimal(0)) + points) > item.daily_cap:
                refused[pk] = _("daily limit of %(cap)s for “%(item)s” reached") % {"cap": item.daily_cap, "item": item.name}
    dimension = item.dimension if item is not None else None
    if hasattr(item, "limit_floor"):
        # Brought with the item by moral_ed.selectors.active_items: no query.
        limit = None
        if item.limit_floor is not None or item.limit_ceiling is not None:
            limit = DimensionLimit(school=school, dimension=dimension, floor=item.limit_floor, ceiling=item.limit_ceiling)
    else:
        limit = DimensionLimit.objects.filter(school=school, dimension=dimension).first() if dimension else None
    if limit is not None:
        totals = dict(
            ConductEvent.objects.filter(term=term, dimension=dimension, student__in=student_ids, voided_at__isnull=True)
            .values_list("student_id")
            .annotate(total=Sum("points"))
        )
        for pk in student_ids:
            after = totals.get(pk, Decimal(0)) + points
            if limit.ceiling is not None and points > 0 and after > limit.ceiling:
                refused.setdefault(pk, _("term ceiling of %(n)s reached") % {"n": limit.ceiling})
            if limit.floor is not None and points < 0 and after < limit.floor:
                refused.setdefault(pk, _("term floor of %(n)s reached") % {"n": limit.floor})
    return refused


def _enrolled_day_totals(*, school, school_class, student_ids, day: datetime.date) -> dict[int, Decimal]:
    """{student id: their points on `day`} for those of `student_ids` who are
    currently enrolled in `school_class` (of `school`); the others are left
    out. One hand-written query: it runs on every tap of the entry page, and
    building the same query with the ORM (a FilteredRelation) cost more
    than running it (docs/performance.md). The voided-and-day condition sits
    in the JOIN, so only that day's events are read."""
    ids = sorted({int(pk) for pk in student_ids})
    marks = ", ".join(["%s"] * len(ids))
    sql = (
        f"SELECT s.id, COALESCE(SUM(e.points), 0) FROM {Student._meta.db_table} s "
        f"JOIN {Enrollment._meta.db_table} en ON en.student_id = s.id "
        f"LEFT JOIN {ConductEvent._meta.db_table} e ON e.student_id = s.id AND e.occurred_on = %s AND e.voided_at IS NULL "
        f"WHERE s.id IN ({marks}) AND s.school_id = %s AND en.school_class_id = %s AND en.end_date IS NULL "
        "GROUP BY s.id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [day, *ids, school.pk, school_class.pk])
        # SQLite sums decimals as floats; one decimal place is what points have.
        return {pk: Decimal(str(total)).quantize(TENTH) for pk, total in cursor.fetchall()}


class Recorded(NamedTuple):
    events: list[ConductEvent]
    batch: uuid.UUID
    refused: dict  # {student_id: why the student was skipped}
    today: dict  # {student_id: the student's points that day after this entry}


def points_record(
    *,
    actor,
    school,
    term,
    school_class,
    student_ids,
    item: ConductItem,
    note: str = "",
    occurred_on: datetime.date | None = None,
    release_time: datetime.time | None = None,
) -> Recorded:
    """Record `item` for each of `student_ids` (one event per student, one
    INSERT, one transaction).

    The caller checked moral_ed.policies.can_record_points for the class.
    Students must be currently enrolled in `school_class`; anyone else in
    the list makes the whole entry fail. Students past a daily limit or a
    term floor/ceiling are skipped and returned with the reason. Positive
    events reach guardians at once; negative ones are staged for the head
    teacher until the school's release time. Not idempotent: each call is
    a new entry (undo with batch_undo); the entry page's view is exactly
    once per request key.

    Returns the events, their batch, the students refused with the reason
    and each student's points on that day after this entry (Recorded).
    """
    if not student_ids:
        raise ValidationError(_("Choose at least one student."))
    if len(student_ids) > MAX_BATCH:
        raise ValidationError(_("At most %(n)s students at once.") % {"n": MAX_BATCH})
    if item.school_id != school.pk or not item.is_active:
        raise ValidationError(_("This conduct item cannot be used."))
    occurred_on = occurred_on or timezone.localdate()
    if not term.start_date <= occurred_on <= term.end_date:
        raise ValidationError(_("The day must lie inside the current term."))
    if occurred_on > timezone.localdate():
        raise ValidationError(_("Points cannot be recorded for a day that has not come yet."))
    # One query checks enrollment and brings the day's totals for the answer.
    day_totals = _enrolled_day_totals(school=school, school_class=school_class, student_ids=student_ids, day=occurred_on)
    if len(day_totals) != len(set(student_ids)):
        raise ValidationError(_("Some of the chosen students are not in this class."))
    refused = _check_limits(
        school=school, term=term, item=item, points=item.points, student_ids=list(day_totals), recorded_by=actor, occurred_on=occurred_on
    )
    now = timezone.now()
    batch = uuid.uuid4()
    positive = item.points > 0
    due = None if positive else release_due_after(now, release_time or release_time_for(school))
    events = [
        ConductEvent(
            school=school,
            term=term,
            student_id=pk,
            school_class=school_class,
            item=item,
            dimension=item.dimension,
            points=item.points,
            note=note[:200],
            occurred_on=occurred_on,
            recorded_by=actor,
            created_at=now,
            batch=batch,
            disclosure=Disclosure.RELEASED if positive else Disclosure.STAGED,
            released_at=now if positive else None,
            release_due_at=due,
        )
        for pk in day_totals
        if pk not in refused
    ]
    # The entry is one transaction (bulk_create may write in batches), with
    # no savepoint inside the entry view's (core.idempotency.exactly_once
    # stores the request key in it): a savepoint would be two more
    # statements on every tap. Every refusal is raised above, outside this
    # block, so a refused entry leaves the view's transaction usable.
    with transaction.atomic(savepoint=False):
        ConductEvent.objects.bulk_create(events)
    today = {pk: total + (item.points if pk not in refused else 0) for pk, total in day_totals.items()}
    return Recorded(events, batch, refused, today)


@transaction.atomic
def points_void(*, actor, event: ConductEvent, reason: str) -> bool:
    """Void one event (it stays, struck through, with the reason). The
    caller checked moral_ed.policies.can_void_event. Idempotent: voiding a
    voided event changes nothing and returns False."""
    changed = void(ConductEvent.objects.filter(pk=event.pk), actor=actor, reason=reason)
    if changed:
        audit_record(
            actor=actor, school=event.school, action="moral_ed.conduct.voided", target=event, data={"reason": reason, "points": str(event.points)}
        )
    return bool(changed)


@transaction.atomic
def batch_undo(*, actor, school, batch) -> int:
    """Undo the actor's own last entry (all events of one batch) within
    UNDO_WINDOW of writing it. Returns how many events were voided."""
    qs = ConductEvent.objects.filter(
        school=school, batch=batch, recorded_by=actor, created_at__gte=timezone.now() - UNDO_WINDOW
    )
    count = void(qs, actor=actor, reason=_("Undone right after recording"))
    if count:
        audit_record(actor=actor, school=school, action="moral_ed.conduct.undone", data={"batch": str(batch), "events": count})
    return count


# --- Staged disclosure --------------------------------------------------------------


def _notify_guardians_of_release(*, school, student_ids, day: datetime.date):
    """One calm message per student and day, to all their guardians."""
    links = (
        Guardianship.objects.filter(student_id__in=student_ids, guardian__user__is_active=True)
        .select_related("guardian__user", "student")
        .order_by("student_id")
    )
    by_student = {}
    for link in links:
        by_student.setdefault(link.student, []).append(link.guardian.user)
    for student, users in by_student.items():
        notify(
            school=school,
            recipients=users,
            kind="moral_ed.conduct_released",
            title=_("New notes on %(name)s's day at school") % {"name": student.name},
            body=_("The head teacher has shared notes about %(name)s. Open the family page to read them.") % {"name": student.name},
            link=reverse("home_school:portal_child", args=[student.pk]),
            dedupe_key=f"moral_ed.conduct_released:student={student.pk}:day={day.isoformat()}",
        )


@transaction.atomic
def staged_release(*, actor, school, event_ids) -> int:
    """The head teacher releases staged events to guardians now. The
    caller checked can_review_class. Only staged, unvoided events move."""
    now = timezone.now()
    qs = ConductEvent.objects.filter(school=school, pk__in=event_ids, disclosure=Disclosure.STAGED, voided_at__isnull=True)
    student_ids = list(qs.values_list("student_id", flat=True).distinct())
    count = qs.update(disclosure=Disclosure.RELEASED, released_at=now)
    if count:
        _notify_guardians_of_release(school=school, student_ids=student_ids, day=timezone.localdate(now))
    return count


@transaction.atomic
def staged_void(*, actor, school, event_ids, reason: str) -> int:
    """Void several waiting entries with one reason (the head teacher's
    review). One UPDATE and one audit row; entries already released or
    voided are left alone. The caller checked can_manage_class."""
    qs = ConductEvent.objects.filter(school=school, pk__in=event_ids, disclosure=Disclosure.STAGED)
    ids = list(qs.filter(voided_at__isnull=True).values_list("pk", flat=True))
    count = void(qs, actor=actor, reason=reason)
    if count:
        audit_record(actor=actor, school=school, action="moral_ed.conduct.voided", data={"events": ids, "reason": reason})
    return count


@transaction.atomic
def staged_merge(*, actor, school, student, event_ids, text: str) -> GuardianNote:
    """Replace several staged events of one student by one calm note that
    guardians see instead (the events stay in the staff ledger)."""
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Write the note guardians will read."))
    qs = ConductEvent.objects.select_for_update().filter(
        school=school, student=student, pk__in=event_ids, disclosure=Disclosure.STAGED, voided_at__isnull=True
    )
    events = list(qs)
    if not events:
        raise ValidationError(_("None of these entries is waiting for review any more."))
    note = GuardianNote(school=school, student=student, text=text[:500], written_by=actor)
    note.full_clean()
    note.save()
    now = timezone.now()
    ConductEvent.objects.filter(pk__in=[e.pk for e in events]).update(
        disclosure=Disclosure.MERGED, released_at=now, guardian_note=note
    )
    _notify_guardians_of_release(school=school, student_ids=[student.pk], day=timezone.localdate(now))
    return note


def staged_release_due(*, now: datetime.datetime | None = None) -> int:
    """The release job: every staged, unvoided event whose release time has
    come is shown to guardians. Idempotent and safe on two workers: the
    UPDATE moves only rows still staged, so a row is released once, and
    the guardians' message has a de-duplication key."""
    now = now or timezone.now()
    released = 0
    while True:
        with transaction.atomic():
            ids = list(
                ConductEvent.objects.select_for_update(skip_locked=True)
                .filter(disclosure=Disclosure.STAGED, voided_at__isnull=True, release_due_at__lte=now)
                .values_list("pk", flat=True)[:1000]
            )
            if not ids:
                return released
            rows = list(
                ConductEvent.objects.filter(pk__in=ids, disclosure=Disclosure.STAGED)
                .values_list("school_id", "student_id")
                .distinct()
            )
            released += ConductEvent.objects.filter(pk__in=ids, disclosure=Disclosure.STAGED).update(
                disclosure=Disclosure.RELEASED, released_at=now
            )
            by_school = {}
            for school_id, student_id in rows:
                by_school.setdefault(school_id, []).append(student_id)
            from classes.models import School

            for school in School.objects.filter(pk__in=by_school):
                _notify_guardians_of_release(school=school, student_ids=by_school[school.pk], day=timezone.localdate(now))


# --- Groups ---------------------------------------------------------------------------


@transaction.atomic
def group_save(*, actor, school_class, kind: str, name: str, student_ids, group: StudentGroup | None = None) -> StudentGroup:
    """Create or rename a group and set its members. A student moves out
    of any other group of the same kind in the class. The caller checked
    can_manage_class."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the group a name.")})
    if kind not in GroupKind.values:
        raise ValidationError({"kind": _("Unknown kind of group.")})
    if group is None:
        group = StudentGroup(school=school_class.school, school_class=school_class, kind=kind)
    group.name = name
    if StudentGroup.objects.filter(school_class=school_class, kind=group.kind, name=name).exclude(pk=group.pk).exists():
        raise ValidationError({"name": _("Another group of this class already has this name.")})
    group.full_clean()
    group.save()
    enrolled = set(
        Enrollment.objects.filter(school_class=school_class, end_date__isnull=True, student_id__in=student_ids).values_list(
            "student_id", flat=True
        )
    )
    if enrolled != set(student_ids):
        raise ValidationError(_("Some of the chosen students are not in this class."))
    GroupMembership.objects.filter(group=group).exclude(student_id__in=enrolled).delete()
    GroupMembership.objects.filter(school_class=school_class, kind=group.kind, student_id__in=enrolled).exclude(group=group).delete()
    have = set(GroupMembership.objects.filter(group=group).values_list("student_id", flat=True))
    GroupMembership.objects.bulk_create(
        [
            GroupMembership(school=group.school, group=group, student_id=sid, kind=group.kind, school_class=school_class)
            for sid in enrolled - have
        ]
    )
    return group


@transaction.atomic
def group_points_record(*, actor, term, group: StudentGroup, item: ConductItem, note: str = "", occurred_on=None) -> GroupEvent:
    """Points for the group as a whole. The caller checked can_record_points."""
    if item.school_id != group.school_id or not item.is_active:
        raise ValidationError(_("This conduct item cannot be used."))
    event = GroupEvent(
        school=group.school,
        term=term,
        group=group,
        item=item,
        points=item.points,
        note=note[:200],
        occurred_on=occurred_on or timezone.localdate(),
        recorded_by=actor,
    )
    event.full_clean()
    event.save()
    return event


@transaction.atomic
def group_event_void(*, actor, event: GroupEvent, reason: str) -> bool:
    changed = void(GroupEvent.objects.filter(pk=event.pk), actor=actor, reason=reason)
    if changed:
        audit_record(actor=actor, school=event.school, action="moral_ed.group_event.voided", target=event, data={"reason": reason})
    return bool(changed)


# --- Character bank --------------------------------------------------------------------


def bank_balance(student_id) -> Decimal:
    """Positive points earned minus rewards redeemed, unvoided rows only."""
    earned = ConductEvent.objects.filter(student_id=student_id, points__gt=0, voided_at__isnull=True).aggregate(
        total=Sum("points")
    )["total"] or Decimal(0)
    spent = Redemption.objects.filter(student_id=student_id, voided_at__isnull=True).aggregate(total=Sum("cost"))[
        "total"
    ] or Decimal(0)
    return earned - spent


@transaction.atomic
def reward_save(*, actor, school_class, name: str, cost, reward: Reward | None = None, is_active=True) -> Reward:
    reward = reward or Reward(school=school_class.school, school_class=school_class)
    reward.name = (name or "").strip()
    reward.cost = cost
    reward.is_active = is_active
    reward.full_clean()
    reward.save()
    return reward


@transaction.atomic
def reward_redeem(*, actor, student: Student, reward: Reward) -> Redemption:
    """Spend balance on a reward. The balance can never go below zero, even
    with two redemptions at the same moment: the student's row is locked
    (SELECT … FOR UPDATE) while the balance is read and the spending
    written, so a second redemption waits and then sees the first. The
    caller checked can_manage_class for the reward's class."""
    if not reward.is_active:
        raise ValidationError(_("This reward is no longer offered."))
    Student.objects.select_for_update().only("pk").get(pk=student.pk)
    balance = bank_balance(student.pk)
    if balance < reward.cost:
        raise ValidationError(
            _("%(name)s has %(balance)s points in the character bank; “%(reward)s” needs %(cost)s.")
            % {"name": student.name, "balance": points_text(balance), "reward": reward.name, "cost": points_text(reward.cost)}
        )
    redemption = Redemption(school=student.school, student=student, reward=reward, cost=reward.cost, redeemed_by=actor)
    redemption.full_clean()
    redemption.save()
    audit_record(actor=actor, school=student.school, action="moral_ed.bank.redeemed", target=redemption, data={"cost": str(reward.cost)})
    return redemption


@transaction.atomic
def redemption_void(*, actor, redemption: Redemption, reason: str) -> bool:
    changed = void(Redemption.objects.filter(pk=redemption.pk), actor=actor, reason=reason)
    if changed:
        audit_record(actor=actor, school=redemption.school, action="moral_ed.bank.voided", target=redemption, data={"reason": reason})
    return bool(changed)


# --- Stars -------------------------------------------------------------------------------


def star_period(category: StarCategory, day: datetime.date, term=None):
    from classes import periods

    if category.period == "weekly":
        return periods.week_of(day)
    if category.period == "bimonthly":
        return periods.two_months_of(day)
    if term is None:
        raise ValidationError(_("A term star needs a current term."))
    return periods.term_period(term)


@transaction.atomic
def star_nominate(*, actor, category: StarCategory, student: Student, school_class: SchoolClass, reason: str, day=None, term=None) -> StarAward:
    """The head teacher names a student for a star with a reason. A class
    star is awarded at once; a school star waits for the office. The caller
    checked can_manage_class. One nomination per student, star and period."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the student earns this star.")})
    if category.school_id != school_class.school_id or not category.is_active:
        raise ValidationError(_("This star cannot be awarded."))
    if not Enrollment.objects.filter(student=student, school_class=school_class, end_date__isnull=True).exists():
        raise ValidationError(_("The student is not in this class."))
    period = star_period(category, day or timezone.localdate(), term)
    if StarAward.objects.filter(category=category, student=student, period_start=period.start).exists():
        raise ValidationError(_("%(name)s is already named for this star in this period.") % {"name": student.name})
    now = timezone.now()
    award = StarAward(
        school=school_class.school,
        category=category,
        student=student,
        school_class=school_class,
        period_start=period.start,
        period_end=period.end,
        reason=reason[:300],
        nominated_by=actor,
        status=StarStatus.NOMINATED if category.is_school_star else StarStatus.CONFIRMED,
        decided_by=None if category.is_school_star else actor,
        decided_at=None if category.is_school_star else now,
    )
    award.full_clean()
    award.save()
    if award.status == StarStatus.CONFIRMED:
        _notify_star(award)
    return award


@transaction.atomic
def star_decide(*, actor, award: StarAward, confirm: bool) -> StarAward:
    """The office confirms or declines a school-star nomination. Only a
    pending nomination moves (a conditional UPDATE), so a double click or
    two officers at once decide it once."""
    status = StarStatus.CONFIRMED if confirm else StarStatus.DECLINED
    moved = StarAward.objects.filter(pk=award.pk, status=StarStatus.NOMINATED).update(
        status=status, decided_by=actor, decided_at=timezone.now()
    )
    award.refresh_from_db()
    if moved:
        audit_record(actor=actor, school=award.school, action=f"moral_ed.star.{status}", target=award)
        if confirm:
            _notify_star(award)
    return award


def _notify_star(award: StarAward):
    users = [
        link.guardian.user
        for link in Guardianship.objects.filter(student=award.student).select_related("guardian__user")
        if link.guardian.user.is_active
    ]
    notify(
        school=award.school,
        recipients=users,
        kind="moral_ed.star_awarded",
        title=_("%(name)s is %(star)s") % {"name": award.student.name, "star": award.category.name},
        body=award.reason,
        link=reverse("home_school:portal_child", args=[award.student_id]),
        dedupe_key=f"moral_ed.star:{award.pk}",
    )


# --- Weekly summary -------------------------------------------------------------------------


def weekly_summary_send(*, school, week_start: datetime.date) -> int:
    """Send each head teacher the summary of their class's week (Monday
    `week_start` to Sunday). Idempotent: the message's de-duplication key
    is (class, week), so a re-run or a second worker sends nothing more.
    Returns the number of new messages."""
    from classes.models import TeachingAssignment
    from classes.selectors import current_term

    from ..selectors.conduct import class_week_figures

    term = current_term(school)
    if term is None:
        return 0
    week_end = week_start + datetime.timedelta(days=6)
    heads = TeachingAssignment.objects.filter(school=school, term=term, is_head_teacher=True).select_related(
        "school_class", "teacher"
    )
    figures = class_week_figures(school=school, start=week_start, end=week_end)
    sent = 0
    for head in heads:
        f = figures.get(head.school_class_id, {})
        body = _(
            "%(cls)s, week of %(start)s: %(count)s entries, %(plus)s points awarded, %(minus)s points deducted, "
            "%(staged)s waiting for your review."
        ) % {
            "cls": head.school_class.name,
            "start": week_start.isoformat(),
            "count": f.get("count", 0),
            "plus": f.get("plus") or 0,
            "minus": abs(f.get("minus") or 0),
            "staged": f.get("staged", 0),
        }
        if f.get("best_group"):
            body += " " + _("Best group: %(name)s.") % {"name": f["best_group"]}
        sent += notify(
            school=school,
            recipients=[head.teacher],
            kind="moral_ed.weekly_summary",
            title=_("Weekly summary of %(cls)s") % {"cls": head.school_class.name},
            body=body,
            link=reverse("moral_ed:class_entry", args=[head.school_class_id]),
            dedupe_key=f"moral_ed.weekly_summary:class={head.school_class_id}:week={week_start.isoformat()}",
        )
    return sent

