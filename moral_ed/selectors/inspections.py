"""Reads of class inspections (班级量化考核), vetoes (一票否决) and the
published weekly ranking. Totals are `Sum` in the database over unvoided
rows; nothing here loops over entries to add them up.

For other parts (the evaluation service):
- class_inspection_totals(school, start, end) -> {class_id: Decimal}
- vetoes_in(school, start, end) -> {class_id: [ClassVeto, ...]}
"""

import datetime
from collections.abc import Callable
from decimal import Decimal
from types import SimpleNamespace

from django.db.models import Count, Sum

from classes import periods
from classes.models import SchoolClass
from core.templatetags.banwu_tags import signed_points

from ..models import ClassEvent, ClassResult, ClassVeto, Evaluation, EvaluationKind, InspectionItem, RevisionStatus

ZERO = Decimal(0)


def active_inspection_items(school):
    """The school's active inspection items, in the grid's order."""
    return InspectionItem.objects.filter(school=school, is_active=True).order_by("ordering", "pk")


def inspection_classes(school, term):
    """The classes of the term's school year, by grade and number, with
    their grade: the rows of the inspection grid. One query."""
    if term is None:
        return SchoolClass.objects.none()
    return (
        SchoolClass.objects.filter(school=school, school_year_id=term.school_year_id)
        .select_related("grade")
        .order_by("grade__level", "number")
    )


def day_entries(school, day: datetime.date, *, class_ids=None):
    """The inspection entries of one school day (voided ones too, for the
    struck-through lines), oldest first, with item and authors. One query
    (index school, occurred_on)."""
    qs = ClassEvent.objects.filter(school=school, occurred_on=day)
    if class_ids is not None:
        qs = qs.filter(school_class_id__in=class_ids)
    return qs.select_related("item", "recorded_by", "voided_by").order_by("created_at", "pk")


def class_inspection_totals(school, start: datetime.date, end: datetime.date, *, class_ids=None) -> dict:
    """{class_id: Sum(points)} of the unvoided inspection entries of each
    class from `start` to `end` (both included): one GROUP BY query.
    Classes without entries are absent (their total is 0). Used by the
    grid (the week so far), a class's own page, and the evaluation."""
    qs = ClassEvent.objects.filter(school=school, occurred_on__gte=start, occurred_on__lte=end, voided_at__isnull=True)
    if class_ids is not None:
        qs = qs.filter(school_class_id__in=class_ids)
    return dict(qs.order_by().values_list("school_class_id").annotate(total=Sum("points")))


def inspection_cards(school, *, classes, items, day: datetime.date, focus=None, can_void: Callable[[ClassEvent], bool]) -> list:
    """One card per class for the grid: the item buttons (only `focus`'s
    when given) with the day's count, the day's entries (voided ones
    included, each with `can_void` as the policy answers) and the day's
    and week's totals. Two queries whatever the number of classes, items
    and entries."""
    class_ids = [c.pk for c in classes]
    week = periods.week_of(day)
    entries = list(day_entries(school, day, class_ids=class_ids))
    week_totals = class_inspection_totals(school, week.start, min(week.end, day), class_ids=class_ids)
    by_class = {pk: [] for pk in class_ids}
    for e in entries:
        e.can_void = not e.is_voided and can_void(e)
        by_class[e.school_class_id].append(e)
    shown_items = [focus] if focus else items
    cards = []
    for c in classes:
        live = [e for e in by_class[c.pk] if not e.is_voided]
        counts = {}
        for e in live:
            counts[e.item_id] = counts.get(e.item_id, 0) + 1
        cards.append(
            SimpleNamespace(
                school_class=c,
                entries=by_class[c.pk],
                day_total=sum((e.points for e in live), ZERO),
                week_total=week_totals.get(c.pk, ZERO),
                buttons=[SimpleNamespace(item=i, count=counts.get(i.pk, 0)) for i in shown_items],
            )
        )
    return cards


def class_item_totals(school_class, start: datetime.date, end: datetime.date) -> list[dict]:
    """Per item, the number and the sum of a class's unvoided entries in
    the period, biggest deduction first: one GROUP BY query."""
    rows = (
        ClassEvent.objects.filter(school_class=school_class, occurred_on__gte=start, occurred_on__lte=end, voided_at__isnull=True)
        .order_by()
        .values("item_id", "item__name")
        .annotate(count=Count("pk"), total=Sum("points"))
    )
    return sorted(rows, key=lambda r: (r["total"], r["item__name"] or ""))


