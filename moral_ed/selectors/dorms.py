"""Reads of the dormitories: buildings and who sleeps where, the day's
inspection entries, the ladder's standing of each student, and case lists
scoped to the person asking. Sums are always `Sum` in the database over
unvoided entries; nothing here loops over entries in Python."""

import datetime
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from accounts import roles
from accounts.roles import holds
from classes.models import TeachingAssignment
from classes.selectors import head_teacher_class_ids
from students.models import Enrollment, Student

from ..models import (
    BedAssignment,
    CaseStatus,
    Confirmer,
    DormBed,
    DormBuilding,
    DormCase,
    DormEvent,
    DormItem,
    DormLevelChange,
    DormRoom,
    EscalationStep,
)

ZERO = Decimal(0)
# A deduction that counts towards a student's ladder: about a student,
# negative, not voided.
LIVE_DEDUCTION = Q(student__isnull=False, points__lt=0, voided_at__isnull=True)


def _current_class(term, path="enrollments"):
    """Prefetch each student's open enrollment of the term's school year
    (`current_enrollments`, 0 or 1 item) with its class."""
    qs = Enrollment.objects.filter(end_date__isnull=True).select_related("school_class")
    if term is not None:
        qs = qs.filter(school_year_id=term.school_year_id)
    return Prefetch(path, queryset=qs, to_attr="current_enrollments")


def _window(start: datetime.date, end: datetime.date):
    """The student's live deductions in [start, end], as a JOIN condition
    (the database reads only the window, not every entry of the student)."""
    return FilteredRelation(
        "dorm_events",
        condition=Q(
            dorm_events__points__lt=0,
            dorm_events__voided_at__isnull=True,
            dorm_events__occurred_on__gte=start,
            dorm_events__occurred_on__lte=end,
        ),
    )


# --- Buildings, rooms, beds -------------------------------------------------------------------


def building_list(school, term):
    """The school's buildings with their rooms in use, beds, and beds
    taken this term: one query."""
    return (
        DormBuilding.objects.filter(school=school)
        .annotate(
            room_count=Count("rooms", filter=Q(rooms__is_active=True), distinct=True),
            bed_count=Count("rooms__beds", filter=Q(rooms__is_active=True), distinct=True),
            taken_count=Count(
                "rooms__beds__assignments", filter=Q(rooms__is_active=True, rooms__beds__assignments__term=term), distinct=True
            ),
        )
        .order_by("ordering", "name")
    )


def building_rooms(building, term):
    """The building's rooms (in use first, by number), each with
    `bed_list` (each bed with `current`: its assignment this term or
    None), `residents` (students, each with `bed` and `school_class`) and
    `free_beds`. Four queries whatever the size."""
    assignments = (
        BedAssignment.objects.filter(term=term)
        .select_related("student")
        .prefetch_related(_current_class(term, "student__enrollments"))
    )
    beds = DormBed.objects.order_by("label").prefetch_related(Prefetch("assignments", queryset=assignments, to_attr="current_list"))
    rooms = list(
        DormRoom.objects.filter(building=building)
        .order_by("-is_active", "number")
        .prefetch_related(Prefetch("beds", queryset=beds, to_attr="bed_list"))
    )
    for room in rooms:
        room.residents = []
        room.free_beds = []
        for bed in room.bed_list:
            bed.current = bed.current_list[0] if bed.current_list else None
            if bed.current is None:
                room.free_beds.append(bed)
            else:
                student = bed.current.student
                student.bed = bed
                student.assignment = bed.current
                student.school_class = student.current_enrollments[0].school_class if student.current_enrollments else None
                room.residents.append(student)
    return rooms


def building_room(building, pk):
    """A room of the building, or None."""
    return DormRoom.objects.filter(building=building, pk=pk).first()


def building_beds(building):
    """Beds of the building's rooms in use (for the assignment form)."""
    return DormBed.objects.filter(room__building=building, room__is_active=True).select_related("room")


def building_assignments(building, term):
    return BedAssignment.objects.filter(term=term, bed__room__building=building).select_related("student", "bed__room")


