"""The doors every part shares, built on the role groups of accounts.roles:
staff pages, portal pages, and who reads the whole school. A part's own
policies module adds its objects' doors on top of these.

Roles are read from the database on every request (accounts.roles.roles_in),
so a role removed by an administrator stops working on the next request.
"""

from django.core.exceptions import PermissionDenied

from . import roles
from .roles import holds, roles_in

__all__ = ["has_school_wide_reach", "is_staff_in", "require_guardian", "require_staff", "roles_in", "schools_of"]


def is_staff_in(user, school) -> bool:
    return holds(user, school, roles.STAFF)


def require_staff(user, school) -> None:
    """Staff pages are for the school's staff; guardians and students use the portal (403)."""
    if not is_staff_in(user, school):
        raise PermissionDenied


def require_guardian(user, school) -> None:
    """The portal's pages for families are for guardians (students and staff: 403)."""
    if not holds(user, school, roles.GUARDIANS):
        raise PermissionDenied


def has_school_wide_reach(user, school) -> bool:
    """Office, principal, counsellor and school admins see every class."""
    return holds(user, school, roles.SCHOOL_WIDE)


def schools_of(user):
    from classes.models import School

    if not getattr(user, "is_authenticated", False):
        return School.objects.none()
    return School.objects.filter(memberships__user=user, is_active=True).distinct().order_by("code")
