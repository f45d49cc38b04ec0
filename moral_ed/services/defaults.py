"""The default rules of every part of moral_ed for a school, installed in
one call (the admin when a school is added, the demo seed, tests)."""

from django.db import transaction

from ..models import EvaluationSettings
from . import conduct, dorms, inspections


@transaction.atomic
def defaults_install(*, school) -> dict:
    """Every default rule of moral_ed for a school (conduct items, stars,
    inspection items, dorm settings, escalation steps and dorm items, the
    evaluation settings). Idempotent: rows an administrator edited stay."""
    result = conduct.defaults_install(school=school)
    result["inspection_items"] = inspections.defaults_install(school=school)["items"]
    dorm = dorms.defaults_install(school=school)
    result["dorm_items"], result["escalation_steps"] = dorm["items"], dorm["steps"]
    EvaluationSettings.objects.get_or_create(school=school)
    return result