def school_students(school):
    """Students at the school (for the office's bed assignment)."""
    return Student.objects.filter(school=school, is_active=True)


def student_search(school, term, query: str, *, limit=20):
    """Students of the school whose number starts with, or whose name
    contains, `query`; each with `school_class` and `assignment` (their
    bed assignment this term, or None). Three queries."""
    query = (query or "").strip()
    if not query:
        return []
    students = list(
        school_students(school)
        .filter(Q(student_number__startswith=query) | Q(name__contains=query))
        .prefetch_related(
            _current_class(term),
            Prefetch(
                "bed_assignments",
                queryset=BedAssignment.objects.filter(term=term).select_related("bed__room__building"),
                to_attr="term_assignments",
            ),
        )
        .order_by("student_number")[:limit]
    )
    for s in students:
        s.assignment = s.term_assignments[0] if s.term_assignments else None
        s.school_class = s.current_enrollments[0].school_class if s.current_enrollments else None
    return students


# --- Inspections ---------------------------------------------------------------------------------


def active_dorm_items(school, applies_to=None):
    qs = DormItem.objects.filter(school=school, is_active=True)
    if applies_to:
        qs = qs.filter(applies_to=applies_to)
    return qs.order_by("applies_to", "ordering", "pk")


def day_events(building, day: datetime.date):
    """The day's entries in the building, voided ones included: one query."""
    return (
        DormEvent.objects.filter(room__building=building, occurred_on=day)
        .select_related("student", "item", "recorded_by", "voided_by")
        .order_by("room_id", "created_at", "pk")
    )


def inspection_rooms(building, term, day: datetime.date) -> list:
    """The building's rooms in use (building_rooms; none without a term),
    each with `day_events`, the day's entries voided ones included, and
    `day_deducted`, the points its unvoided deductions took (a positive
    number): five queries whatever the size."""
    rooms = [room for room in building_rooms(building, term) if room.is_active] if term else []
    by_room = {}
    for event in day_events(building, day):
        by_room.setdefault(event.room_id, []).append(event)
    for room in rooms:
        room.day_events = by_room.get(room.pk, [])
        room.day_deducted = -sum((e.points for e in room.day_events if not e.is_voided and e.points < 0), 0)
    return rooms


def room_deductions(school, start: datetime.date, end: datetime.date) -> dict:
    """{room_id: points deducted (a positive number)} from unvoided entries
    with negative points from `start` to `end`, room entries and entries
    about a student alike: one grouped query."""
    rows = (
        DormEvent.objects.filter(school=school, occurred_on__gte=start, occurred_on__lte=end, points__lt=0, voided_at__isnull=True)
        .values_list("room_id")
        .annotate(total=Sum("points"))
    )
    return {room_id: -total for room_id, total in rows}


def student_events(student):
    """A student's dorm entries, newest first, voided ones included."""
    return (
        DormEvent.objects.filter(student=student)
        .select_related("room__building", "item", "recorded_by", "voided_by")
        .order_by("-occurred_on", "-created_at", "-pk")
    )


def class_events(school_class, term):
    """Dorm entries about the class's current students this term, voided
    ones included."""
    students = Enrollment.objects.filter(school_class=school_class, end_date__isnull=True).values("student_id")
    return (
        DormEvent.objects.filter(term=term, student_id__in=students)
        .select_related("student", "room__building", "item", "recorded_by", "voided_by")
        .order_by("-occurred_on", "-created_at", "-pk")
    )


def window_deductions(student_ids, start: datetime.date, end: datetime.date) -> dict:
    """{student_id: points deducted from `start` to `end` (positive)}: one query."""
    rows = (
        DormEvent.objects.filter(LIVE_DEDUCTION, student_id__in=student_ids, occurred_on__gte=start, occurred_on__lte=end)
        .values_list("student_id")
        .annotate(total=Sum("points"))
    )
    return {student_id: -total for student_id, total in rows}


# --- The ladder ------------------------------------------------------------------------------------


