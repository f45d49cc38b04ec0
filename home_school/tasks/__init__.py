"""Celery tasks of home_school (thin wrappers over services), one module per
part, each with its beat schedules (NOTICE_SCHEDULES, ...) next to its
tasks. Celery's autodiscovery imports home_school.tasks, so each part's
module is imported here to register its tasks; call a task from its module.

notices.py        sending scheduled notices, reminding guardians who have not answered
meetings.py       reminding guardians of tomorrow's parent meetings
participation.py  collecting the guardians' participation ledger
"""

from . import meetings, notices, participation  # noqa: F401
