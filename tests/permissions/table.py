"""The permission matrix: what every named URL answers to every role, for
a read (GET) and a write (POST). tests/permissions/test_table.py
walks it; a URL name that is not here fails that test.

Roles (tests/permissions/world.py makes them): anonymous; the
student 陈小雨 (`student`); her guardian (`guardian`) and 吴浩然's
(`other_guardian`); the head teachers of 六(1) and 六(2); the maths
teacher of 六(1) (`subject_teacher`); the counsellor, the office and the
principal of school A; school B's administrator (`b_admin`: another
school); a student on duty (`duty_student`: only Role.DUTY_STUDENT).
An id in a URL is the person's own object (their class, child,
conversation, notice ...; school B's administrator opens school A's).

Answers: 200 shown (a form posted with a minimal body is shown again with
its errors), 302 done and redirected (or sent on to the page of one's
side), LOGIN redirected to the login page, 400 refused request, 403 may
not use this page, 404 may not know the object exists, 405 wrong method.

Reading a row: `page(X)` a page that answers GET and POST alike (a read
page writes nothing on POST; a form page shows its errors); `form(get,
post)`; `action(post)` POST only (GET: 405 for everyone logged in).
`only(status, *groups, **exceptions)` gives `status` to the groups, LOGIN
to anonymous and `others` (403 unless told) to everyone else.
"""

LOGIN = "login"

ROLES = (
    "anonymous",
    "student",
    "guardian",
    "other_guardian",
    "head_teacher",
    "other_head_teacher",
    "subject_teacher",
    "counsellor",
    "office",
    "principal",
    "b_admin",
    "duty_student",
)

# --- Role groups ------------------------------------------------------------------------
GUARDIANS = ("guardian", "other_guardian")
PORTAL = ("student", *GUARDIANS)
HEADS = ("head_teacher", "other_head_teacher")
TEACHERS = (*HEADS, "subject_teacher")
OFFICE = ("office",)
RECORDERS = (*TEACHERS, *OFFICE)  # record conduct points in the class
STAFF_A = (*TEACHERS, "counsellor", "office", "principal")  # school A's staff
STAFF = (*STAFF_A, "b_admin")  # a staff member of some school (on a page of their own school)
LOGGED_IN = tuple(r for r in ROLES if r != "anonymous")


def only(status, *groups, others=403, **exceptions):
    table = {role: others for role in ROLES}
    table["anonymous"] = LOGIN
    for group in groups:
        for role in group:
            table[role] = status
    table.update(exceptions)
    return table


def everyone(status):
    """Pages that need no login: the same answer for anonymous too."""
    return {role: status for role in ROLES}


def row(get, post, *, obj=None, body=None, htmx=False):
    """`obj`: the kind of the id in the URL (world.target); `body`:
    the minimal POST body (a dict, or a function of the person's side
    objects and the world); `htmx`: posts carry HX-Request."""
    return {"get": get, "post": post, "obj": obj, "body": body or {}, "htmx": htmx}


def page(answers, **kwargs):
    return row(answers, answers, **kwargs)


def form(get, post, **kwargs):
    return row(get, post, **kwargs)


NO_GET = only(405, LOGGED_IN)


def action(post, **kwargs):
    return row(NO_GET, post, **kwargs)


