"""Who may see and do what with term awards, practice records and the
office's exports.

- A class's award page (candidate list, its proposals): the class's head
  teacher, who proposes merit students, outstanding cadres and the class
  as outstanding class; the office and the principal read it.
- The award queue, deciding and proposing outstanding head teachers: the
  office. Withdrawing: whoever proposed, while the proposal waits.
- The approved award list of a term: the office and the principal (every
  class), head teachers (their classes).
- Exports: class rankings and the award list for the office and the
  principal; a class's student term totals also for its head teacher.
- Practice records: the head teacher of the student's class and the
  office record and void; the principal and school administrators read; guardians read their own
  child's on the portal, a student their own. Evidence files go only to
  those who may read the record.

Objects are fetched within the person's school and reach first (404),
then the right to act is checked (403).
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts import roles
from accounts.policies import is_staff_in
from accounts.roles import holds
from classes.policies import get_class_for, require_staff
from classes.selectors import current_term, head_teacher_class_ids
from students.policies import get_student_for
from students.selectors import children_of, student_list_for

from ..models import EvaluationRevision, PracticeEvidence, PracticeRecord, RevisionStatus, TermAward
from .conduct import is_head_teacher_of, is_office


def is_office_or_principal(user, school) -> bool:
    return holds(user, school, roles.OFFICE_OR_PRINCIPAL)


def require_office(user, school):
    require_staff(user, school)
    if not is_office(user, school):
        raise PermissionDenied


def require_office_or_principal(user, school):
    require_staff(user, school)
    if not is_office_or_principal(user, school):
        raise PermissionDenied


# --- Awards --------------------------------------------------------------------------------


def get_class_for_awards(user, school, pk):
    """The class's award page and its student totals export: its head
    teacher, the office, the principal. Other staff who see the class get
    403; a class out of reach is 404."""
    school_class = get_class_for(user, school, pk)
    if is_office_or_principal(user, school) or is_head_teacher_of(user, school, school_class):
        return school_class
    raise PermissionDenied


def can_propose_for_class(user, school, school_class) -> bool:
    return is_head_teacher_of(user, school, school_class)


def get_class_for_proposing(user, school, pk):
    """Only the class's head teacher proposes its students and the class
    itself; another head teacher gets 404 (the class is out of reach)."""
    school_class = get_class_for(user, school, pk)
    if not can_propose_for_class(user, school, school_class):
        raise PermissionDenied
    return school_class


def get_award_for_deciding(user, school, pk):
    """The office decides; everyone else gets 403 whatever the id."""
    require_office(user, school)
    return get_object_or_404(
        TermAward.objects.select_related("term", "school_class__grade", "student", "teacher", "proposed_by"), pk=pk, school=school
    )


def get_award_for_withdrawing(user, school, pk):
    """The proposer withdraws. The office sees every proposal of the school,
    a head teacher those of their classes (404 for others); seeing it but
    not having proposed it is 403."""
    require_staff(user, school)
    qs = TermAward.objects.filter(school=school).select_related("term", "school_class", "student", "teacher")
    if not is_office(user, school):
        qs = qs.filter(school_class_id__in=head_teacher_class_ids(user, school, current_term(school)))
    award = get_object_or_404(qs, pk=pk)
    if award.proposed_by_id != user.pk:
        raise PermissionDenied
    return award


def award_list_class_ids(user, school, term):
    """Which classes' awards the person sees in the award list: None for
    every class (office, principal), the classes they lead in `term` for
    head teachers; 403 for others."""
    require_staff(user, school)
    if is_office_or_principal(user, school):
        return None
    if holds(user, school, roles.HEAD_TEACHERS):
        return head_teacher_class_ids(user, school, term)
    raise PermissionDenied


def get_revision_for_export(user, school, pk):
    """A published evaluation revision's class ranking (office, principal)."""
    require_office_or_principal(user, school)
    return get_object_or_404(
        EvaluationRevision.objects.select_related("evaluation"), pk=pk, school=school, status=RevisionStatus.PUBLISHED
    )


# --- Practice records ------------------------------------------------------------------------


def reads_all_practice(user, school) -> bool:
    """The office, the principal and school administrators read every class's records."""
    return holds(user, school, roles.LEADERSHIP)


def can_record_practice(user, school, school_class) -> bool:
    if school_class is None or school_class.school_id != school.pk:
        return False
    return is_office(user, school) or is_head_teacher_of(user, school, school_class)


def get_class_for_practice(user, school, pk):
    """A class's practice page: its head teacher and the office (record),
    the principal (reads)."""
    school_class = get_class_for(user, school, pk)
    if reads_all_practice(user, school) or is_head_teacher_of(user, school, school_class):
        return school_class
    raise PermissionDenied


def _current_class(student):
    current = getattr(student, "current_enrollments", None) or []
    return current[0].school_class if current else None


def can_read_practice_of(user, school, student) -> bool:
    """Staff who read a student's practice records (the student came from
    students.selectors.student_list_for, with its current enrollment)."""
    if reads_all_practice(user, school):
        return True
    school_class = _current_class(student)
    return school_class is not None and is_head_teacher_of(user, school, school_class)


def get_student_for_practice(user, school, pk):
    """The student a record is written for: the head teacher of the
    student's current class, or the office. Sets `current_class`."""
    student = get_student_for(user, school, pk)
    student.current_class = _current_class(student)
    if is_office(user, school) or (student.current_class is not None and is_head_teacher_of(user, school, student.current_class)):
        return student
    raise PermissionDenied


def get_record_for_voiding(user, school, pk):
    require_staff(user, school)
    record = get_object_or_404(PracticeRecord.objects.select_related("student", "school_year"), pk=pk, school=school)
    student = get_student_for(user, school, record.student_id)  # 404 out of reach
    if not (is_office(user, school) or can_record_practice(user, school, _current_class(student))):
        raise PermissionDenied
    return record


def portal_students(user, school):
    """The children a guardian follows, or the student themself; 403 for
    anyone else (staff use their own pages)."""
    if holds(user, school, roles.GUARDIANS):
        return children_of(user, school)
    if holds(user, school, roles.STUDENTS):
        return student_list_for(user, school)
    raise PermissionDenied


def get_child_for_practice(user, school, pk):
    return get_object_or_404(portal_students(user, school), pk=pk)


def get_evidence_for(user, school, pk):
    """An evidence file's facts (not its bytes) for those who may read the
    record: staff as can_read_practice_of says (403 for other staff who
    reach the student), the student's guardians and the student (unvoided
    records only). 404 for everyone else."""
    if school is None:
        raise Http404
    evidence = get_object_or_404(PracticeEvidence.objects.defer("data").select_related("record"), pk=pk, school=school)
    record = evidence.record
    if is_staff_in(user, school):
        student = get_student_for(user, school, record.student_id)
        if not can_read_practice_of(user, school, student):
            raise PermissionDenied
        return evidence
    try:
        readers = portal_students(user, school)
    except PermissionDenied:
        raise Http404
    if record.is_voided or not readers.filter(pk=record.student_id).exists():
        raise Http404
    return evidence
