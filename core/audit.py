"""The audit log's vocabulary: every action a service writes with
accounts.services.audit_record, with the words the admin shows for it.

One table, so that an administrator reading the log (and a newcomer
adding a service) finds every action in one place; a name is
`<app>.<thing>.<what happened>`. tests/core/test_audit_actions.py fails when
a service writes a name that is not here, or when a name here is written
by nobody. Core imports no domain app: these are names only.
"""

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    # accounts
    "accounts.password.changed": _("Password changed"),
    "accounts.role.granted": _("Role granted"),
    "accounts.role.revoked": _("Role revoked"),
    # classes
    "classes.roster.exported": _("Class roster exported"),
    # students
    "students.roster.imported": _("Roster imported"),
    "students.roster.rejected": _("Roster import refused"),
    "students.roster.failed": _("Roster import failed"),
    "students.roster.file_downloaded": _("Roster file downloaded"),
    "students.roster.credentials_taken": _("Initial passwords taken"),
    # moral_ed: conduct points, groups, character bank, stars
    "moral_ed.conduct.voided": _("Conduct points voided"),
    "moral_ed.conduct.undone": _("Conduct entry undone"),
    "moral_ed.group_event.voided": _("Group points voided"),
    "moral_ed.bank.redeemed": _("Reward redeemed"),
    "moral_ed.bank.voided": _("Redemption voided"),
    "moral_ed.star.confirmed": _("Star awarded"),
    "moral_ed.star.declined": _("Star not awarded"),
    # moral_ed: inspections and vetoes
    "moral_ed.inspection.voided": _("Inspection entry voided"),
    "moral_ed.veto.recorded": _("Veto recorded"),
    "moral_ed.veto.voided": _("Veto withdrawn"),
    # moral_ed: dorms
    "moral_ed.dorm.bed_assigned": _("Bed assigned"),
    "moral_ed.dorm.bed_released": _("Bed released"),
    "moral_ed.dorm.entry_voided": _("Dorm entry voided"),
    "moral_ed.dorm.level_stepped_down": _("Dorm level stepped down"),
    "moral_ed.dorm_case.opened": _("Dorm case opened"),
    "moral_ed.dorm_case.confirmed": _("Dorm case confirmed"),
    "moral_ed.dorm_case.dismissed": _("Dorm case dismissed"),
    # moral_ed: evaluations and awards
    "moral_ed.evaluation.computed": _("Evaluation computed"),
    "moral_ed.evaluation.recomputed": _("Evaluation computed again"),
    "moral_ed.evaluation.published": _("Evaluation published"),
    "moral_ed.award.proposed": _("Award proposed"),
    "moral_ed.award.withdrawn": _("Award proposal withdrawn"),
    "moral_ed.award.approved": _("Award approved"),
    "moral_ed.award.declined": _("Award declined"),
    "moral_ed.practice.recorded": _("Practice recorded"),
    "moral_ed.practice.voided": _("Practice record voided"),
    # home_school
    "home_school.notice.sent": _("Notice sent"),
    "home_school.notice.cancelled": _("Notice cancelled"),
    "home_school.meeting.scheduled": _("Parent meeting scheduled"),
    "home_school.meeting.topic_decided": _("Meeting topic decided"),
    "home_school.meeting.minutes_saved": _("Meeting minutes saved"),
    "home_school.committee.set_up": _("Parent committee set up"),
    "home_school.committee.member_added": _("Committee member added"),
    "home_school.committee.member_ended": _("Committee membership ended"),
    "home_school.committee.meeting_recorded": _("Committee meeting recorded"),
    "home_school.committee.meeting_changed": _("Committee meeting record changed"),
    "home_school.parent_school.created": _("Parent school article published"),
    "home_school.parent_school.changed": _("Parent school article changed"),
    "home_school.participation.voided": _("Participation points voided"),
    "home_school.suggestion.replied": _("Suggestion answered"),
    "home_school.visit.planned": _("Home visit planned"),
    "home_school.visit.recorded": _("Home visit recorded"),
    "home_school.visit.cancelled": _("Home visit cancelled"),
    "home_school.visit_supervisor.assigned": _("Visit supervisor assigned"),
    "home_school.visit_supervisor.removed": _("Visit supervisor removed"),
    "home_school.volunteering.created": _("Volunteering created"),
    "home_school.volunteering.cancelled": _("Volunteering cancelled"),
    "home_school.volunteering.done": _("Volunteering done"),
}


def action_label(action: str) -> str:
    """The words for an action; an unknown name (a row written before the
    name was declared) is shown as it is."""
    return ACTIONS.get(action, action)