# --- Common answers -----------------------------------------------------------------------
PUBLIC = everyone(200)
ANY_LOGGED_IN = only(200, LOGGED_IN)
STAFF_LIST = only(200, STAFF)  # every staff member, on their own school's list
STAFF_OF_A = only(200, STAFF_A, b_admin=404)  # school A's staff who reach the object; B never knows it
PORTAL_PAGE = only(200, PORTAL)  # guardians and the student
GUARDIAN_PORTAL = only(200, GUARDIANS)  # guardians only (the student: 403)
RECORDER_PAGE = only(200, RECORDERS, b_admin=404)  # the class's teachers and the office; counsellor/principal 403
HEAD_OF_OWN_CLASS = only(200, HEADS, b_admin=404)  # the class's head teacher; other staff of A 403
HEAD_ACTION = only(302, HEADS, b_admin=404)
OFFICE_ONLY = only(200, OFFICE)
HEAD_OR_OFFICE = only(200, HEADS, OFFICE)  # pages of the head teachers and the office (B's admin: not a writer)
# Home-school objects of a class: the head teacher and the office manage, the
# principal reads; other staff of A do not know them (404), nor does school B.
CLASS_READERS = only(200, HEADS, OFFICE, principal=200, subject_teacher=404, counsellor=404, b_admin=404)
CLASS_MANAGERS_FORM = only(200, HEADS, OFFICE, subject_teacher=404, counsellor=404, b_admin=404)
CLASS_MANAGERS_ACTION = only(302, HEADS, OFFICE, subject_teacher=404, counsellor=404, b_admin=404)
# The office's class pages: the class's head teacher, the office and the principal read; B never knows.
SCHOOL_READERS = only(200, HEADS, OFFICE, principal=200, b_admin=404)


