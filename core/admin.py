"""Admin pieces every app's admin shares.

`ReadOnlyAdmin` goes first among the bases of an admin whose rows are
written only by services: ledgers (corrected by a void made on the staff
pages, with a reason), the audit log, deliveries, import runs, archives.
Such rows are read in the admin, never added, changed or deleted there;
the tenancy base (accounts.admin_scoping.SchoolScopedAdmin) still limits
which rows are read.
"""


class ReadOnlyAdmin:
    """No add, change or delete for anyone, superusers included; actions
    the admin declares (a void with a reason) still run."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
