"""Reads of the conduct ledger. Totals are always `Sum` in the database
over unvoided events; nothing here loops over events in Python."""

import datetime
from decimal import Decimal

from django.db.models import Count, F, FilteredRelation, Max, Q, Sum
from django.db.models.functions import Coalesce

from classes import periods
from students.models import Student
from students.selectors import roster_for_class

from ..models import (
    ConductEvent,
    ConductItem,
    Dimension,
    DimensionLimit,
    Disclosure,
    GroupEvent,
    GroupMembership,
    GuardianNote,
    Redemption,
    Reward,
    StarAward,
    StarCategory,
    StarStatus,
    StudentGroup,
)

ZERO = Decimal(0)
LIVE = Q(voided_at__isnull=True)


def active_items(school):
    """The school's active items, each with its dimension's term floor and
    ceiling (DimensionLimit) brought in the same query."""
    return (
        ConductItem.objects.filter(school=school, is_active=True)
        .annotate(
            _limit=FilteredRelation(
                "school__dimension_limits", condition=Q(school__dimension_limits__dimension=F("dimension"))
            )
        )
        .annotate(limit_floor=F("_limit__floor"), limit_ceiling=F("_limit__ceiling"))
        .order_by("ordering", "pk")
    )


def active_item(school, pk):
    """One active item of the school with its dimension's term floor and
    ceiling (as `active_items` gives them), or None. The entry POST looks its
    item up on every tap: one small hand-written query instead of compiling
    the FilteredRelation of `active_items` (docs/performance.md)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    item_table, limit_table = ConductItem._meta.db_table, DimensionLimit._meta.db_table
    rows = list(
        ConductItem.objects.raw(
            f"SELECT i.*, l.floor AS limit_floor, l.ceiling AS limit_ceiling FROM {item_table} i "
            f"LEFT JOIN {limit_table} l ON l.school_id = i.school_id AND l.dimension = i.dimension "
            "WHERE i.id = %s AND i.school_id = %s AND i.is_active",
            [pk, school.pk],
        )
    )
    if not rows:
        return None
    item = rows[0]
    # Raw annotations skip the field's converters (SQLite hands back floats).
    item.limit_floor, item.limit_ceiling = (None if v is None else Decimal(str(v)) for v in (item.limit_floor, item.limit_ceiling))
    return item


def class_students_with_today(school_class, day: datetime.date):
    """The class's current students, each with `today` (their points on
    `day`) and their study/cleaning group ids. Two queries."""
    students = list(
        Student.objects.filter(enrollments__school_class=school_class, enrollments__end_date__isnull=True)
        .annotate(
            # The day goes into the JOIN's ON clause, so the database reads
            # only that day's events (index school_class, occurred_on helps)
            # instead of joining every event of the term and filtering in
            # SUM(...) FILTER, which grew with the term (docs/performance.md).
            day_events=FilteredRelation(
                "conduct_events", condition=Q(conduct_events__occurred_on=day, conduct_events__voided_at__isnull=True)
            ),
            today=Coalesce(Sum("day_events__points"), ZERO),
        )
        .order_by("student_number")
        .only("pk", "name", "student_number")
    )
    groups = {}
    for student_id, group_id, kind in GroupMembership.objects.filter(school_class=school_class).values_list(
        "student_id", "group_id", "kind"
    ):
        groups.setdefault(student_id, {})[kind] = group_id
    for s in students:
        s.group_ids = groups.get(s.pk, {})
    return students


def class_roster(school_class):
    """The class's current students, by student number, with only the
    fields a choice list needs: one query."""
    return roster_for_class(school_class).prefetch_related(None).only("pk", "name", "student_number", "school_id")


def today_totals(student_ids, day: datetime.date) -> dict:
    return dict(
        ConductEvent.objects.filter(student_id__in=student_ids, occurred_on=day, voided_at__isnull=True)
        .values_list("student_id")
        .annotate(total=Sum("points"))
    )


def class_groups(school_class):
    return StudentGroup.objects.filter(school_class=school_class, is_active=True).order_by("kind", "name")


def _dimension_sums(qs):
    """{dimension: total} plus "all"."""
    rows = dict(qs.values_list("dimension").annotate(total=Sum("points")))
    result = {value: rows.get(value, ZERO) for value, _ in Dimension.choices}
    result["all"] = sum(rows.values(), ZERO)
    return result


def student_totals(student, *, term, today: datetime.date) -> dict:
    """Totals per dimension for this week, this month and the term: one
    query (conditional sums)."""
    week = periods.week_of(today)
    month = periods.month_of(today)
    aggregates = {}
    for label, (start, end) in {
        "week": (week.start, week.end),
        "month": (month.start, month.end),
        "term": (term.start_date, term.end_date),
    }.items():
        span = Q(occurred_on__gte=start, occurred_on__lte=end)
        for value, _ in Dimension.choices:
            aggregates[f"{label}__{value}"] = Coalesce(Sum("points", filter=span & Q(dimension=value)), ZERO)
        aggregates[f"{label}__all"] = Coalesce(Sum("points", filter=span), ZERO)
    raw = ConductEvent.objects.filter(student=student, term=term, voided_at__isnull=True).aggregate(**aggregates)
    result = {}
    for key, value in raw.items():
        label, dim = key.split("__")
        result.setdefault(label, {})[dim] = value
    return result


def student_timeline(student, *, term, dimension=None, start=None, end=None, include_voided=True):
    qs = ConductEvent.objects.filter(student=student, term=term).select_related("item", "recorded_by", "voided_by")
    if dimension:
        qs = qs.filter(dimension=dimension)
    if start:
        qs = qs.filter(occurred_on__gte=start)
    if end:
        qs = qs.filter(occurred_on__lte=end)
    if not include_voided:
        qs = qs.filter(LIVE)
    return qs.order_by("-occurred_on", "-created_at", "-id")


def student_trend(student, *, term) -> list[dict]:
    """Points per week of the term (for the chart): one grouped query."""
    from django.db.models.functions import TruncWeek

    rows = (
        ConductEvent.objects.filter(student=student, term=term, voided_at__isnull=True)
        .annotate(week=TruncWeek("occurred_on"))
        .values("week")
        .annotate(plus=Coalesce(Sum("points", filter=Q(points__gt=0)), ZERO), minus=Coalesce(Sum("points", filter=Q(points__lt=0)), ZERO))
        .order_by("week")
    )
    return [{"week": r["week"].isoformat() if r["week"] else "", "plus": float(r["plus"]), "minus": float(r["minus"])} for r in rows]


def guardian_events_for(student, *, limit=30):
    """What guardians see: released events (positive at once, negative
    after review or the release time) and the head teacher's notes in
    place of merged events; never voided ones."""
    events = (
        ConductEvent.objects.filter(student=student, disclosure=Disclosure.RELEASED, voided_at__isnull=True)
        .select_related("item")
        .order_by("-occurred_on", "-created_at")[:limit]
    )
    notes = GuardianNote.objects.filter(student=student).order_by("-created_at")[:10]
    return list(events), list(notes)


def guardian_week_summary(student, *, today: datetime.date) -> dict:
    week = periods.week_of(today)
    row = ConductEvent.objects.filter(
        student=student,
        disclosure=Disclosure.RELEASED,
        voided_at__isnull=True,
        occurred_on__gte=week.start,
        occurred_on__lte=week.end,
    ).aggregate(
        plus=Coalesce(Sum("points", filter=Q(points__gt=0)), ZERO),
        count=Count("pk", filter=Q(points__gt=0)),
    )
    return {"week": week, **row}


def review_queue(school_class):
    """Staged negative events of the class, waiting for the head teacher."""
    return (
        ConductEvent.objects.filter(school_class=school_class, disclosure=Disclosure.STAGED, voided_at__isnull=True)
        .select_related("student", "item", "recorded_by")
        .order_by("student__student_number", "created_at")
    )


def review_queue_by_student(school_class) -> list[dict]:
    """The review queue grouped by student, in student-number order: each
    {"student", "events", "due": the earliest release time or None}. One
    query whatever the number of entries."""
    by_student = {}
    for event in review_queue(school_class):
        entry = by_student.setdefault(event.student_id, {"student": event.student, "events": [], "due": event.release_due_at})
        entry["events"].append(event)
        if event.release_due_at and (entry["due"] is None or event.release_due_at < entry["due"]):
            entry["due"] = event.release_due_at
    return list(by_student.values())


def staff_ranking(school_class, *, term, start=None, end=None):
    """Individual ranking inside a class: staff pages only."""
    span = Q(conduct_events__term=term, conduct_events__voided_at__isnull=True)
    if start:
        span &= Q(conduct_events__occurred_on__gte=start)
    if end:
        span &= Q(conduct_events__occurred_on__lte=end)
    return (
        Student.objects.filter(enrollments__school_class=school_class, enrollments__end_date__isnull=True)
        .annotate(total=Coalesce(Sum("conduct_events__points", filter=span), ZERO))
        .order_by("-total", "student_number")
    )


def group_ranking(school_class, *, start: datetime.date, end: datetime.date, kind=None) -> list[StudentGroup]:
    """Groups of a class ranked by members' points plus group-level points
    in the period: two grouped queries whatever the number of groups."""
    groups = list(class_groups(school_class).filter(**({"kind": kind} if kind else {})))
    member_points = dict(
        GroupMembership.objects.filter(group__in=groups)
        .values_list("group_id")
        .annotate(
            total=Coalesce(
                Sum(
                    "student__conduct_events__points",
                    filter=Q(
                        student__conduct_events__voided_at__isnull=True,
                        student__conduct_events__school_class=school_class,
                        student__conduct_events__occurred_on__gte=start,
                        student__conduct_events__occurred_on__lte=end,
                    ),
                ),
                ZERO,
            )
        )
    )
    group_points = dict(
        GroupEvent.objects.filter(group__in=groups, voided_at__isnull=True, occurred_on__gte=start, occurred_on__lte=end)
        .values_list("group_id")
        .annotate(total=Sum("points"))
    )
    sizes = dict(GroupMembership.objects.filter(group__in=groups).values_list("group_id").annotate(n=Count("pk")))
    for g in groups:
        g.member_points = member_points.get(g.pk, ZERO)
        g.group_points = group_points.get(g.pk, ZERO)
        g.total = g.member_points + g.group_points
        g.size = sizes.get(g.pk, 0)
    return sorted(groups, key=lambda g: (-g.total, g.name))


def best_group_of_month(school_class, *, day: datetime.date, kind=None):
    month = periods.month_of(day)
    ranking = group_ranking(school_class, start=month.start, end=month.end, kind=kind)
    return ranking[0] if ranking and ranking[0].total > 0 else None


def class_week_figures(*, school, start: datetime.date, end: datetime.date) -> dict:
    """Per class: number of entries, points awarded and deducted, staged
    entries waiting: one grouped query."""
    rows = (
        ConductEvent.objects.filter(school=school, occurred_on__gte=start, occurred_on__lte=end, voided_at__isnull=True)
        .values("school_class_id")
        .annotate(
            count=Count("pk"),
            plus=Sum("points", filter=Q(points__gt=0)),
            minus=Sum("points", filter=Q(points__lt=0)),
            staged=Count("pk", filter=Q(disclosure=Disclosure.STAGED)),
        )
    )
    return {r["school_class_id"]: r for r in rows}


def class_aggregates(school_class, *, start, end) -> dict:
    """Class-level figures a whole class may see: totals per dimension, no individual."""
    return _dimension_sums(
        ConductEvent.objects.filter(school_class=school_class, occurred_on__gte=start, occurred_on__lte=end, voided_at__isnull=True)
    )


def bank_balances(school_class):
    """Character-bank balance of each current student of the class (staff
    pages): two grouped queries."""
    students = list(
        Student.objects.filter(enrollments__school_class=school_class, enrollments__end_date__isnull=True)
        .annotate(earned=Coalesce(Sum("conduct_events__points", filter=Q(conduct_events__points__gt=0, conduct_events__voided_at__isnull=True)), ZERO))
        .order_by("student_number")
    )
    spent = dict(
        Redemption.objects.filter(student__in=students, voided_at__isnull=True).values_list("student_id").annotate(total=Sum("cost"))
    )
    for s in students:
        s.spent = spent.get(s.pk, ZERO)
        s.balance = s.earned - s.spent
    return students


def class_rewards(school_class, *, active_only=False):
    qs = Reward.objects.filter(school_class=school_class)
    return qs.filter(is_active=True) if active_only else qs


def star_candidates(school_class, category: StarCategory, *, start, end, limit=5):
    """Students with the most positive points in the period (in the star's
    dimension if it has one): a suggestion, the teacher decides."""
    flt = Q(conduct_events__points__gt=0, conduct_events__voided_at__isnull=True,
            conduct_events__occurred_on__gte=start, conduct_events__occurred_on__lte=end)
    if category.dimension:
        flt &= Q(conduct_events__dimension=category.dimension)
    return (
        Student.objects.filter(enrollments__school_class=school_class, enrollments__end_date__isnull=True)
        .annotate(earned=Coalesce(Sum("conduct_events__points", filter=flt), ZERO), last=Max("conduct_events__occurred_on", filter=flt))
        .filter(earned__gt=0)
        .order_by("-earned", "student_number")[:limit]
    )


def stars_of_student(student, *, confirmed_only=True):
    qs = StarAward.objects.filter(student=student).select_related("category")
    if confirmed_only:
        qs = qs.filter(status=StarStatus.CONFIRMED)
    return qs.order_by("-period_start")


def class_star_awards(school_class, *, since):
    return (
        StarAward.objects.filter(school_class=school_class, period_end__gte=since)
        .select_related("category", "student")
        .order_by("-period_start", "category__ordering")
    )


def pending_school_stars(school):
    return (
        StarAward.objects.filter(school=school, status=StarStatus.NOMINATED)
        .select_related("category", "student", "school_class", "nominated_by")
        .order_by("category__ordering", "school_class__grade__level", "school_class__number")
    )


def class_redemptions(school_class):
    """Redemptions of the class's rewards, newest first (staff pages)."""
    return (
        Redemption.objects.filter(school=school_class.school_id, reward__school_class=school_class)
        .select_related("student", "reward", "redeemed_by", "voided_by")
        .order_by("-created_at", "-pk")
    )


def active_star_categories(school):
    return StarCategory.objects.filter(school=school, is_active=True).order_by("ordering", "pk")
