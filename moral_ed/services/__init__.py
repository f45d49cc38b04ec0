"""moral_ed.services: one module per aggregate; the conduct ledger's names
are importable from here, the office's parts from their modules
(moral_ed.services.inspections, .evaluations, .dorms, .awards)."""

from django.db import transaction

from .conduct import *  # noqa: F401,F403
from .conduct import defaults_install as conduct_defaults_install


@transaction.atomic
def defaults_install(*, school) -> dict:
    """Every default rule of moral_ed for a school (conduct items, stars,
    inspection items, dorm settings, escalation steps and dorm items, the
    evaluation settings). Idempotent: rows an administrator edited stay."""
    from ..models import EvaluationSettings
    from . import dorms, inspections

    result = conduct_defaults_install(school=school)
    result["inspection_items"] = inspections.defaults_install(school=school)["items"]
    dorm = dorms.defaults_install(school=school)
    result["dorm_items"], result["escalation_steps"] = dorm["items"], dorm["steps"]
    EvaluationSettings.objects.get_or_create(school=school)
    return result