URLS = {
    # --- No login needed -------------------------------------------------------------------
    "set_language": page(everyone(302), body={"language": "zh-hans", "next": "/"}),
    "javascript-catalog": row(PUBLIC, everyone(405)),
    "accounts:login": page({**everyone(302), "anonymous": 200}),  # signed in: sent home
    "accounts:password_reset": page(PUBLIC),
    "accounts:password_reset_done": row(PUBLIC, everyone(405)),
    "accounts:password_reset_confirm": page(PUBLIC, obj="reset"),  # a bad link says so
    "accounts:password_reset_complete": row(PUBLIC, everyone(405)),
    # --- Accounts ----------------------------------------------------------------------------
    "accounts:home": page(only(302, LOGGED_IN)),
    "accounts:logout": action(everyone(LOGIN)),  # signed out, to the login page
    "accounts:password_change": page(ANY_LOGGED_IN),
    "accounts:school_switch": action(only(400, LOGGED_IN)),  # no school posted
    "accounts:no_school": page(only(403, LOGGED_IN)),
    "notifications:inbox": row(ANY_LOGGED_IN, only(405, LOGGED_IN)),
    "notifications:mark_all_read": action(only(302, LOGGED_IN)),
    "notifications:open": page(only(302, LOGGED_IN), obj="notification"),  # one's own; others' are 404 (tests/test_reach.py)
    "notifications:preferences": page(ANY_LOGGED_IN),
    # --- Classes and students ------------------------------------------------------------------
    "classes:class_list": page(STAFF_LIST),
    "classes:class_detail": page(STAFF_OF_A, obj="school_class"),
    "classes:class_roster_export": page(only(200, HEADS, OFFICE, b_admin=404), obj="school_class"),
    "students:student_list": page(STAFF_LIST),
    "students:student_detail": page(STAFF_OF_A, obj="student"),
    # --- Conduct ledger ------------------------------------------------------------------------
    "moral_ed:class_entry": page(RECORDER_PAGE, obj="school_class"),
    "moral_ed:points_record": action(
        RECORDER_PAGE, obj="school_class", htmx=True, body=lambda o, w: {"students": [o.student.pk], "item": o.item.pk}
    ),
    "moral_ed:batch_undo": action(
        RECORDER_PAGE, obj="school_class", htmx=True, body={"batch": "00000000-0000-0000-0000-000000000000"}
    ),
    "moral_ed:student_points": page(STAFF_OF_A, obj="student"),
    # Whoever recorded it (the head teacher here), the class's head teacher, the office.
    "moral_ed:event_void": action(only(302, HEADS, OFFICE, b_admin=404), obj="event", body={"reason": "测试"}),
    "moral_ed:review_queue": page(HEAD_OF_OWN_CLASS, obj="school_class"),
    "moral_ed:review_action": action(
        HEAD_ACTION, obj="school_class", body=lambda o, w: {"action": "release", "events": [o.event.pk]}
    ),
    "moral_ed:class_groups": page(RECORDER_PAGE, obj="school_class"),
    "moral_ed:group_create": page(HEAD_OF_OWN_CLASS, obj="school_class"),
    "moral_ed:group_edit": page(HEAD_OF_OWN_CLASS, obj="group"),
    "moral_ed:group_points": action(HEAD_ACTION, obj="group", body=lambda o, w: {"item": o.item.pk}),
    "moral_ed:class_ranking": page(STAFF_OF_A, obj="school_class"),
    "moral_ed:class_bank": page(RECORDER_PAGE, obj="school_class"),
    "moral_ed:reward_add": action(HEAD_ACTION, obj="school_class", body={"name": "测试", "cost": "1"}),
    "moral_ed:reward_switch": action(HEAD_ACTION, obj="school_class", body={"reward": "0"}),
    "moral_ed:bank_redeem": action(HEAD_ACTION, obj="school_class", body={"student": "0", "reward": "0"}),
    "moral_ed:redemption_void": action(HEAD_ACTION, obj="school_class", body={"redemption": "0", "reason": "测试"}),
    "moral_ed:class_stars": page(HEAD_OF_OWN_CLASS, obj="school_class"),
    "moral_ed:star_queue": page(OFFICE_ONLY),
    "moral_ed:star_decide": action(only(302, OFFICE), obj="star", body={"decision": "reject"}),
    # --- Portal ---------------------------------------------------------------------------------
    "home_school:portal_home": page(only(302, PORTAL)),  # straight to the one child
    "home_school:portal_child": page(PORTAL_PAGE, obj="student"),
    # --- Messaging: members only; a member is sent to the page of their side ---------------------
    "home_school:conversation_list": page(only(200, TEACHERS)),
    # The head teacher has a conversation already (sent to it); the maths teacher starts one.
    "home_school:conversation_start": form(
        only(302, HEADS, subject_teacher=200, b_admin=404), only(302, TEACHERS, b_admin=404), obj="student", body={"body": "测试"}
    ),
    "home_school:office_hours": page(only(200, TEACHERS)),
    "home_school:conversation_detail": form(
        only(200, HEADS, others=404, guardian=302, other_guardian=302),
        only(302, HEADS, GUARDIANS, others=404),
        obj="conversation",
        body={"body": "测试"},
    ),
    "home_school:attachment_download": page(only(200, HEADS, GUARDIANS, others=404), obj="attachment"),
    "home_school:portal_messages": page(GUARDIAN_PORTAL),
    "home_school:portal_conversation_start": page(only(302, GUARDIANS), obj="student", body={"body": "测试"}),
    "home_school:portal_conversation": form(
        only(200, GUARDIANS, others=404, head_teacher=302, other_head_teacher=302),
        only(302, HEADS, GUARDIANS, others=404),
        obj="conversation",
        body={"body": "测试"},
    ),
    # --- Notices: head teachers and the office write; the author sends ---------------------------
    "home_school:notice_list": page(HEAD_OR_OFFICE),
    "home_school:notice_create": page(HEAD_OR_OFFICE),
    "home_school:notice_detail": page(HEAD_OR_OFFICE, obj="notice"),
    "home_school:notice_export": page(HEAD_OR_OFFICE, obj="notice"),
    "home_school:notice_send": action(only(302, HEADS), obj="notice"),
    "home_school:notice_cancel": action(only(302, HEADS, OFFICE), obj="notice"),
    "home_school:portal_notices": page(GUARDIAN_PORTAL),
    "home_school:portal_notice": form(
        GUARDIAN_PORTAL,
        only(302, GUARDIANS),
        obj="notice",
        body=lambda o, w: {"student": o.student.pk, "action": "reply", "choice": "0"},
    ),
    # --- Parent meetings ---------------------------------------------------------------------------
    "home_school:meeting_list": page(STAFF_LIST),
    "home_school:meeting_create": page(only(200, HEADS, OFFICE, b_admin=200)),
    "home_school:meeting_detail": page(STAFF_OF_A, obj="meeting"),
    "home_school:meeting_agenda_add": action(only(302, HEADS, OFFICE, b_admin=404), obj="meeting", body={"title": "测试"}),
    "home_school:meeting_attendance": page(only(200, HEADS, OFFICE, b_admin=404), obj="meeting"),
    "home_school:meeting_attendance_mark": action(
        only(200, HEADS, OFFICE, b_admin=404),
        obj="meeting",
        htmx=True,
        body=lambda o, w: {"student": o.student.pk, "present": "on"},
    ),
    "home_school:meeting_minutes": action(only(302, HEADS, OFFICE, b_admin=404), obj="meeting", body={"minutes": "测试"}),
    "home_school:meeting_followup_add": action(
        only(302, HEADS, OFFICE, b_admin=404), obj="meeting", body={"text": "测试", "due_on": "2026-12-01"}
    ),
    "home_school:meeting_proposal_decide": action(
        only(302, HEADS, OFFICE, b_admin=404), obj="proposal", body={"decision": "decline"}
    ),
    "home_school:meeting_followup_done": action(only(302, HEADS, OFFICE, b_admin=404), obj="follow_up", body={"done": "on"}),
    "home_school:portal_meetings": page(GUARDIAN_PORTAL),
    "home_school:portal_meeting": page(GUARDIAN_PORTAL, obj="meeting"),
    "home_school:portal_meeting_reply": action(
        only(302, GUARDIANS), obj="meeting", body=lambda o, w: {"student": o.student.pk, "answer": "decline"}
    ),
    "home_school:portal_meeting_propose": action(
        only(302, GUARDIANS), obj="meeting", body=lambda o, w: {"student": o.student.pk, "topic": "测试"}
    ),
    # --- Home visits: the teacher records; supervisor (the principal here), office, principal read ---
    "home_school:visit_list": page(STAFF_LIST),
    "home_school:visit_plan": page(only(200, TEACHERS, OFFICE, b_admin=200)),
    "home_school:visit_record": form(
        only(200, HEADS, OFFICE, principal=200, subject_teacher=404, counsellor=404, b_admin=404),
        only(200, HEADS, subject_teacher=404, counsellor=404, b_admin=404),  # only its teacher records
        obj="visit",
    ),
    "home_school:visit_cancel": action(only(302, HEADS, OFFICE, subject_teacher=404, counsellor=404, b_admin=404), obj="visit"),
    "home_school:visit_supervisors": page(only(200, OFFICE, b_admin=200)),
    "home_school:visit_supervisor_remove": action(only(302, OFFICE, b_admin=404), obj="supervision"),
    "home_school:portal_visits": page(GUARDIAN_PORTAL),
    # --- Parent committee ----------------------------------------------------------------------------
    "home_school:committee_list": page(STAFF_LIST),
    "home_school:committee_set_up": action(
        only(302, HEADS, OFFICE, b_admin=404), body=lambda o, w: {"school_class": o.school_class.pk}
    ),
    "home_school:committee_detail": page(CLASS_READERS, obj="committee"),
    "home_school:committee_member_add": action(
        CLASS_MANAGERS_ACTION, obj="committee", body={"guardian": "0", "role": "member", "start_date": "2026-11-20"}
    ),
    "home_school:committee_member_end": action(CLASS_MANAGERS_ACTION, obj="member", body={"end_date": "2026-11-20"}),
    "home_school:committee_meeting_new": page(CLASS_MANAGERS_FORM, obj="committee"),
    "home_school:committee_meeting_detail": page(CLASS_READERS, obj="committee_meeting"),
    "home_school:committee_meeting_edit": page(CLASS_MANAGERS_FORM, obj="committee_meeting"),
    "home_school:portal_committee_list": page(GUARDIAN_PORTAL),
    "home_school:portal_committee_detail": page(GUARDIAN_PORTAL, obj="committee"),
    # --- Volunteering -----------------------------------------------------------------------------------
    "home_school:volunteer_list": page(STAFF_LIST),
    "home_school:volunteer_new": page(only(200, HEADS, OFFICE, b_admin=200)),
    "home_school:volunteer_detail": page(CLASS_READERS, obj="activity"),
    "home_school:volunteer_done": action(CLASS_MANAGERS_ACTION, obj="activity", body={"signups": "0"}),
    "home_school:volunteer_cancel": action(CLASS_MANAGERS_ACTION, obj="activity"),
    "home_school:portal_volunteer_list": page(GUARDIAN_PORTAL),
    "home_school:portal_volunteer_detail": page(GUARDIAN_PORTAL, obj="activity"),
    "home_school:portal_volunteer_signup": action(only(302, GUARDIANS), obj="activity"),
    "home_school:portal_volunteer_withdraw": action(only(302, GUARDIANS), obj="activity"),
    # --- Participation (recognition list) -------------------------------------------------------------
    "home_school:participation_home": page(only(200, STAFF, head_teacher=302, other_head_teacher=302)),  # heads: to their class
    "home_school:participation_class": page(CLASS_READERS, obj="school_class"),
    # The principal reads the list but does not collect or void (read-only).
    "home_school:participation_refresh": action(CLASS_MANAGERS_ACTION, obj="school_class", body={"month": "2026-11"}),
    "home_school:participation_void": action(CLASS_MANAGERS_ACTION, obj="participation_event", body={"reason": "测试"}),
    # --- Suggestions ----------------------------------------------------------------------------------
    "home_school:suggestion_list": page(STAFF_LIST),
    "home_school:suggestion_detail": page(CLASS_READERS, obj="suggestion"),
    # A suggestion to the head teacher: the office and the principal read it, the head teacher answers.
    "home_school:suggestion_reply": action(
        only(302, HEADS, subject_teacher=404, counsellor=404, b_admin=404), obj="suggestion", body={"body": "谢谢"}
    ),
    "home_school:portal_suggestion_list": page(GUARDIAN_PORTAL),
    "home_school:portal_suggestion_new": page(GUARDIAN_PORTAL),
    "home_school:portal_suggestion_code": page(GUARDIAN_PORTAL),
    "home_school:portal_suggestion_detail": page(GUARDIAN_PORTAL, obj="suggestion"),
    # --- Parent school ----------------------------------------------------------------------------------
    "home_school:article_list": page(STAFF_LIST),
    "home_school:article_new": page(only(200, OFFICE, b_admin=200)),
    "home_school:article_detail": page(STAFF_OF_A, obj="article"),
    "home_school:article_edit": page(only(200, OFFICE, b_admin=404), obj="article"),
    "home_school:portal_article_list": page(GUARDIAN_PORTAL),
    "home_school:portal_article_detail": page(GUARDIAN_PORTAL, obj="article"),
    # --- The moral-education office: inspections and vetoes ---------------------------------------
    # The duty student records inspections in any class and voids their own entry of the day.
    "moral_ed:inspection_grid": row(only(200, OFFICE, duty_student=200), only(405, LOGGED_IN)),
    "moral_ed:inspection_record": action(
        only(200, OFFICE, duty_student=200),
        obj="school_class",
        htmx=True,
        body=lambda o, w: {"item": o.inspection_item.pk, "day": "2026-11-20"},
    ),
    "moral_ed:inspection_void": action(
        only(200, OFFICE, duty_student=200), obj="inspection_entry", htmx=True, body={"reason": "查错班级"}
    ),
    "moral_ed:class_inspections": row(SCHOOL_READERS, only(405, LOGGED_IN), obj="school_class"),
    "moral_ed:veto_list": row(only(200, OFFICE, principal=200), only(405, LOGGED_IN)),
    "moral_ed:veto_record": action(only(422, OFFICE)),  # an empty veto form is refused in place
    "moral_ed:veto_void": action(only(302, OFFICE), obj="veto", body={"reason": "撤销"}),
    # The published class ranking is shown to everyone of the school (B's admin: B's ranking).
    "moral_ed:ranking_published": row(ANY_LOGGED_IN, only(405, LOGGED_IN)),
    # --- Evaluations ---------------------------------------------------------------------------------
    "moral_ed:evaluation_list": page(only(200, HEADS, OFFICE, principal=200, b_admin=200)),
    "moral_ed:evaluation_run": page(OFFICE_ONLY),
    "moral_ed:evaluation_revision": page(SCHOOL_READERS, obj="revision"),
    "moral_ed:evaluation_publish": action(
        only(302, OFFICE, b_admin=404), obj="revision", body=lambda o, w: {"digest": o.revision.digest}
    ),
    "moral_ed:evaluation_students": page(SCHOOL_READERS, obj="revision"),
    # --- Dorms: the office runs them, the principal reads, head teachers see their class's students ---
    "moral_ed:dorm_home": page(only(200, HEADS, OFFICE, principal=200)),
    "moral_ed:dorm_building": page(only(200, OFFICE, principal=200), obj="building"),
    "moral_ed:dorm_bed_assign": action(only(302, OFFICE), obj="building", body={"bed": "0", "student_number": "0"}),
    "moral_ed:dorm_bed_release": action(only(302, OFFICE), obj="building", body={"assignment": "0"}),
    "moral_ed:dorm_inspection": page(only(200, OFFICE, principal=200), obj="building"),
    "moral_ed:dorm_event_record": action(only(302, OFFICE), obj="building", body={"room": "0", "item": "0"}),
    "moral_ed:dorm_event_void": action(only(302, OFFICE), obj="dorm_event", body={"reason": "测试"}),
    "moral_ed:dorm_class": page(SCHOOL_READERS, obj="school_class"),
    "moral_ed:dorm_student": page(SCHOOL_READERS, obj="student"),
    "moral_ed:dorm_cases": page(only(200, HEADS, OFFICE, principal=200)),
    "moral_ed:dorm_case": page(SCHOOL_READERS, obj="dorm_case"),
    # Step 1 (a talk) is confirmed by the head teacher; the principal reads only.
    "moral_ed:dorm_case_decide": action(only(302, HEADS, OFFICE, b_admin=404), obj="dorm_case", body={"decision": "confirm"}),
    # --- Term awards and practice credits -----------------------------------------------------------
    "moral_ed:award_home": page(only(302, HEADS, OFFICE, principal=302)),  # to the page of one's role
    "moral_ed:award_queue": page(OFFICE_ONLY),
    "moral_ed:award_list": page(only(200, HEADS, OFFICE, principal=200)),
    "moral_ed:award_export": page(only(200, OFFICE, principal=200)),
    "moral_ed:award_propose_head": action(only(302, OFFICE), body={"school_class": "0", "reason": "x"}),
    "moral_ed:award_class": page(SCHOOL_READERS, obj="school_class"),
    # The class has a veto this term: an outstanding-class proposal is refused in place.
    "moral_ed:award_propose": action(
        only(422, HEADS, b_admin=404), obj="school_class", body={"kind": "outstanding_class", "reason": "班风优良"}
    ),
    "moral_ed:award_export_class_totals": page(SCHOOL_READERS, obj="school_class"),
    "moral_ed:award_decide": action(only(302, OFFICE), obj="award", body={"decision": "approve"}),
    # The proposer withdraws; the office decides but does not withdraw; others do not know the proposal.
    "moral_ed:award_withdraw": action(
        only(302, HEADS, subject_teacher=404, counsellor=404, principal=404, b_admin=404), obj="award"
    ),
    "moral_ed:award_export_rankings": page(only(200, OFFICE, principal=200), obj="revision"),
    "moral_ed:practice_home": page(only(200, OFFICE, principal=200, b_admin=200, head_teacher=302, other_head_teacher=302)),
    "moral_ed:practice_class": page(SCHOOL_READERS, obj="school_class"),
    "moral_ed:practice_add": form(
        only(200, HEADS, OFFICE, b_admin=404),
        only(422, HEADS, OFFICE, b_admin=404),
        obj="student",  # empty form: 422
    ),
    # The family (the student and guardians) and the staff who reach the record.
    "moral_ed:practice_evidence": page(
        only(200, PORTAL, HEADS, OFFICE, principal=200, b_admin=404, duty_student=404), obj="evidence"
    ),
    "moral_ed:practice_void": action(only(302, HEADS, OFFICE, b_admin=404), obj="practice_record", body={"reason": "录错"}),
    "moral_ed:practice_portal": page(PORTAL_PAGE, obj="student"),
}
