"""Writes for home visits and home-visit supervisors. Views check who may
act (policies.visits) before calling; each service checks what must hold
whoever calls it. No service puts a teacher's notes into a notification."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts import roles
from accounts.models import User
from accounts.policies import is_staff_in
from accounts.roles import holds
from accounts.services import audit_record
from notifications.services import notify

from ..models import HomeVisit, VisitSupervision


def _guardian_accounts(student):
    return User.objects.filter(is_active=True, guardian_profiles__guardianships__student=student).distinct()


@transaction.atomic
def visit_plan(*, actor, school, term, student, teacher, planned_on: datetime.date, method: str) -> HomeVisit:
    """Plan a visit and tell the child's guardians the date, the method and
    the teacher. The view checked that `actor` may plan for this student and
    teacher; this checks both belong to the school and the date to the term.
    Not idempotent: every call is a new visit."""
    if term is None:
        raise ValidationError(_("The school has no current term yet."))
    if student.school_id != school.pk:
        raise ValidationError(_("The student belongs to another school."))
    if not holds(teacher, school, roles.TEACHERS):
        raise ValidationError(_("Choose a teacher of the school."))
    if not term.start_date <= planned_on <= term.end_date:
        raise ValidationError(_("Plan the visit inside the current term (%(start)s – %(end)s).")
                              % {"start": term.start_date.isoformat(), "end": term.end_date.isoformat()})
    visit = HomeVisit(
        school=school, term=term, student=student, teacher=teacher, planned_on=planned_on, method=method, created_by=actor
    )
    visit.full_clean()
    visit.save()
    audit_record(actor=actor, school=school, action="home_school.visit.planned", target=visit,
                 data={"teacher": teacher.pk, "planned_on": planned_on.isoformat(), "method": method})
    notify(
        school=school,
        recipients=_guardian_accounts(student),
        kind="home_school.visit_planned",
        title=_("Home visit planned for %(name)s") % {"name": student.name},
        body=_("%(teacher)s plans a %(method)s on %(date)s.")
        % {"teacher": teacher.get_full_name(), "method": visit.get_method_display(), "date": date_format(planned_on, "Y-m-d")},
        link=reverse("home_school:portal_visits"),
        dedupe_key=f"home_school.visit_planned:visit={visit.pk}",
    )
    return visit


@transaction.atomic
def visit_record(
    *, actor, visit, done_on: datetime.date, method: str, family_situation: str, discussed: str, follow_up: str = ""
) -> HomeVisit:
    """Record a visit as done, with the teacher's notes. The view checked
    that `actor` is the visit's teacher. Recording again corrects the notes
    (idempotent for the same input). Sends nothing: the notes are staff-only."""
    if visit.status == HomeVisit.Status.CANCELLED:
        raise ValidationError(_("This visit was cancelled; plan a new one."))
    if done_on > timezone.localdate():
        raise ValidationError(_("A visit is recorded once it has taken place."))
    visit.status = HomeVisit.Status.DONE
    visit.done_on = done_on
    visit.method = method
    visit.family_situation = family_situation
    visit.discussed = discussed
    visit.follow_up = follow_up
    visit.recorded_at = timezone.now()
    visit.full_clean()
    visit.save()
    audit_record(actor=actor, school=visit.school, action="home_school.visit.recorded", target=visit,
                 data={"done_on": done_on.isoformat(), "method": method})
    return visit


@transaction.atomic
def visit_cancel(*, actor, visit) -> bool:
    """Cancel a planned visit (a done one stays). The view checked that
    `actor` is its teacher or the office. Idempotent: returns False when
    there was nothing to cancel."""
    changed = HomeVisit.objects.filter(pk=visit.pk, status=HomeVisit.Status.PLANNED).update(status=HomeVisit.Status.CANCELLED)
    if changed:
        visit.status = HomeVisit.Status.CANCELLED
        audit_record(actor=actor, school=visit.school, action="home_school.visit.cancelled", target=visit)
    return bool(changed)


@transaction.atomic
def supervisor_assign(*, actor, school, term, supervisor, teachers) -> list[VisitSupervision]:
    """Make `supervisor` the home-visit supervisor of each of `teachers` for
    `term` (a teacher had another one: replaced). The view checked that
    `actor` is the office; this checks the people are the school's staff.
    Idempotent (one row per term and teacher)."""
    if term is None:
        raise ValidationError(_("The school has no current term yet."))
    if any(t.pk == supervisor.pk for t in teachers):
        raise ValidationError(_("A supervisor does not supervise their own visits."))
    if not is_staff_in(supervisor, school):
        raise ValidationError(_("Choose a member of the school's staff as supervisor."))
    rows = []
    for teacher in teachers:
        if not holds(teacher, school, roles.TEACHERS):
            raise ValidationError(_("%(name)s is not a teacher of the school.") % {"name": teacher.get_full_name()})
        row, _created = VisitSupervision.objects.update_or_create(
            term=term,
            teacher=teacher,
            defaults={"school": school, "supervisor": supervisor, "assigned_by": actor, "assigned_at": timezone.now()},
        )
        rows.append(row)
    audit_record(actor=actor, school=school, action="home_school.visit_supervisor.assigned", target=supervisor,
                 data={"term": term.pk, "teachers": [t.pk for t in teachers]})
    return rows


@transaction.atomic
def supervision_remove(*, actor, supervision) -> None:
    """End a supervision (the office's choice). The view checked the role."""
    audit_record(actor=actor, school=supervision.school, action="home_school.visit_supervisor.removed",
                 target=supervision.teacher, data={"term": supervision.term_id, "supervisor": supervision.supervisor_id})
    supervision.delete()
