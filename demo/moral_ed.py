"""Conduct data for the demo school: the default rules, study and cleaning
groups in every class, and a few weeks of entries so the pages look like a
school in use. Deterministic (fixed seed) and only added once."""

import datetime
import random
import uuid

from django.utils import timezone

from classes.models import SchoolClass, TeachingAssignment
from moral_ed.models import ConductEvent, ConductItem, Disclosure, GroupKind, GroupMembership, StudentGroup
from moral_ed.services.defaults import defaults_install
from students.models import Enrollment

STUDY_GROUPS = ["雏鹰组", "飞翔组", "向日葵组", "星光组", "启航组", "彩虹组"]
CLEANING_GROUPS = ["周一组", "周二组", "周三组", "周四组", "周五组"]


def demo_conduct_ensure(*, school, term, today: datetime.date, weeks: int = 4) -> dict:
    """Defaults, groups and past entries for `school`. A second call adds nothing."""
    created = defaults_install(school=school)
    classes = list(SchoolClass.objects.filter(school=school, school_year_id=term.school_year_id))
    enrolled = {}
    for class_id, student_id in Enrollment.objects.filter(
        school=school, school_year_id=term.school_year_id, end_date__isnull=True
    ).values_list("school_class_id", "student_id").order_by("student_id"):
        enrolled.setdefault(class_id, []).append(student_id)
    created["groups"] = _groups_ensure(school, classes, enrolled)
    created["events"] = 0
    if not ConductEvent.objects.filter(school=school).exists():
        created["events"] = _events_create(school, term, classes, enrolled, today, weeks)
    return created


def _groups_ensure(school, classes, enrolled) -> int:
    if StudentGroup.objects.filter(school=school).exists():
        return 0
    groups, members = [], []
    for c in classes:
        students = enrolled.get(c.pk, [])
        for kind, names in ((GroupKind.STUDY, STUDY_GROUPS), (GroupKind.CLEANING, CLEANING_GROUPS)):
            made = [StudentGroup(school=school, school_class=c, kind=kind, name=n) for n in names]
            groups.extend(made)
            for i, student_id in enumerate(students):
                members.append((made[i % len(made)], student_id, kind, c))
    StudentGroup.objects.bulk_create(groups)
    GroupMembership.objects.bulk_create(
        [GroupMembership(school=school, group=g, student_id=sid, kind=kind, school_class=c) for g, sid, kind, c in members]
    )
    return len(groups)


def _events_create(school, term, classes, enrolled, today, weeks) -> int:
    rng = random.Random(20260901)
    items = list(ConductItem.objects.filter(school=school, is_active=True))
    positives = [i for i in items if i.points > 0]
    negatives = [i for i in items if i.points < 0]
    heads = dict(
        TeachingAssignment.objects.filter(school=school, term=term, is_head_teacher=True).values_list("school_class_id", "teacher_id")
    )
    start = max(term.start_date, today - datetime.timedelta(weeks=weeks))
    school_days = [start + datetime.timedelta(days=d) for d in range((today - start).days + 1)]
    school_days = [d for d in school_days if d.weekday() < 5]
    now = timezone.now()
    events = []
    for c in classes:
        teacher_id = heads.get(c.pk)
        if teacher_id is None:
            continue
        for day in school_days:
            batch = uuid.uuid4()
            for student_id in rng.sample(enrolled.get(c.pk, []), k=min(6, len(enrolled.get(c.pk, [])))):
                item = rng.choice(negatives) if rng.random() < 0.25 else rng.choice(positives)
                is_today = day == today
                staged = item.points < 0 and is_today
                written = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, rng.randint(0, 59))))
                events.append(
                    ConductEvent(
                        school=school, term=term, student_id=student_id, school_class=c, item=item,
                        dimension=item.dimension, points=item.points, occurred_on=day, recorded_by_id=teacher_id,
                        created_at=min(written, now), batch=batch,
                        disclosure=Disclosure.STAGED if staged else Disclosure.RELEASED,
                        released_at=None if staged else min(written, now),
                        release_due_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(20, 0))) if staged else None,
                    )
                )
    ConductEvent.objects.bulk_create(events, batch_size=2000)
    return len(events)


# --- The office: inspections, a veto, dorms, evaluations ------------------------------------


def demo_office_ensure(*, school, term, today: datetime.date, weeks: int = 4) -> dict:
    """Inspection entries of the last weeks, one veto, two dorm buildings
    with boarders and deductions (the ladder run once), the published
    weekly rankings and last month's evaluation waiting for the office.
    Deterministic; a second call adds nothing."""
    from accounts.models import Membership, Role
    from moral_ed.models import ClassEvent

    if ClassEvent.objects.filter(school=school).exists():
        return {}
    office_id = (
        Membership.objects.filter(school=school, role=Role.OFFICE).order_by("user_id").values_list("user_id", flat=True).first()
    )
    if office_id is None:
        return {}
    rng = random.Random(20261101)
    classes = list(SchoolClass.objects.filter(school=school, school_year_id=term.school_year_id).order_by("grade__level", "number"))
    created = {"inspection_entries": _inspections_create(school, term, classes, office_id, today, weeks, rng)}
    created["vetoes"] = _veto_create(school, term, classes, office_id, today)
    created.update(_dorms_create(school, term, office_id, today, rng))
    created.update(_evaluations_create(school, term, today, office_id))
    return created