def with_level(qs):
    """Annotate students with `level` (their latest DormLevelChange's
    to_level, 0 if none) and `level_since` (its effective day)."""
    latest = DormLevelChange.objects.filter(student=OuterRef("pk")).order_by("-created_at", "-id")
    return qs.annotate(
        level=Coalesce(Subquery(latest.values("to_level")[:1]), Value(0)),
        level_since=Subquery(latest.values("effective_on")[:1]),
    )


def current_level(student_id) -> int:
    level = (
        DormLevelChange.objects.filter(student_id=student_id)
        .order_by("-created_at", "-id")
        .values_list("to_level", flat=True)
        .first()
    )
    return level or 0


def ladder_standing(*, school, term, start: datetime.date, end: datetime.date, student_ids=None):
    """Each boarding student of `term` (a bed assignment) with
    `window_points` (the sum of their live deductions from `start` to
    `end`: negative, or 0), `level`, `level_since` and `last_deduction_at`
    (when their latest live deduction was written). One query."""
    qs = Student.objects.filter(school=school, bed_assignments__term=term)
    if student_ids is not None:
        qs = qs.filter(pk__in=student_ids)
    latest_written = (
        DormEvent.objects.filter(LIVE_DEDUCTION, student=OuterRef("pk")).order_by("-created_at", "-pk").values("created_at")[:1]
    )
    return with_level(
        qs.annotate(
            _window=_window(start, end),
            window_points=Coalesce(Sum("_window__points"), ZERO),
            last_deduction_at=Subquery(latest_written),
        )
    ).order_by("pk")


def clean_period_candidates(*, school, clean_from: datetime.date, moved_by: datetime.date, today: datetime.date):
    """Students above level 0 whose level last moved on or before
    `moved_by` and who have no live deduction from `clean_from` to `today`."""
    recent = DormEvent.objects.filter(LIVE_DEDUCTION, student=OuterRef("pk"), occurred_on__gte=clean_from, occurred_on__lte=today)
    moved = DormLevelChange.objects.filter(school=school).values("student_id")
    return (
        with_level(Student.objects.filter(school=school, pk__in=moved))
        .filter(level__gt=0, level_since__lte=moved_by)
        .exclude(Exists(recent))
        .order_by("pk")
    )


def head_teachers_of(student_ids, *, term) -> dict:
    """{student_id: [head teacher]} of each student's current class: one query."""
    rows = (
        TeachingAssignment.objects.filter(
            term=term,
            is_head_teacher=True,
            teacher__is_active=True,
            school_class__enrollments__student_id__in=student_ids,
            school_class__enrollments__end_date__isnull=True,
            school_class__enrollments__school_year_id=term.school_year_id,
        )
        .annotate(student_id=F("school_class__enrollments__student_id"))
        .select_related("teacher")
    )
    result = {}
    for row in rows:
        result.setdefault(row.student_id, []).append(row.teacher)
    return result


def steps_of(school):
    return EscalationStep.objects.filter(school=school).order_by("level")


