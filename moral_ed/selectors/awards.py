"""Reads for term awards and practice credits. Totals are `Sum` in the
database over unvoided ledger rows; no loop over events in Python.

The candidate list (award_candidates) is the basis of a proposal: the
class's students by term conduct total with their dimension sums and
confirmed stars, and the class's inspection standing in its grade with
its vetoes. Each figure costs one grouped query whatever the class size.
"""

from decimal import Decimal

from django.db.models import Count, Exists, FilteredRelation, IntegerField, OuterRef, Prefetch, Q, Subquery, Sum
from django.db.models.functions import Coalesce

from classes.models import SchoolClass, TeachingAssignment
from students.models import Enrollment, Student

from ..models import (
    PRACTICE_CREDITS,
    ClassVeto,
    Dimension,
    EvaluationRevision,
    PracticeEvidence,
    PracticeKind,
    PracticeRecord,
    RevisionStatus,
    StarAward,
    StarStatus,
    TermAward,
)

ZERO = Decimal(0)


def competition_ranks(values) -> list[int]:
    """1, 2, 2, 4 for values already sorted best first: equal values share a place."""
    ranks, place, previous = [], 0, object()
    for index, value in enumerate(values, start=1):
        if value != previous:
            place, previous = index, value
        ranks.append(place)
    return ranks


# --- Candidates -------------------------------------------------------------------------


def _term_stars(term):
    """Confirmed stars of a student whose period starts inside the term (a correlated COUNT)."""
    return Subquery(
        StarAward.objects.filter(
            student=OuterRef("pk"),
            status=StarStatus.CONFIRMED,
            period_start__gte=term.start_date,
            period_start__lte=term.end_date,
        )
        .order_by()
        .values("student")
        .annotate(n=Count("pk"))
        .values("n"),
        output_field=IntegerField(),
    )


def student_term_totals(school_class, *, term):
    """The class's current students with their term conduct sums per
    dimension (`morality`, `study`, …), `total` and `stars` (confirmed
    stars of the term). One grouped query: the term and "not voided" go
    into the JOIN, so only the term's events are read. Events the student
    earned in another class this term count too: the award is the
    student's, not the class's."""
    dimension_sums = {
        value: Coalesce(Sum("_term_events__points", filter=Q(_term_events__dimension=value)), ZERO) for value in Dimension.values
    }
    return (
        Student.objects.filter(enrollments__school_class=school_class, enrollments__end_date__isnull=True)
        .annotate(
            _term_events=FilteredRelation(
                "conduct_events", condition=Q(conduct_events__term=term, conduct_events__voided_at__isnull=True)
            ),
        )
        .annotate(**dimension_sums, total=Coalesce(Sum("_term_events__points"), ZERO), stars=Coalesce(_term_stars(term), 0))
        .only("pk", "name", "student_number", "school_id")
    )


def award_candidates(school_class, *, term) -> list[Student]:
    """Students best first (term total, then stars, then number), each with
    `place` in the class (equal totals share it) and `dimensions`, a list
    of (label, sum) for templates."""
    students = list(student_term_totals(school_class, term=term).order_by("-total", "-stars", "student_number"))
    for student, place in zip(students, competition_ranks([s.total for s in students]), strict=True):
        student.place = place
        student.dimensions = [getattr(student, value) for value in Dimension.values]
    return students


def grade_inspection_totals(*, term, grade_id=None) -> dict[int, dict]:
    """Per class of the term's school year (of one grade, or all): the
    term's inspection `total` (unvoided ClassEvent points) and `rank` in
    its grade (best total first; equal totals share a place), with
    `classes` in the grade. One grouped query."""
    qs = SchoolClass.objects.filter(school_id=term.school_id, school_year_id=term.school_year_id)
    if grade_id is not None:
        qs = qs.filter(grade_id=grade_id)
    rows = list(
        qs.annotate(
            _events=FilteredRelation(
                "class_events", condition=Q(class_events__term=term, class_events__voided_at__isnull=True)
            )
        )
        .annotate(total=Coalesce(Sum("_events__points"), ZERO))
        .values_list("pk", "grade_id", "total")
        .order_by("grade_id", "-total", "pk")
    )
    by_grade = {}
    for pk, grade, total in rows:
        by_grade.setdefault(grade, []).append((pk, total))
    result = {}
    for classes in by_grade.values():
        for (pk, total), rank in zip(classes, competition_ranks([t for _, t in classes]), strict=True):
            result[pk] = {"total": total, "rank": rank, "classes": len(classes)}
    return result


def class_vetoes(*, term, class_ids):
    """Unvoided vetoes of the term for these classes, newest first."""
    return ClassVeto.objects.filter(term=term, school_class_id__in=class_ids, voided_at__isnull=True).order_by("-occurred_on", "-pk")


