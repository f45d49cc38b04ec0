"""What moral_ed adds to classes (registered in moral_ed.apps through
classes.extensions): a new school gets the default rule tables, and the
class page gets the conduct points button."""

from django.utils.translation import gettext_lazy as _

from classes.extensions import ClassPageAction

from .policies.conduct import can_record_points
from .services.defaults import defaults_install


def defaults_for_new_school(*, school):
    """The seeds' items, dorm steps and settings, as
    moral_ed.services.defaults.defaults_install installs them."""
    defaults_install(school=school)


CONDUCT_POINTS = ClassPageAction(
    name="moral_ed.conduct_points",
    label=_("Conduct points"),
    url_name="moral_ed:class_entry",
    allowed=can_record_points,
    order=10,
    primary=True,
)
