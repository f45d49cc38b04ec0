"""Who holds which role where.

Roles are read from the database on every request (cached on the user
object, which lives one request), so a role removed by an administrator
stops working on the next request. Roles are compared exactly.
"""

from .models import STAFF_ROLES, Membership, Role


def roles_in(user, school) -> frozenset[str]:
    """The set of exact role values `user` holds in `school`."""
    if not getattr(user, "is_authenticated", False) or school is None:
        return frozenset()
    cache = user.__dict__.setdefault("_banwu_roles", {})
    if school.pk not in cache:
        cache[school.pk] = frozenset(
            Membership.objects.filter(user=user, school=school).values_list("role", flat=True)
        )
    return cache[school.pk]


def has_role(user, school, *roles: str) -> bool:
    held = roles_in(user, school)
    return any(role in held for role in roles)


def is_staff_in(user, school) -> bool:
    return bool(roles_in(user, school) & STAFF_ROLES)


def has_school_wide_reach(user, school) -> bool:
    """Office, principal, counsellor and school admins see every class."""
    return has_role(user, school, Role.SCHOOL_ADMIN, Role.OFFICE, Role.PRINCIPAL, Role.COUNSELLOR)


def schools_of(user):
    from classes.models import School

    if not getattr(user, "is_authenticated", False):
        return School.objects.none()
    return School.objects.filter(memberships__user=user, is_active=True).distinct().order_by("code")
