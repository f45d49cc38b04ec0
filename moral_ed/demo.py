"""Conduct data for the demo school: the default rules, study and cleaning
groups in every class, and a few weeks of entries so the pages look like a
school in use. Deterministic (fixed seed) and only added once."""

import datetime
import random
import uuid

from django.utils import timezone

from classes.models import SchoolClass, TeachingAssignment
from students.models import Enrollment

from .models import ConductEvent, ConductItem, Disclosure, GroupKind, GroupMembership, StudentGroup
from .services import defaults_install

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
