"""School tenancy for the Django admin: the one base every ModelAdmin and
inline of banwu inherits (STYLE.md, DESIGN.md invariant 9).

A superuser sees every school. A school administrator (active, is_staff,
the school_admin role in an active school) sees and uses only rows of the
schools they administer, and everything an admin page offers them passes
through here, not field by field:

- rows: `get_queryset` keeps the rows whose school is theirs (a row
  outside is "not found");
- every ForeignKey and ManyToMany form field, generated or declared, of the
  form, the inlines and the list_editable forms: its choices are the rows
  in their schools (`TenancyMixin.scope_for_field`);
- widget labels: raw-id and autocomplete widgets look a label up among
  those choices only, so an id outside them shows no name;
- query-string initial values (`…/add/?user=<id>`): ids outside are dropped;
- list filter sidebars (related and all-values filters) list their rows only;
- autocomplete answers with the searched admin's rows that are also
  choices of the asking field;
- actions act on the page's rows (narrowed by `actionable_queryset`).

Ids no database column holds (2^63 and up) are refused as invalid choices
or dropped; they never reach the database.

Where a row's school is (`school_path`): its `school` foreign key; School
itself; a user is in a school when they hold a Membership there; any other
model through its required foreign keys (every one must lead inside).

Users are managed under a stricter rule (`users_managed_by`).

reach.py     who administers which schools; where a row's school is (school_path,
             in_schools, rows_for); the accounts an administrator manages
widgets.py   raw-id and autocomplete widgets, the admin's date-time field, the
             scoped list filters, and the check of ids in a changelist's query
bases.py     TenancyMixin, SchoolScopedAdmin and the school-scoped inlines
checks.py    the system check that every admin of banwu is built on the bases
"""

from .bases import (
    SchoolScopedAdmin,
    SchoolScopedInline,
    SchoolScopedStackedInline,
    SchoolScopedTabularInline,
    TenancyMixin,
    is_autocomplete,
)
from .checks import BANWU_APPS, every_admin_is_school_scoped
from .reach import (
    admin_school_ids,
    in_schools,
    is_school_admin,
    may_manage_user,
    rows_for,
    school_path,
    users_managed_by,
)
from .widgets import AdminMomentField

__all__ = [
    "BANWU_APPS",
    "AdminMomentField",
    "SchoolScopedAdmin",
    "SchoolScopedInline",
    "SchoolScopedStackedInline",
    "SchoolScopedTabularInline",
    "TenancyMixin",
    "admin_school_ids",
    "every_admin_is_school_scoped",
    "in_schools",
    "is_autocomplete",
    "is_school_admin",
    "may_manage_user",
    "rows_for",
    "school_path",
    "users_managed_by",
]