def class_inspection_history(school_class, start: datetime.date, end: datetime.date):
    """A class's entries in the period, newest first, voided ones included."""
    return (
        ClassEvent.objects.filter(school_class=school_class, occurred_on__gte=start, occurred_on__lte=end)
        .select_related("item", "recorded_by", "voided_by")
        .order_by("-occurred_on", "-created_at", "-pk")
    )


def class_day_summaries(*, school, day: datetime.date) -> dict:
    """For the daily report: {class_id: {"total", "total_text", "items_text"}}
    for classes with unvoided entries on `day`. One grouped query."""
    rows = (
        ClassEvent.objects.filter(school=school, occurred_on=day, voided_at__isnull=True)
        .order_by()
        .values("school_class_id", "item__name")
        .annotate(count=Count("pk"), total=Sum("points"))
        .order_by("school_class_id", "total", "item__name")
    )
    out = {}
    for r in rows:
        entry = out.setdefault(r["school_class_id"], {"total": ZERO, "parts": []})
        entry["total"] += r["total"]
        name = r["item__name"] or "—"
        points = signed_points(r["total"])
        entry["parts"].append(f"{name} ×{r['count']} ({points})" if r["count"] > 1 else f"{name} ({points})")
    for entry in out.values():
        total = entry["total"]
        entry["total_text"] = signed_points(total)
        entry["items_text"] = "、".join(entry.pop("parts"))
    return out


def vetoes_in(school, start: datetime.date, end: datetime.date, *, class_ids=None) -> dict:
    """{class_id: [ClassVeto, ...]}: the unvoided vetoes whose incident
    date lies from `start` to `end` (both included), oldest first, per
    class. One query. A class with a veto in the period is barred from the
    period's award (the evaluation marks it vetoed, with the reasons)."""
    qs = ClassVeto.objects.filter(school=school, occurred_on__gte=start, occurred_on__lte=end, voided_at__isnull=True)
    if class_ids is not None:
        qs = qs.filter(school_class_id__in=class_ids)
    out = {}
    for veto in qs.order_by("occurred_on", "pk"):
        out.setdefault(veto.school_class_id, []).append(veto)
    return out


def veto_list(school, *, school_class=None, start=None, end=None):
    """Vetoes of the school (voided ones too), newest first, with class
    and authors."""
    qs = ClassVeto.objects.filter(school=school)
    if school_class is not None:
        qs = qs.filter(school_class=school_class)
    if start is not None:
        qs = qs.filter(occurred_on__gte=start)
    if end is not None:
        qs = qs.filter(occurred_on__lte=end)
    return qs.select_related("school_class__grade", "recorded_by", "voided_by").order_by("-occurred_on", "-pk")


# --- The published weekly ranking (班级量化考核公示) ------------------------------------------


def published_weekly_evaluations(school):
    """The school's weekly evaluations that have a published revision,
    newest week first. Class-level only."""
    return Evaluation.objects.filter(
        school=school, kind=EvaluationKind.WEEKLY, revisions__status=RevisionStatus.PUBLISHED
    ).order_by("-period_start")


def published_weekly_ranking(evaluation) -> tuple[list[dict], object]:
    """The published weekly results grouped by grade ([{"grade", "rows"}],
    in published_weekly_results' order) and their revision (None without
    rows): one query."""
    grades = []
    rows = list(published_weekly_results(evaluation))
    for row in rows:
        if not grades or grades[-1]["grade"].pk != row.grade_id:
            grades.append({"grade": row.grade, "rows": []})
        grades[-1]["rows"].append(row)
    return grades, rows[0].revision if rows else None


def published_weekly_results(evaluation):
    """The class rows of the evaluation's published revision, by grade and
    rank in grade: class, grade, score, ranks, veto. No student data."""
    return (
        ClassResult.objects.filter(revision__evaluation=evaluation, revision__status=RevisionStatus.PUBLISHED)
        .select_related("school_class", "grade", "revision")
        .order_by("grade__level", "rank_in_grade", "school_class__number")
    )
