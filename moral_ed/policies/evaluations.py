"""Who may see and do what with the evaluations (考评结果存档).

- Run an evaluation and publish a draft: the moral-education office.
- See every revision (drafts included) and every row: the office, the
  principal and the school administrator (read-only for the last two).
- Head teachers: revisions that have been published (published or since
  superseded), and in them only their own classes' rows, their students'
  totals and their own appraisal. A draft is not theirs to know of (404).
- Everyone else (subject teachers, counsellors, guardians, students,
  students on duty): 403. Another school's evaluation: 404.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from accounts import roles
from accounts.roles import holds
from classes.policies import require_staff
from classes.selectors import head_teacher_class_ids

from ..models import EvaluationRevision
from ..selectors.evaluations import term_for_period
from .conduct import is_office


def can_see_all_evaluations(user, school) -> bool:
    return holds(user, school, roles.LEADERSHIP)


def can_run_evaluations(user, school) -> bool:
    return is_office(user, school)


def can_see_evaluations(user, school) -> bool:
    return can_see_all_evaluations(user, school) or holds(user, school, roles.HEAD_TEACHERS)


def require_evaluation_reader(user, school) -> None:
    """403 for anyone who sees no evaluation at all."""
    require_staff(user, school)
    if not can_see_evaluations(user, school):
        raise PermissionDenied


def require_evaluation_runner(user, school) -> None:
    require_staff(user, school)
    if not can_run_evaluations(user, school):
        raise PermissionDenied


def get_revision_for(user, school, pk) -> EvaluationRevision:
    """A revision the person may open: 403 for people who see no
    evaluation, 404 for another school's revision and, for head teachers,
    for a draft. One query on the way that succeeds."""
    require_evaluation_reader(user, school)
    qs = EvaluationRevision.objects.filter(school=school).select_related("evaluation", "published_by")
    if not can_see_all_evaluations(user, school):
        qs = qs.filter(published_at__isnull=False)
    return get_object_or_404(qs, pk=pk)


def get_revision_for_publishing(user, school, pk) -> EvaluationRevision:
    revision = get_revision_for(user, school, pk)
    if not can_run_evaluations(user, school):
        raise PermissionDenied
    return revision


def visible_class_ids(user, school, revision) -> list[int] | None:
    """The classes whose rows `user` sees in `revision`: None for every
    class (the office, the principal, the school administrator); otherwise
    the classes they led as head teacher in the evaluated period's term."""
    if can_see_all_evaluations(user, school):
        return None
    evaluation = revision.evaluation
    term = term_for_period(school, evaluation.period_start, evaluation.period_end)
    if term is None:
        return []
    return list(head_teacher_class_ids(user, school, term).values_list("school_class_id", flat=True))