def class_boarders(school_class, term, *, start: datetime.date, end: datetime.date):
    """The class's current students who have a bed this term, each with
    `bed`, `deducted` (live deductions from `start` to `end`, positive),
    `level` and `open_cases`: two queries."""
    enrolled = Enrollment.objects.filter(school_class=school_class, end_date__isnull=True).values("student_id")
    open_cases = (
        DormCase.objects.filter(student=OuterRef("pk"), status=CaseStatus.OPEN)
        .values("student")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    students = list(
        with_level(Student.objects.filter(pk__in=enrolled, bed_assignments__term=term))
        .annotate(
            _window=_window(start, end),
            window_points=Coalesce(Sum("_window__points"), ZERO),
            open_cases=Coalesce(Subquery(open_cases, output_field=IntegerField()), Value(0)),
        )
        .order_by("student_number")
    )
    beds = {
        a.student_id: a.bed
        for a in BedAssignment.objects.filter(term=term, student_id__in=[s.pk for s in students]).select_related("bed__room__building")
    }
    for s in students:
        s.bed = beds.get(s.pk)
        s.deducted = -s.window_points
    return students


# --- Head teachers ------------------------------------------------------------------------------


def head_teacher_classes(user, school, term):
    """The classes `user` leads this term, in grade order."""
    from classes.models import SchoolClass

    if term is None:
        return SchoolClass.objects.none()
    return SchoolClass.objects.filter(pk__in=head_teacher_class_ids(user, school, term)).order_by("grade__level", "number")


def head_teacher_student_ids(user, school, term) -> set:
    """Ids of the current students of the classes `user` leads: one query."""
    if term is None:
        return set()
    return set(
        Enrollment.objects.filter(
            school=school,
            school_year_id=term.school_year_id,
            end_date__isnull=True,
            school_class_id__in=head_teacher_class_ids(user, school, term),
        ).values_list("student_id", flat=True)
    )


def current_class_of(student_id, term):
    """The student's class in the term's school year, or None."""
    qs = Enrollment.objects.filter(student_id=student_id, end_date__isnull=True).select_related("school_class")
    if term is not None:
        qs = qs.filter(school_year_id=term.school_year_id)
    enrollment = qs.first()
    return enrollment.school_class if enrollment else None


# --- Cases ----------------------------------------------------------------------------------------


def case_list_for(user, school, *, term, status=None, level=None, school_class=None, query=""):
    """Cases the person may read: every case of the school for the office
    and the principal; the cases of their class's current students for a
    head teacher; none for anyone else. Open cases first, newest first.
    Each case has its student (with `current_enrollments`), step and
    decider: three queries for a page."""
    qs = DormCase.objects.filter(school=school)
    if not holds(user, school, roles.OFFICE_OR_PRINCIPAL):
        if term is None:
            return DormCase.objects.none()
        students = Enrollment.objects.filter(
            school=school,
            school_year_id=term.school_year_id,
            end_date__isnull=True,
            school_class_id__in=head_teacher_class_ids(user, school, term),
        ).values("student_id")
        qs = qs.filter(student_id__in=students)
    if status:
        qs = qs.filter(status=status)
    if level:
        qs = qs.filter(level=level)
    if school_class is not None:
        qs = qs.filter(student_id__in=Enrollment.objects.filter(school_class=school_class, end_date__isnull=True).values("student_id"))
    query = (query or "").strip()
    if query:
        qs = qs.filter(Q(student__name__contains=query) | Q(student__student_number__startswith=query))
    return (
        qs.select_related("student", "step", "decided_by")
        .prefetch_related(_current_class(term, "student__enrollments"))
        .annotate(open_first=Case(When(status=CaseStatus.OPEN, then=Value(0)), default=Value(1), output_field=IntegerField()))
        .order_by("open_first", "-opened_at", "-pk")
    )


def case_rows(cases, *, user, school, term, office: bool):
    """A page of case_list_for, each case with `can_decide` (open, and the
    office, or a head teacher for a head-teacher step of their own
    student) and `school_class` (the student's current class or None)
    without a query per case: `office` is the policy's answer for the
    user; one query for a head teacher's students."""
    own = set()
    if not office and holds(user, school, roles.HEAD_TEACHERS):
        own = head_teacher_student_ids(user, school, term)
    for case in cases:
        case.can_decide = case.status == CaseStatus.OPEN and (
            office or (case.step.confirmer == Confirmer.HEAD_TEACHER and case.student_id in own)
        )
        enrollments = case.student.current_enrollments
        case.school_class = enrollments[0].school_class if enrollments else None
    return cases


def case_window_events(case):
    """The entries about the case's student within the case's window,
    voided ones included (struck through on the page)."""
    return (
        DormEvent.objects.filter(student_id=case.student_id, occurred_on__gte=case.window_start, occurred_on__lte=case.window_end)
        .select_related("room__building", "item", "recorded_by", "voided_by")
        .order_by("-occurred_on", "-created_at", "-pk")
    )


def student_cases(student):
    return DormCase.objects.filter(student=student).select_related("step", "decided_by").order_by("-opened_at", "-pk")


def student_level_changes(student):
    return DormLevelChange.objects.filter(student=student).select_related("case__step").order_by("-created_at", "-id")


def student_bed(student, term):
    if term is None:
        return None
    return BedAssignment.objects.filter(term=term, student=student).select_related("bed__room__building").first()