def class_standing(school_class, *, term) -> dict:
    """The class's term inspection total, its rank in its grade and its
    unvoided vetoes of the term: two queries."""
    figures = grade_inspection_totals(term=term, grade_id=school_class.grade_id)
    mine = figures.get(school_class.pk, {"total": ZERO, "rank": None, "classes": 0})
    return {**mine, "vetoes": list(class_vetoes(term=term, class_ids=[school_class.pk]))}


def _points(value) -> str:
    """Points as stored (one decimal), whatever scale the database's SUM
    returns (SQLite drops it: 3 instead of 3.0)."""
    return str(Decimal(value or 0).quantize(Decimal("0.1")))


def student_basis(student) -> dict:
    """The figures a student proposal is made on (TermAward.basis)."""
    return {
        "total": _points(student.total),
        "dimensions": {value: _points(getattr(student, value)) for value in Dimension.values},
        "stars": student.stars,
        "place_in_class": student.place,
    }


def class_basis(standing: dict) -> dict:
    return {
        "inspection_total": str(standing["total"]),
        "rank_in_grade": standing["rank"],
        "classes_in_grade": standing["classes"],
        "vetoes": [{"date": v.occurred_on.isoformat(), "reason": v.reason} for v in standing["vetoes"]],
    }


# --- Proposals and decisions ------------------------------------------------------------


def _awards(school_id):
    return TermAward.objects.filter(school_id=school_id).select_related(
        "term__school_year", "school_class__grade", "student", "teacher", "proposed_by", "decided_by"
    )


def class_awards(school_class, *, term):
    """Every proposal of the class in the term, whatever its status."""
    return _awards(school_class.school_id).filter(school_class=school_class, term=term).order_by(
        "kind", "status", "student__student_number", "pk"
    )


def award_queue(school, *, term, kind=None, grade_id=None, status=None):
    """The office's queue: a term's proposals, filtered; waiting ones first."""
    qs = _awards(school.pk).filter(term=term)
    if kind:
        qs = qs.filter(kind=kind)
    if grade_id:
        qs = qs.filter(school_class__grade_id=grade_id)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-status", "kind", "school_class__grade__level", "school_class__number", "student__student_number", "pk")


def award_queue_rows(awards, *, term) -> list[TermAward]:
    """A page of the office's queue, each award with its class's unvoided
    vetoes of the term (`vetoes`) and its inspection standing in its grade
    (`standing`): two queries whatever the page size, none for the standing
    of an empty page."""
    awards = list(awards)
    vetoes = {}
    for v in class_vetoes(term=term, class_ids={a.school_class_id for a in awards}):
        vetoes.setdefault(v.school_class_id, []).append(v)
    standing = grade_inspection_totals(term=term) if awards else {}
    for a in awards:
        a.vetoes = vetoes.get(a.school_class_id, [])
        a.standing = standing.get(a.school_class_id)
    return awards


def award_kind_counts(school, *, term, status=None) -> dict:
    qs = TermAward.objects.filter(school=school, term=term)
    if status:
        qs = qs.filter(status=status)
    return dict(qs.values_list("kind").annotate(n=Count("pk")).order_by())


def award_list_for(school, *, term, class_ids=None, status=None):
    """A term's awards (all classes, or the classes in `class_ids`, a
    subquery the policy chose), in the order of the award list."""
    qs = _awards(school.pk).filter(term=term)
    if class_ids is not None:
        qs = qs.filter(school_class_id__in=class_ids)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("kind", "school_class__grade__level", "school_class__number", "student__student_number", "pk")


def head_teachers_of(*, term, class_ids) -> dict[int, list]:
    """{class id: [head teacher users]} for the term (one query)."""
    result = {}
    for a in TeachingAssignment.objects.filter(term=term, school_class_id__in=class_ids, is_head_teacher=True).select_related("teacher"):
        result.setdefault(a.school_class_id, []).append(a.teacher)
    return result


def classes_with_head_teachers(school, *, term):
    """The classes of the term's school year with their head teacher (for
    the office's outstanding-head-teacher proposal): one query."""
    head = TeachingAssignment.objects.filter(term=term, is_head_teacher=True).select_related("teacher")
    return (
        SchoolClass.objects.filter(school=school, school_year_id=term.school_year_id)
        .select_related("grade")
        .prefetch_related(Prefetch("assignments", queryset=head, to_attr="head_assignments"))
        .order_by("grade__level", "number")
    )


def published_revisions(school, *, limit=12):
    return (
        EvaluationRevision.objects.filter(school=school, status=RevisionStatus.PUBLISHED)
        .select_related("evaluation")
        .order_by("-evaluation__period_start", "evaluation__kind")[:limit]
    )


