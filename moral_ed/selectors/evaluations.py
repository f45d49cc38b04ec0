"""Reads of the weekly and monthly evaluations: the figures the evaluation
service computes from the ledgers, and the archive pages' lists.

The figure queries (`*_figures`) aggregate in the database: grouped sums,
correlated subqueries per class, group or room, and window functions for
the ranks. Nothing here loops over ledger events in Python; the callers
combine a few grouped rows per class at most.

Ranks are standard competition ranks (SQL `RANK()`): equal scores share a
place and the next place is skipped (1, 2, 2, 4). Rows with equal scores
are listed by grade, class number and id, so every listing is stable.
"""

import datetime
from decimal import Decimal

from django.db.models import (
    Aggregate,
    CharField,
    Count,
    DecimalField,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    Window,
)
from django.db.models.functions import Coalesce, Rank, RowNumber

from classes.models import SchoolClass, TeachingAssignment, Term
from students.models import Enrollment

from ..models import (
    ClassEvent,
    ClassResult,
    ClassVeto,
    ConductEvent,
    Dimension,
    DormEvent,
    DormResult,
    DormRoom,
    Evaluation,
    EvaluationRevision,
    GroupEvent,
    GroupResult,
    HeadTeacherAppraisal,
    StudentGroup,
    StudentResult,
)
from ..models.conduct import POINTS

ZERO = Decimal("0.0")
POINTS_FIELD = DecimalField(**POINTS)
VETO_SEPARATOR = "；"


class JoinedText(Aggregate):
    """Texts of a group joined with VETO_SEPARATOR, in the order of the
    other expressions (STRING_AGG … ORDER BY on PostgreSQL; SQLite, the
    development database, joins with GROUP_CONCAT in row order)."""

    function = "STRING_AGG"
    output_field = CharField()

    def as_sql(self, compiler, connection, **extra_context):
        text, *order = self.source_expressions
        text_sql, text_params = compiler.compile(text)
        order_parts = [compiler.compile(expression) for expression in order]
        order_sql = ", ".join(sql for sql, _params in order_parts)
        params = [*text_params, VETO_SEPARATOR, *(p for _sql, more in order_parts for p in more)]
        return f"STRING_AGG({text_sql}, %s ORDER BY {order_sql})", params

    def as_sqlite(self, compiler, connection, **extra_context):
        text_sql, params = compiler.compile(self.source_expressions[0])
        return f"GROUP_CONCAT({text_sql}, %s)", [*params, VETO_SEPARATOR]


def term_for_period(school, start: datetime.date, end: datetime.date) -> Term | None:
    """The term an evaluated period belongs to: the school's term that
    overlaps it (the latest, if a week straddles two)."""
    return (
        Term.objects.filter(school=school, start_date__lte=end, end_date__gte=start)
        .select_related("school_year")
        .order_by("-start_date")
        .first()
    )


def _live_in(start, end) -> dict:
    return {"occurred_on__gte": start, "occurred_on__lte": end, "voided_at__isnull": True}


# --- Figures (the evaluation service's reads) ---------------------------------------------


def class_figures(*, school, term, start, end, base_points: Decimal) -> list[dict]:
    """Every class of the term's school year, one query: inspection points
    (unvoided ClassEvents of the period), score = base + those points, the
    number and reasons of unvoided vetoes in the period, ranks in grade and
    school, the class count of its grade, and `eligible_place`: the rank in
    grade among the classes without a veto (what the civilized share uses).
    Ordered by rank in school, then grade level, class number and id."""
    live = _live_in(start, end)
    inspection = (
        ClassEvent.objects.filter(school=school, school_class=OuterRef("pk"), **live)
        .order_by()
        .values("school_class")
        .annotate(total=Sum("points"))
        .values("total")
    )
    vetoes = ClassVeto.objects.filter(school=school, school_class=OuterRef("pk"), **live).order_by().values("school_class")
    score = F("inspection_points") + Value(base_points, output_field=POINTS_FIELD)
    return list(
        SchoolClass.objects.filter(school=school, school_year_id=term.school_year_id)
        .annotate(
            inspection_points=Coalesce(Subquery(inspection, output_field=POINTS_FIELD), Value(ZERO), output_field=POINTS_FIELD),
            veto_count=Coalesce(Subquery(vetoes.annotate(n=Count("pk")).values("n"), output_field=IntegerField()), 0),
            veto_reason=Coalesce(
                Subquery(vetoes.annotate(text=JoinedText("reason", "occurred_on", "pk")).values("text"), output_field=CharField()),
                Value(""),
            ),
        )
        .annotate(score=score)
        .annotate(
            rank_in_grade=Window(Rank(), partition_by=[F("grade_id")], order_by=F("score").desc()),
            rank_in_school=Window(Rank(), order_by=F("score").desc()),
            grade_size=Window(Count("pk"), partition_by=[F("grade_id")]),
            # Classes without a veto first: their RANK() is their place among the eligible.
            eligible_place=Window(
                Rank(), partition_by=[F("grade_id")], order_by=[F("veto_count").asc(nulls_first=True), F("score").desc()]
            ),
        )
        .order_by("rank_in_school", "grade__level", "number", "pk")
        .values(
            "pk", "name", "grade_id", "grade__level", "number", "inspection_points", "score", "veto_count", "veto_reason",
            "rank_in_grade", "rank_in_school", "grade_size", "eligible_place",
        )
    )


