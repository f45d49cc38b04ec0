import pytest

from moral_ed.models import ConductItem
from moral_ed.services.defaults import defaults_install


@pytest.fixture
def items(world):
    """The default items of school A, by name."""
    defaults_install(school=world.school)
    defaults_install(school=world.b.school)
    return {i.name: i for i in ConductItem.objects.filter(school=world.school)}


@pytest.fixture
def record(world, items):
    """record(actor, students, item_name, **kw) → the service's answer, for class 1 by default."""
    from moral_ed.services.conduct import points_record

    def _record(actor, students, item_name, school_class=None, **kwargs):
        return points_record(
            actor=actor,
            school=world.school,
            term=world.term,
            school_class=school_class or world.class1,
            student_ids=[s.pk for s in students],
            item=items[item_name],
            **kwargs,
        )

    return _record