def _school_days(term, today, weeks):
    start = max(term.start_date, today - datetime.timedelta(weeks=weeks))
    return [d for d in (start + datetime.timedelta(days=n) for n in range((today - start).days + 1)) if d.weekday() < 5]


def _inspections_create(school, term, classes, office_id, today, weeks, rng) -> int:
    from moral_ed.models import ClassEvent, InspectionItem

    items = list(InspectionItem.objects.filter(school=school, is_active=True))
    now = timezone.now()
    events = []
    for day in _school_days(term, today, weeks):
        written = min(timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 30))), now)
        for c in rng.sample(classes, k=max(1, len(classes) // 3)):
            for item in rng.sample(items, k=rng.randint(1, 2)):
                events.append(
                    ClassEvent(school=school, term=term, school_class=c, item=item, points=item.points,
                               occurred_on=day, recorded_by_id=office_id, created_at=written)
                )
    ClassEvent.objects.bulk_create(events, batch_size=2000)
    return len(events)


def _veto_create(school, term, classes, office_id, today) -> int:
    from moral_ed.models import ClassVeto

    day = max(term.start_date, today - datetime.timedelta(days=9))
    ClassVeto.objects.create(
        school=school, term=term, school_class=classes[-1], occurred_on=day, recorded_by_id=office_id,
        reason="课间在楼道追逐打闹，造成一名同学受伤（重大违纪）",
    )
    return 1


def _dorms_create(school, term, office_id, today, rng) -> dict:
    from moral_ed.models import BedAssignment, DormBed, DormBuilding, DormEvent, DormItem, DormRoom
    from moral_ed.services import dorms

    buildings = [DormBuilding.objects.create(school=school, name=name, ordering=i) for i, name in enumerate(["男生宿舍楼", "女生宿舍楼"])]
    beds_by_building = []
    for building in buildings:
        rooms = DormRoom.objects.bulk_create(
            [DormRoom(school=school, building=building, number=f"{floor}0{n}") for floor in (1, 2) for n in range(1, 6)]
        )
        beds = DormBed.objects.bulk_create([DormBed(school=school, room=r, label=f"{b}号床") for r in rooms for b in range(1, 7)])
        beds_by_building.append(beds)
    # The oldest grade boards: boys in the first building, girls in the second.
    boarders = list(
        Enrollment.objects.filter(
            school=school, school_year_id=term.school_year_id, end_date__isnull=True,
            school_class__grade__level=max(SchoolClass.objects.filter(school=school).values_list("grade__level", flat=True)),
        ).values_list("student_id", "student__gender").order_by("student_id")
    )
    assignments = []
    for beds, gender in zip(beds_by_building, ("M", "F"), strict=True):
        students = [sid for sid, g in boarders if g == gender][: len(beds)]
        assignments += [BedAssignment(school=school, term=term, bed=bed, student_id=sid, assigned_by_id=office_id) for bed, sid in zip(beds, students, strict=False)]
    BedAssignment.objects.bulk_create(assignments)
    room_items = list(DormItem.objects.filter(school=school, applies_to="room"))
    student_items = list(DormItem.objects.filter(school=school, applies_to="student"))
    events = []
    now = timezone.now()
    room_of = {a.student_id: a.bed.room_id for a in assignments}
    for day in _school_days(term, today, 3):
        written = min(timezone.make_aware(datetime.datetime.combine(day, datetime.time(22, 15))), now)
        for a in rng.sample(assignments, k=min(2, len(assignments))):
            item = rng.choice(student_items)
            events.append(DormEvent(school=school, term=term, room_id=room_of[a.student_id], student_id=a.student_id, item=item,
                                    points=item.points, occurred_on=day, recorded_by_id=office_id, created_at=written))
        item = rng.choice(room_items)
        events.append(DormEvent(school=school, term=term, room_id=rng.choice(assignments).bed.room_id, item=item,
                                points=item.points, occurred_on=day, recorded_by_id=office_id, created_at=written))
    # One student who keeps breaking the rules, so the ladder has a case to show.
    if assignments:
        repeat = assignments[0]
        late = next((i for i in student_items if i.points <= -2), student_items[0])
        for n in range(4):
            day = today - datetime.timedelta(days=2 + n)
            events.append(DormEvent(school=school, term=term, room_id=room_of[repeat.student_id], student_id=repeat.student_id,
                                    item=late, points=late.points, occurred_on=day, recorded_by_id=office_id,
                                    created_at=min(timezone.make_aware(datetime.datetime.combine(day, datetime.time(22, 40))), now)))
    DormEvent.objects.bulk_create(events)
    opened = dorms.ladder_check(school=school, today=today)["opened"]
    return {"dorm_beds": sum(len(b) for b in beds_by_building), "boarders": len(assignments), "dorm_entries": len(events), "dorm_cases": opened}


def _evaluations_create(school, term, today, office_id) -> dict:
    from classes import periods
    from moral_ed.models import EvaluationKind
    from moral_ed.services import evaluations

    published = 0
    week = periods.week_of(today)
    for n in (3, 2, 1):
        start = week.start - datetime.timedelta(weeks=n)
        if start >= term.start_date:
            revision = evaluations.evaluation_run(school=school, kind=EvaluationKind.WEEKLY, period_start=start)
            evaluations.evaluation_publish(revision=revision)
            published += 1
    month = periods.previous_month(today)
    drafts = 0
    if month.start >= term.start_date:
        evaluations.evaluation_run(school=school, kind=EvaluationKind.MONTHLY, period_start=month.start)
        drafts = 1
    return {"weekly_rankings": published, "monthly_previews": drafts}