def class_conduct_figures(*, school, class_ids, start, end) -> list[dict]:
    """Students' conduct points of the period per class and recorder: one
    GROUP BY over ConductEvent (rows: classes × people who recorded)."""
    return list(
        ConductEvent.objects.filter(school=school, school_class_id__in=class_ids, **_live_in(start, end))
        .order_by()
        .values("school_class_id", "recorded_by_id")
        .annotate(points=Sum("points"), entries=Count("pk"))
    )


def group_event_counts(*, school, class_ids, start, end) -> list[dict]:
    """Group events of the period per class and recorder: one GROUP BY."""
    return list(
        GroupEvent.objects.filter(school=school, group__school_class_id__in=class_ids, **_live_in(start, end))
        .order_by()
        .values("group__school_class_id", "recorded_by_id")
        .annotate(entries=Count("pk"))
    )


def student_figures(*, school, class_ids, start, end) -> list[dict]:
    """Each student's points of the period by dimension and in total: one
    GROUP BY over ConductEvent with a conditional SUM per dimension."""
    sums = {
        dimension: Coalesce(Sum("points", filter=Q(dimension=dimension)), Value(ZERO), output_field=POINTS_FIELD)
        for dimension in Dimension.values
    }
    return list(
        ConductEvent.objects.filter(school=school, school_class_id__in=class_ids, **_live_in(start, end))
        .order_by()
        .values("student_id")
        .annotate(**sums, total=Sum("points"), last_class_id=Max("school_class_id"))
    )


def student_classes(*, class_ids, start, end) -> dict[int, int]:
    """student id → the class they were in at the end of the period (their
    last enrollment in an evaluated class that overlaps the period)."""
    rows = (
        Enrollment.objects.filter(school_class_id__in=class_ids, start_date__lte=end)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
        .order_by("student_id", "start_date", "pk")
        .values_list("student_id", "school_class_id")
    )
    # Later enrollments overwrite earlier ones (rows of enrollments, not of events).
    return dict(rows)


def group_figures(*, school, class_ids, start, end) -> list[dict]:
    """Active groups of the classes with their group points of the period
    and their rank among the class's groups of the same kind (1 = best):
    one query."""
    points = (
        GroupEvent.objects.filter(group=OuterRef("pk"), **_live_in(start, end))
        .order_by()
        .values("group")
        .annotate(total=Sum("points"))
        .values("total")
    )
    return list(
        StudentGroup.objects.filter(school=school, school_class_id__in=class_ids, is_active=True)
        .annotate(points=Coalesce(Subquery(points, output_field=POINTS_FIELD), Value(ZERO), output_field=POINTS_FIELD))
        .annotate(
            rank_in_class=Window(Rank(), partition_by=[F("school_class_id"), F("kind")], order_by=F("points").desc())
        )
        .order_by("school_class_id", "kind", "rank_in_class", "name", "pk")
        .values("pk", "school_class_id", "points", "rank_in_class")
    )


def dorm_figures(*, school, start, end) -> list[dict]:
    """Rooms in use with their deductions of the period (as a positive
    number: the negative points of unvoided DormEvents in the room, for the
    room and for its students), their rank (fewest deductions first) and
    the number of rooms: one query."""
    deductions = (
        DormEvent.objects.filter(room=OuterRef("pk"), points__lt=0, **_live_in(start, end))
        .order_by()
        .values("room")
        .annotate(total=Sum(F("points") * Value(Decimal("-1")), output_field=POINTS_FIELD))
        .values("total")
    )
    return list(
        DormRoom.objects.filter(school=school, is_active=True)
        .annotate(deductions=Coalesce(Subquery(deductions, output_field=POINTS_FIELD), Value(ZERO), output_field=POINTS_FIELD))
        .annotate(
            rank=Window(Rank(), order_by=F("deductions").asc()),
            room_count=Window(Count("pk")),
        )
        .order_by("rank", "building__ordering", "building__name", "number", "pk")
        .values("pk", "deductions", "rank", "room_count")
    )


