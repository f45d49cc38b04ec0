"""Helpers shared by the class-inspection tests (tests/moral_ed/test_inspections*.py).

The world's "today" is Friday 2026-11-20 (term 2026-09-01 – 2027-01-20);
SCHOOL_DAY freezes time at 10:00 local on it.
"""

import datetime
from decimal import Decimal

import pytest
import time_machine

from accounts.models import Role
from moral_ed.models import ClassResult, Evaluation, EvaluationKind, EvaluationRevision, InspectionItem, RevisionStatus
from moral_ed.services import inspections as services
from tests import factories as f

SCHOOL_DAY = "2026-11-20 10:00 +0800"
TODAY = datetime.date(2026, 11, 20)
YESTERDAY = TODAY - datetime.timedelta(days=1)
HTMX = {"HTTP_HX_REQUEST": "true"}


# Fixtures are registered under their `name`, so a test module imports
# `*_fixture` and its tests take `school_day`, `duty`, `insp_items` without
# shadowing an imported name.


@pytest.fixture(name="school_day")
def school_day_fixture():
    with time_machine.travel(SCHOOL_DAY, tick=False):
        yield


def make_duty_student(school, username="duty1", full_name="值周生林一"):
    """A user whose only role is 值周生 (not a student, not staff)."""
    user = f.UserFactory(username=username, full_name=full_name)
    f.MembershipFactory(user=user, school=school, role=Role.DUTY_STUDENT)
    return user


@pytest.fixture(name="duty")
def duty_fixture(world):
    world.duty = make_duty_student(world.school)
    world.duty2 = make_duty_student(world.school, "duty2", "值周生林二")
    world.b.duty = make_duty_student(world.b.school, "bduty", "B校值周生")
    return world.duty


@pytest.fixture(name="insp_items")
def insp_items_fixture(world):
    """The default inspection items of both schools; school A's by name."""
    services.defaults_install(school=world.school)
    services.defaults_install(school=world.b.school)
    return {i.name: i for i in InspectionItem.objects.filter(school=world.school)}


def record(world, actor, item, school_class=None, day=TODAY, note="", school=None, term=None):
    school_class = school_class or world.class1
    school = school or school_class.school
    return services.inspection_record(
        actor=actor,
        school=school,
        term=term or (world.term if school == world.school else world.b.term),
        school_class=school_class,
        item=item if isinstance(item, InspectionItem) else InspectionItem.objects.get(school=school, name=item),
        occurred_on=day,
        note=note,
    )


def published_week(school, week_start: datetime.date, rows, *, number=1, status=RevisionStatus.PUBLISHED):
    """A weekly Evaluation with one revision (published unless told) and a
    ClassResult per row: rows are dicts with school_class and optional
    score, inspection_points, rank_in_grade, rank_in_school, vetoed,
    veto_reason, civilized. Written directly, as the evaluation service would."""
    from django.utils import timezone

    evaluation, _ = Evaluation.objects.get_or_create(
        school=school,
        kind=EvaluationKind.WEEKLY,
        period_start=week_start,
        defaults={"period_end": week_start + datetime.timedelta(days=6)},
    )
    revision = EvaluationRevision.objects.create(
        school=school,
        evaluation=evaluation,
        number=number,
        status=status,
        digest=f"digest-{week_start.isoformat()}-{number}",
        published_at=timezone.now() if status != RevisionStatus.DRAFT else None,
    )
    for i, row in enumerate(rows, start=1):
        school_class = row["school_class"]
        ClassResult.objects.create(
            school=school,
            revision=revision,
            school_class=school_class,
            grade=school_class.grade,
            inspection_points=row.get("inspection_points", Decimal("-1")),
            score=row.get("score", Decimal("100") - i),
            rank_in_grade=row.get("rank_in_grade", i),
            rank_in_school=row.get("rank_in_school", i),
            vetoed=row.get("vetoed", False),
            veto_reason=row.get("veto_reason", ""),
            civilized=row.get("civilized", False),
        )
    return evaluation
