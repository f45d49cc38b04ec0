"""Celery tasks of moral_ed (thin wrappers over services), one module per
part. Celery's autodiscovery imports moral_ed.tasks, so each part's module
is imported here to register its tasks; call a task from its module
(from moral_ed.tasks import conduct; conduct.weekly_summaries.delay()).
"""

from . import awards, conduct, dorms, evaluations, inspections  # noqa: F401