def head_teachers_of(*, term, class_ids) -> list[tuple[int, int]]:
    """(teacher id, class id) of the head teachers of the classes in the term."""
    return list(
        TeachingAssignment.objects.filter(term=term, is_head_teacher=True, school_class_id__in=class_ids)
        .order_by("school_class_id", "teacher_id")
        .values_list("teacher_id", "school_class_id")
    )


# --- The archive pages -------------------------------------------------------------------


def evaluation_list_for(school, *, published_only: bool, kind: str | None = None):
    """The school's evaluations, newest first, each with its latest revision
    (`latest_pk`, `latest_number`, `latest_status`) and, for readers who see
    published results only, without drafts: one query whatever the number."""
    revisions = EvaluationRevision.objects.filter(evaluation=OuterRef("pk")).order_by("-number")
    if published_only:
        revisions = revisions.filter(published_at__isnull=False)
    qs = (
        Evaluation.objects.filter(school=school)
        .annotate(
            latest_pk=Subquery(revisions.values("pk")[:1]),
            latest_number=Subquery(revisions.values("number")[:1]),
            latest_status=Subquery(revisions.values("status")[:1]),
        )
        .order_by("-period_start", "kind", "pk")
    )
    if kind:
        qs = qs.filter(kind=kind)
    if published_only:
        qs = qs.filter(latest_pk__isnull=False)
    return qs


def revisions_of(evaluation, *, published_only: bool):
    qs = EvaluationRevision.objects.filter(evaluation=evaluation).only("pk", "number", "status", "evaluation_id").order_by("-number")
    return qs.filter(published_at__isnull=False) if published_only else qs


def class_results(revision, *, class_ids=None):
    qs = ClassResult.objects.filter(revision=revision).select_related("school_class", "grade")
    if class_ids is not None:
        qs = qs.filter(school_class_id__in=class_ids)
    return qs.order_by("rank_in_school", "grade__level", "school_class__number", "pk")


def best_groups(revision, *, class_ids=None):
    """The first-placed group(s) of each class and kind."""
    qs = GroupResult.objects.filter(revision=revision, rank_in_class=1).select_related("group", "school_class__grade")
    if class_ids is not None:
        qs = qs.filter(school_class_id__in=class_ids)
    return qs.order_by("school_class__grade__level", "school_class__number", "group__kind", "group__name")


def top_students(revision, *, per_class: int = 3, class_ids=None):
    """The `per_class` students with the most points in each class (ties by
    student number): one query, a window function numbers the rows."""
    qs = StudentResult.objects.filter(revision=revision)
    if class_ids is not None:
        qs = qs.filter(school_class_id__in=class_ids)
    return (
        qs.select_related("student", "school_class__grade")
        .annotate(
            place=Window(
                RowNumber(), partition_by=[F("school_class_id")], order_by=[F("total").desc(), F("student__student_number").asc()]
            )
        )
        .filter(place__lte=per_class)
        .order_by("school_class__grade__level", "school_class__number", "place")
    )


def student_results(revision, *, class_ids=None, school_class_id=None):
    qs = StudentResult.objects.filter(revision=revision).select_related("student", "school_class__grade")
    if class_ids is not None:
        qs = qs.filter(school_class_id__in=class_ids)
    if school_class_id is not None:
        qs = qs.filter(school_class_id=school_class_id)
    return qs.order_by("school_class__grade__level", "school_class__number", "-total", "student__student_number", "pk")


def dorm_results(revision):
    return DormResult.objects.filter(revision=revision).select_related("room__building").order_by(
        "rank", "room__building__ordering", "room__building__name", "room__number", "pk"
    )


def appraisals(revision, *, teacher=None):
    qs = HeadTeacherAppraisal.objects.filter(revision=revision).select_related("teacher", "school_class__grade")
    if teacher is not None:
        qs = qs.filter(teacher=teacher)
    return qs.order_by("rank_in_school", "school_class__grade__level", "school_class__number", "pk")


def result_counts(revision) -> dict:
    """Classes, civilized classes and vetoed classes of a revision: one query."""
    return ClassResult.objects.filter(revision=revision).aggregate(
        classes=Count("pk"),
        civilized=Count("pk", filter=Q(civilized=True)),
        vetoed=Count("pk", filter=Q(vetoed=True)),
    )


def results_by_grade(results) -> list[dict]:
    """Class results (already fetched) grouped by grade in grade order,
    each grade's rows in its ranking order: [{"grade", "rows"}], no query."""
    grades = {}
    for r in results:
        grades.setdefault(r.grade_id, {"grade": r.grade, "rows": []})["rows"].append(r)
    ordered = sorted(grades.values(), key=lambda g: g["grade"].level)
    for g in ordered:
        g["rows"].sort(key=lambda r: (r.rank_in_grade, r.school_class.number, r.pk))
    return ordered
