"""The role groups of banwu: the one place that names who counts as whom.

A policy, selector or view asks `holds(user, school, GROUP)` with a group
named here and never spells a group of roles itself
(tests/accounts/test_roles.py greps for it). Roles are read from the
database on every request (roles_in, below).

| group | roles | what it opens |
|---|---|---|
| STAFF | every staff role (accounts.models.STAFF_ROLES) | the staff pages |
| STAFF_BUT_ADMIN | every staff role but school admin | landing on the class list after login (an administrator lands in the admin) |
| SCHOOL_WIDE | school admin, office, principal, counsellor | every class and student of the school |
| LEADERSHIP | office, principal, school admin | every class's evaluations, awards, committees, visits |
| OFFICE_OR_ADMIN | office, school admin | managing meetings, committees and visits of the school; rosters with phone numbers |
| OFFICE_OR_PRINCIPAL | office, principal | deciding awards; every dorm and inspection record |
| OFFICE | office | the moral-education office's own work: inspections, vetoes, conduct everywhere, stars |
| DORM_READERS | office, principal, head teacher | the dorm pages |
| NOTICE_WRITERS | office, head teacher | writing notices |
| INSPECTORS | office, student on duty | entering class inspections |
| TEACHERS | head teacher, subject teacher | a teacher's classes, messages with families, home visits |
| HEAD_TEACHERS, SUBJECT_TEACHERS | one role each | |
| GUARDIANS, STUDENTS, DUTY_STUDENTS | one role each | the portal; the inspection grid alone |
| PORTAL | guardian, student | pages that are the portal's, not staff's |

The decision on the office: the moral-education office (政教处) is
Role.OFFICE alone. The school administrator is not the office: they run
the school's accounts and settings. Where an administrator also acts
(meetings, committees, visits, roster exports) or reads (evaluations,
awards) alongside the office, the group says so by its name
(OFFICE_OR_ADMIN, LEADERSHIP), so a reader never has to guess.
"""

from .models import STAFF_ROLES, Membership, Role

STAFF = STAFF_ROLES
STAFF_BUT_ADMIN = STAFF_ROLES - {Role.SCHOOL_ADMIN}
SCHOOL_WIDE = frozenset({Role.SCHOOL_ADMIN, Role.OFFICE, Role.PRINCIPAL, Role.COUNSELLOR})
LEADERSHIP = frozenset({Role.OFFICE, Role.PRINCIPAL, Role.SCHOOL_ADMIN})
OFFICE_OR_ADMIN = frozenset({Role.OFFICE, Role.SCHOOL_ADMIN})
OFFICE_OR_PRINCIPAL = frozenset({Role.OFFICE, Role.PRINCIPAL})
OFFICE = frozenset({Role.OFFICE})
DORM_READERS = frozenset({Role.OFFICE, Role.PRINCIPAL, Role.HEAD_TEACHER})
NOTICE_WRITERS = frozenset({Role.OFFICE, Role.HEAD_TEACHER})
INSPECTORS = frozenset({Role.OFFICE, Role.DUTY_STUDENT})
TEACHERS = frozenset({Role.HEAD_TEACHER, Role.SUBJECT_TEACHER})
HEAD_TEACHERS = frozenset({Role.HEAD_TEACHER})
SUBJECT_TEACHERS = frozenset({Role.SUBJECT_TEACHER})
GUARDIANS = frozenset({Role.GUARDIAN})
STUDENTS = frozenset({Role.STUDENT})
DUTY_STUDENTS = frozenset({Role.DUTY_STUDENT})
PORTAL = frozenset({Role.GUARDIAN, Role.STUDENT})


def roles_in(user, school) -> frozenset[str]:
    """The exact role values `user` holds in `school`, read once per request
    (cached on the user object, which lives one request): a role removed by
    an administrator stops working on the next request."""
    if not getattr(user, "is_authenticated", False) or school is None:
        return frozenset()
    cache = user.__dict__.setdefault("_banwu_roles", {})
    if school.pk not in cache:
        cache[school.pk] = frozenset(Membership.objects.filter(user=user, school=school).values_list("role", flat=True))
    return cache[school.pk]


def holds(user, school, group: frozenset) -> bool:
    """Whether `user` holds one of the roles of `group` in `school`."""
    return bool(roles_in(user, school) & group)
