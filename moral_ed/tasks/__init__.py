"""Celery tasks of moral_ed (thin wrappers over services), one module per
part; importing them here registers them with Celery's autodiscovery."""

from . import awards, conduct, dorms, evaluations, inspections  # noqa: F401
from .conduct import staged_release_due, weekly_summaries, weekly_summary_for_school  # noqa: F401
