"""The conduct-entry door is one hand-written query
(moral_ed.policies.conduct.get_class_for_recording, run on every tap): for
every person and class of the test world it must answer as the ordinary
doors do (classes.policies.get_class_for, then can_record_points and
is_head_teacher_of)."""

import datetime

from django.core.exceptions import PermissionDenied
from django.http import Http404

from classes.models import SchoolClass
from moral_ed.policies import conduct as door
from tests import factories as f

PEOPLE = ("head_teacher", "other_head_teacher", "subject_teacher", "counsellor", "office", "principal",
          "school_admin", "parent", "student_user")


def _answer(call, *args):
    try:
        return ("yes", call(*args))
    except Http404:
        return ("404", None)
    except PermissionDenied:
        return ("403", None)


def test_the_hand_written_door_agrees_with_the_ordinary_doors(world):
    # A class of last school year and one of the other school, beside the world's.
    old_year = f.SchoolYearFactory(school=world.school, name="2025-2026", start_date=datetime.date(2025, 9, 1),
                                   end_date=datetime.date(2026, 7, 15))
    f.SchoolClassFactory(school=world.school, school_year=old_year, grade=world.grade, number=9)
    people = [getattr(world, name) for name in PEOPLE] + [world.b.head_teacher, world.b.office]
    classes = list(SchoolClass.objects.all())
    compared = 0
    for person in people:
        for school_class in classes:
            fast, fast_class = _answer(door.get_class_for_recording, person, world.school, school_class.pk)
            ordinary, seen = _answer(door.get_class_for, person, world.school, school_class.pk)
            if ordinary == "yes" and not door.can_record_points(person, world.school, seen):
                ordinary = "403"
            assert fast == ordinary, (person.username, str(school_class), fast, ordinary)
            if fast == "yes" and fast_class.as_head is not None:
                assert fast_class.as_head == door.is_head_teacher_of(person, world.school, school_class)
            compared += 1
    assert compared == len(people) * len(classes) >= 40