def revision_class_results(revision):
    return revision.class_results.select_related("school_class", "grade").order_by("rank_in_school", "grade__level", "school_class__number")


# --- Practice ------------------------------------------------------------------------------


def credits_for(kinds) -> int:
    """Credits a school year earns with records of these kinds (seed 001 篇7:
    2 for social practice, 1 for community service)."""
    return sum(credit for kind, credit in PRACTICE_CREDITS.items() if kind in set(kinds))


def _evidence_facts():
    """Evidence without its bytes (the list pages never read a file)."""
    return PracticeEvidence.objects.defer("data").order_by("pk")


def practice_overview(school_class, *, school_year, missing_only=False) -> list[Student]:
    """The class's current students, each with `records` (unvoided and
    voided, newest first, evidence facts prefetched), `kinds` held by
    unvoided records, `credits` and `missing` (kinds without a record).
    Three queries whatever the class size."""
    records = (
        PracticeRecord.objects.filter(school_year=school_year)
        .select_related("recorded_by", "voided_by")
        .prefetch_related(Prefetch("evidence", queryset=_evidence_facts(), to_attr="files"))
        .order_by("-occurred_on", "-pk")
    )
    students = list(
        Student.objects.filter(enrollments__school_class=school_class, enrollments__end_date__isnull=True)
        .prefetch_related(Prefetch("practice_records", queryset=records, to_attr="records"))
        .order_by("student_number")
        .only("pk", "name", "student_number", "school_id")
    )
    for s in students:
        _practice_figures(s, s.records)
    if missing_only:
        students = [s for s in students if s.missing]
    return students


def _practice_figures(target, records):
    kinds = {r.kind for r in records if not r.is_voided}
    target.kinds = kinds
    target.credits = credits_for(kinds)
    target.missing = [(value, label) for value, label in PracticeKind.choices if value not in kinds]


def practice_of_student(student, *, current_year=None):
    """A student's unvoided practice records of every school year, newest
    year first, grouped: [{"year", "records", "credits", "missing"}]; the
    current school year is always there, even without records. Two
    queries (records with their year, evidence facts)."""
    records = (
        PracticeRecord.objects.filter(student=student, voided_at__isnull=True)
        .select_related("school_year")
        .prefetch_related(Prefetch("evidence", queryset=_evidence_facts(), to_attr="files"))
        .order_by("-school_year__start_date", "-occurred_on", "-pk")
    )
    years = {}
    if current_year is not None:
        years[current_year.pk] = {"year": current_year, "records": []}
    for r in records:
        years.setdefault(r.school_year_id, {"year": r.school_year, "records": []})["records"].append(r)
    result = []
    for entry in years.values():
        holder = type("Figures", (), {})()
        _practice_figures(holder, entry["records"])
        entry.update(kinds=holder.kinds, credits=holder.credits, missing=holder.missing)
        result.append(entry)
    return result


def _has(kind, school_year):
    return Exists(
        PracticeRecord.objects.filter(student=OuterRef("student"), school_year=school_year, kind=kind, voided_at__isnull=True)
    )


def students_missing_practice(*, school_year, class_ids):
    """Open enrollments of these classes whose student lacks an unvoided
    record of either kind in the school year, with `has_social` and
    `has_community`: one query."""
    return (
        Enrollment.objects.filter(school_class_id__in=class_ids, school_year=school_year, end_date__isnull=True)
        .annotate(has_social=_has(PracticeKind.SOCIAL_PRACTICE, school_year), has_community=_has(PracticeKind.COMMUNITY_SERVICE, school_year))
        .filter(Q(has_social=False) | Q(has_community=False))
        .select_related("student")
        .order_by("school_class_id", "student__student_number")
    )


def practice_school_overview(school, *, school_year) -> list[SchoolClass]:
    """The classes of the school year, each with `students` (currently
    enrolled) and how many lack a social practice (`missing_social`) or a
    community service record (`missing_community`). Two queries."""
    figures = {
        row["school_class_id"]: row
        for row in Enrollment.objects.filter(school=school, school_year=school_year, end_date__isnull=True)
        .annotate(has_social=_has(PracticeKind.SOCIAL_PRACTICE, school_year), has_community=_has(PracticeKind.COMMUNITY_SERVICE, school_year))
        .values("school_class_id")
        .annotate(
            students=Count("pk"),
            missing_social=Count("pk", filter=Q(has_social=False)),
            missing_community=Count("pk", filter=Q(has_community=False)),
        )
        .order_by()
    }
    classes = list(SchoolClass.objects.filter(school=school, school_year=school_year).select_related("grade").order_by("grade__level", "number"))
    for c in classes:
        row = figures.get(c.pk, {})
        c.students = row.get("students", 0)
        c.missing_social = row.get("missing_social", 0)
        c.missing_community = row.get("missing_community", 0)
    return classes
