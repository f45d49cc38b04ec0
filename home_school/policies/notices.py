"""Who may write, see, send and cancel notices, and answer them.

- Write a notice: head teachers (to their own classes this term) and the
  moral-education office (any classes, a grade or the whole school).
- See a notice and its receipts, export them: its author; the office for
  every notice of the school. Anyone else on the staff: 403 for the pages,
  404 for a notice out of reach (they may not know it exists).
- Send a draft or scheduled notice now: its author. Cancel one before it
  is sent: its author or the office.
- Guardians answer only for their own children, on sent notices that
  reached them (404 otherwise); staff and students get 403 on the portal's
  notice pages.
Nobody reaches another school's notices (404).
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from accounts.policies import require_guardian

from ..selectors.notices import (
    can_write_notices,
    is_notice_office,
    notice_list_for,
    portal_notice_list_for,
)


def require_notice_writer(user, school):
    """The staff notice pages are for head teachers and the office."""
    if not can_write_notices(user, school):
        raise PermissionDenied


def can_send_notice(user, school, notice) -> bool:
    return notice.school_id == school.pk and notice.author_id == user.pk


def can_cancel_notice(user, school, notice) -> bool:
    return notice.school_id == school.pk and (notice.author_id == user.pk or is_notice_office(user, school))


def get_notice_for(user, school, pk):
    """A notice on the staff pages: 403 for people who do not write
    notices, 404 for a notice out of their reach."""
    require_notice_writer(user, school)
    return get_object_or_404(notice_list_for(user, school), pk=pk)


def get_notice_for_sending(user, school, pk):
    notice = get_notice_for(user, school, pk)
    if not can_send_notice(user, school, notice):
        raise PermissionDenied
    return notice


def get_notice_for_cancelling(user, school, pk):
    notice = get_notice_for(user, school, pk)
    if not can_cancel_notice(user, school, notice):
        raise PermissionDenied
    return notice


def get_portal_notice_for(user, school, pk):
    """A sent notice that reached one of the guardian's children, with
    `my_receipts`; 403 for non-guardians, 404 otherwise."""
    require_guardian(user, school)
    return get_object_or_404(portal_notice_list_for(user, school), pk=pk)
