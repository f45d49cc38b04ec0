"""The permission table: what every named URL answers to every role, for
a read (GET) and a write (POST), and for the URLs that take an id, what
it answers on the object of one's own class or family, of another class
or family of the same school, and of another school. One row per URL
name; tests/permissions/test_table.py walks it on the one world of
tests/permissions/world.py, and a URL name that is not here fails there.

Adding a URL: add its row here. If it takes an id, give the row a
`reach=[...]` column (own / other / other school) and make its object in
world.build (sides 1 and 2, and side 3 in _reach_objects).

Roles (tests/permissions/world.py makes them): anonymous; the
student 陈小雨 (`student`); her guardian (`guardian`) and 吴浩然's
(`other_guardian`); the head teachers of 六(1) and 六(2); the maths
teacher of 六(1) (`subject_teacher`); the counsellor, the office and the
principal of school A; school B's administrator (`b_admin`: another
school); a student on duty (`duty_student`: only Role.DUTY_STUDENT).
An id in a URL is the person's own object (their class, child,
conversation, notice ...; school B's administrator opens school A's).
Four more persons appear only in reach columns and in `also_get` /
`also_post` cells: school A's administrator (`school_admin`), school B's
office (`b_office`), guardian (`b_guardian`) and duty student
(`b_duty_student`).

Answers: 200 shown (a form posted with a minimal body is shown again with
its errors), 302 done and redirected (or sent on to the page of one's
side), LOGIN redirected to the login page, 400 refused request, 403 may
not use this page, 404 may not know the object exists, 405 wrong method,
422 a form refused in place.

Reading a row: `page(X)` a page that answers GET and POST alike (a read
page writes nothing on POST; a form page shows its errors); `form(get,
post)`; `action(post)` POST only (GET: 405 for everyone logged in).
`only(status, *groups, **exceptions)` gives `status` to the groups, LOGIN
to anonymous and `others` (403 unless told) to everyone else.

Reading a reach column: `reach(kind, {(own, other, other school): roles})`
opens the object `kind` of side 1 (六(1)班, 陈小雨's family: "own" for
everyone), side 2 (六(2)班, 吴浩然's family) and side 3 (school B), by GET,
or by POST with `post=` the body (a dict, or a function of that side's
objects and the world). None: there is no such object (a school has one
school committee, so there is no "other"). Each cell runs on the world as
built and is rolled back, so the cells do not depend on their order.
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
REACH_ROLES = ("school_admin", "b_office", "b_guardian", "b_duty_student")  # see world.reach_people
ALL_ROLES = (*ROLES, *REACH_ROLES)


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


def row(get, post, *, obj=None, body=None, htmx=False, reach=(), also_get=None, also_post=None):
    """`obj`: the kind of the id in the URL (world.target); `body`:
    the minimal POST body (a dict, or a function of the person's side
    objects and the world); `htmx`: posts carry HX-Request; `reach`: the
    own / other / other-school columns (see `reach`); `also_get`,
    `also_post`: answers of the reach-only roles on this URL."""
    get, post = {**get, **(also_get or {})}, {**post, **(also_post or {})}
    return {"get": get, "post": post, "obj": obj, "body": body or {}, "htmx": htmx, "reach": list(reach)}


def reach(kind, answers, *, post=None, htmx=False):
    """What the URL answers on the `kind` object of side 1, 2 and 3 (own,
    other, other school): `answers` maps an (own, other, other school)
    triple to the roles that get it. GET unless `post` (the body) is given."""
    by_role = {role: triple for triple, roles in answers.items() for role in roles}
    return {"kind": kind, "answers": by_role, "post": post, "htmx": htmx}


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
    "notifications:open": page(
        only(302, LOGGED_IN),
        obj="notification",
        reach=[
            reach(
                "guardian_note",
                {
                    (LOGIN, LOGIN, LOGIN): ("anonymous",),
                    (404, 404, 404): (
                        "student",
                        "head_teacher",
                        "other_head_teacher",
                        "subject_teacher",
                        "counsellor",
                        "office",
                        "principal",
                        "b_office",
                    ),
                    (302, 404, 404): ("guardian",),
                    (404, 302, 404): ("other_guardian",),
                    (404, 404, 302): ("b_guardian",),
                },
            )
        ],
    ),  # one's own; others' are 404 (the reach column)
    "notifications:preferences": page(ANY_LOGGED_IN),
    # --- Classes and students ------------------------------------------------------------------
    "classes:class_list": page(STAFF_LIST),
    "classes:class_detail": page(
        STAFF_OF_A,
        obj="school_class",
        reach=[
            reach(
                "school_class",
                {
                    (LOGIN, LOGIN, LOGIN): ("anonymous",),
                    (403, 403, 403): ("student", "guardian", "other_guardian", "b_guardian"),
                    (200, 404, 404): ("head_teacher", "subject_teacher"),
                    (404, 200, 404): ("other_head_teacher",),
                    (200, 200, 404): ("counsellor", "office", "principal"),
                    (404, 404, 200): ("b_office",),
                },
            )
        ],
    ),
    "classes:class_roster_export": page(
        only(200, HEADS, OFFICE, b_admin=404),
        obj="school_class",
        reach=[
            reach(
                "school_class",
                {
                    (LOGIN, LOGIN, LOGIN): ("anonymous",),
                    (403, 403, 403): ("student", "guardian", "other_guardian", "b_guardian"),
                    (200, 404, 404): ("head_teacher",),
                    (404, 200, 404): ("other_head_teacher",),
                    (403, 404, 404): ("subject_teacher",),
                    (403, 403, 404): ("counsellor", "principal"),
                    (200, 200, 404): ("office",),
                    (404, 404, 200): ("b_office",),
                },
            )
        ],
    ),
    "students:student_list": page(STAFF_LIST),
    "students:student_detail": page(
        STAFF_OF_A,
        obj="student",
        reach=[
            reach(
                "student",
                {
                    (LOGIN, LOGIN, LOGIN): ("anonymous",),
                    (403, 403, 403): ("student", "guardian", "other_guardian", "b_guardian"),
                    (200, 404, 404): ("head_teacher", "subject_teacher"),
                    (404, 200, 404): ("other_head_teacher",),
                    (200, 200, 404): ("counsellor", "office", "principal"),
                    (404, 404, 200): ("b_office",),
                },
            )
        ],
    ),
    # --- Conduct ledger ------------------------------------------------------------------------
    "moral_ed:class_entry": page(
        RECORDER_PAGE,
        obj="school_class",
        reach=[
            reach(
                "school_class",
                {
                    (LOGIN, LOGIN, LOGIN): ("anonymous",),
                    (403, 403, 403): ("student", "guardian", "other_guardian", "b_guardian"),
                    (200, 404, 404): ("head_teacher", "subject_teacher"),
                    (404, 200, 404): ("other_head_teacher",),
                    (403, 403, 404): ("counsellor", "principal"),
                    (200, 200, 404): ("office",),
                    (404, 404, 200): ("b_office",),
                },
            )
        ],
    ),
    "moral_ed:points_record": action(
        RECORDER_PAGE,
        obj="school_class",
        htmx=True,
        body=lambda o, w: {"students": [o.student.pk], "item": o.item.pk},
        reach=[
            reach(
                "school_class",
                {
                    (LOGIN, LOGIN, LOGIN): ("anonymous",),
                    (403, 403, 403): ("student", "guardian", "other_guardian", "b_guardian"),
                    (200, 404, 404): ("head_teacher", "subject_teacher"),
                    (404, 200, 404): ("other_head_teacher",),
                    (403, 403, 404): ("counsellor", "principal"),
                    (200, 200, 404): ("office",),
                    (404, 404, 200): ("b_office",),
                },
                post=lambda o, w: {"students": [o.student.pk], "item": o.item.pk},
                htmx=True,
            )
        ],
    ),
    "moral_ed:batch_undo": action(
        RECORDER_PAGE,
        obj="school_class",
        htmx=True,
        body={"batch": "00000000-0000-0000-0000-000000000000"},
        reach=[
            reach(
                "school_class",
                {
                    (LOGIN, LOGIN, LOGIN): ("anonymous",),
                    (403, 403, 403): ("student", "guardian", "other_guardian", "b_guardian"),
                    (200, 404, 404): ("head_teacher", "subject_teacher"),
                    (404, 200, 404): ("other_head_teacher",),
                    (403, 403, 404): ("counsellor", "principal"),
                    (200, 200, 404): ("office",),
                    (404, 404, 200): ("b_office",),
                },
                post={"batch": "00000000-0000-0000-0000-000000000000"},
                htmx=True,
            )
        ],
    ),
    "moral_ed:student_points": page(
        STAFF_OF_A,
        obj="student",
        reach=[
            reach(
                "student",
                {
                    (LOGIN, LOGIN, LOGIN): ("anonymous",),
                    (403, 403, 403): ("student", "guardian", "other_guardian", "b_guardian"),
                    (200, 404, 404): ("head_teacher", "subject_teacher"),
                    (404, 200, 404): ("other_head_teacher",),
                    (200, 200, 404): ("counsellor", "office", "principal"),
                    (404, 404, 200): ("b_office",),
                },
            )
        ],
    ),
    # Whoever recorded it (the head teacher here), the class's head teacher, the office.
    "moral_ed:event_void": action(
        only(302, HEADS, OFFICE, b_admin=404),
        obj="event",
        body={"reason": "测试"},
        reach=[
            reach(
                "event",
                {
                    (LOGIN, LOGIN, LOGIN): ("anonymous",),
                    (403, 403, 403): ("student", "guardian", "other_guardian", "b_guardian"),
                    (302, 404, 404): ("head_teacher",),
                    (404, 302, 404): ("other_head_teacher",),
                    (403, 404, 404): ("subject_teacher",),
                    (403, 403, 404): ("counsellor", "principal"),
                    (302, 302, 404): ("office",),
                    (404, 404, 302): ("b_office",),
                },
                post={"reason": "测试"},
                htmx=True,
            )
        ],
    ),
    "moral_ed:review_queue": page(
        HEAD_OF_OWN_CLASS,
        obj="school_class",
        reach=[
            reach(
                "school_class",
                {
                    (LOGIN, LOGIN, LOGIN): ("anonymous",),
                    (403, 403, 403): ("student", "guardian", "other_guardian", "b_guardian"),
                    (200, 404, 404): ("head_teacher",),
                    (404, 200, 404): ("other_head_teacher",),
                    (403, 404, 404): ("subject_teacher",),
                    (403, 403, 404): ("counsellor", "office", "principal"),
                    (404, 404, 403): ("b_office",),
                },
            )
        ],
    ),
    "moral_ed:review_action": action(
        HEAD_ACTION,
        obj="school_class",
        body=lambda o, w: {"action": "release", "events": [o.event.pk]},
        reach=[
            reach(
                "school_class",
                {
                    (LOGIN, LOGIN, LOGIN): ("anonymous",),
                    (403, 403, 403): ("student", "guardian", "other_guardian", "b_guardian"),
                    (302, 404, 404): ("head_teacher",),
                    (404, 302, 404): ("other_head_teacher",),
                    (403, 404, 404): ("subject_teacher",),
                    (403, 403, 404): ("counsellor", "office", "principal"),
                    (404, 404, 403): ("b_office",),
                },
                post=lambda o, w: {"action": "release", "events": [o.event.pk]},
                htmx=True,
            )
        ],
    ),
    "moral_ed:class_groups": page(
        RECORDER_PAGE,
        obj="school_class",
        reach=[
            reach(
                "school_class",
                {
                    (LOGIN, LOGIN, LOGIN): ("anonymous",),
                    (403, 403, 403): ("student", "guardian", "other_guardian", "b_guardian"),
                    (200, 404, 404): ("head_teacher", "subject_teacher"),
                    (404, 200, 404): ("other_head_teacher",),
                    (403, 403, 404): ("counsellor", "principal"),
                    (200, 200, 404): ("office",),
                    (404, 404, 200): ("b_office",),
                },
            )
        ],
    ),
    "moral_ed:group_create": page(
        HEAD_OF_OWN_CLASS,
        obj="school_class",
        reach=[
            reach(
                "school_class",
                {
                    (LOGIN, LOGIN, LOGIN): ("anonymous",),
                    (403, 403, 403): ("student", "guardian", "other_guardian", "b_guardian"),
                    (200, 404, 404): ("head_teacher",),
                    (404, 200, 404): ("other_head_teacher",),
                    (403, 404, 404): ("subject_teacher",),
                    (403, 403, 404): ("counsellor", "office", "principal"),
                    (404, 404, 403): ("b_office",),
                },
            )
        ],
    ),
    "moral_ed:group_edit": page(
        HEAD_OF_OWN_CLASS,
        obj="group",
        reach=[
            reach(
                "group",
                {
                    (LOGIN, LOGIN, LOGIN): ("anonymous",),
                    (403, 403, 403): ("student", "guardian", "other_guardian", "b_guardian"),
                    (200, 404, 404): ("head_teacher",),
                    (404, 200, 404): ("other_head_teacher",),
                    (403, 404, 404): ("subject_teacher",),
                    (403, 403, 404): ("counsellor", "office", "principal"),
                    (404, 404, 403): ("b_office",),
                },
            )
        ],
    ),
    "moral_ed:group_points": action(
        HEAD_ACTION,
        obj="group",
        body=lambda o, w: {"item": o.item.pk},
        reach=[
            reach(
                "group",
                {
                    (LOGIN, LOGIN, LOGIN): ("anonymous",),
                    (403, 403, 403): ("student", "guardian", "other_guardian", "b_guardian"),
                    (302, 404, 404): ("head_teacher",),
                    (404, 302, 404): ("other_head_teacher",),
                    (403, 404, 404): ("subject_teacher",),
                    (403, 403, 404): ("counsellor", "office", "principal"),
                    (404, 404, 403): ("b_office",),
                },
                post=lambda o, w: {"item": o.item.pk},
                htmx=True,
            )
        ],
    ),
    "moral_ed:class_ranking": page(
        STAFF_OF_A,
        obj="school_class",
        reach=[
            reach(
                "school_class",
                {
                    (LOGIN, LOGIN, LOGIN): ("anonymous",),
                    (403, 403, 403): ("student", "guardian", "other_guardian", "b_guardian"),
                    (200, 404, 404): ("head_teacher", "subject_teacher"),
                    (404, 200, 404): ("other_head_teacher",),
                    (200, 200, 404): ("counsellor", "office", "principal"),
                    (404, 404, 200): ("b_office",),
                },
            )
        ],
    ),
    "moral_ed:class_bank": page(
        RECORDER_PAGE,
        obj="school_class",
        reach=[
            reach(
                "school_class",
                {
                    (LOGIN, LOGIN, LOGIN): ("anonymous",),
                    (403, 403, 403): ("student", "guardian", "other_guardian", "b_guardian"),
                    (200, 404, 404): ("head_teacher", "subject_teacher"),
                    (404, 200, 404): ("other_head_teacher",),
                    (403, 403, 404): ("counsellor", "principal"),
                    (200, 200, 404): ("office",),
                    (404, 404, 200): ("b_office",),
                },
            )
        ],
    ),
    "moral_ed:reward_add": action(
        HEAD_ACTION,
        obj="school_class",
        body={"name": "测试", "cost": "1"},
        reach=[
            reach(
                "school_class",
                {
                    (LOGIN, LOGIN, LOGIN): ("anonymous",),
                    (403, 403, 403): ("student", "guardian", "other_guardian", "b_guardian"),
                    (302, 404, 404): ("head_teacher",),
                    (404, 302, 404): ("other_head_teacher",),
                    (403, 404, 404): ("subject_teacher",),
                    (403, 403, 404): ("counsellor", "office", "principal"),
                    (404, 404, 403): ("b_office",),
                },
                post={"name": "测试", "cost": "1"},
                htmx=True,
            )
        ],
    ),
    "moral_ed:reward_switch": action(
        HEAD_ACTION,
        obj="school_class",
        body={"reward": "0"},
        reach=[
            reach(
                "school_class",
                {
                    (LOGIN, LOGIN, LOGIN): ("anonymous",),
                    (403, 403, 403): ("student", "guardian", "other_guardian", "b_guardian"),
                    (302, 404, 404): ("head_teacher",),
                    (404, 302, 404): ("other_head_teacher",),
                    (403, 404, 404): ("subject_teacher",),
                    (403, 403, 404): ("counsellor", "office", "principal"),
                    (404, 404, 403): ("b_office",),
                },
                post={"reward": "0"},
                htmx=True,
            )
        ],
    ),
    "moral_ed:bank_redeem": action(
        HEAD_ACTION,
        obj="school_class",
        body={"student": "0", "reward": "0"},
        reach=[
            reach(
                "school_class",
                {
                    (LOGIN, LOGIN, LOGIN): ("anonymous",),
                    (403, 403, 403): ("student", "guardian", "other_guardian", "b_guardian"),
                    (302, 404, 404): ("head_teacher",),
                    (404, 302, 404): ("other_head_teacher",),
                    (403, 404, 404): ("subject_teacher",),
                    (403, 403, 404): ("counsellor", "office", "principal"),
                    (404, 404, 403): ("b_office",),
                },
                post={"student": "0", "reward": "0"},
                htmx=True,
            )
        ],
    ),
    "moral_ed:redemption_void": action(
        HEAD_ACTION,
        obj="school_class",
        body={"redemption": "0", "reason": "测试"},
        reach=[
            reach(
                "school_class",
                {
                    (LOGIN, LOGIN, LOGIN): ("anonymous",),
                    (403, 403, 403): ("student", "guardian", "other_guardian", "b_guardian"),
                    (302, 404, 404): ("head_teacher",),
                    (404, 302, 404): ("other_head_teacher",),
                    (403, 404, 404): ("subject_teacher",),
                    (403, 403, 404): ("counsellor", "office", "principal"),
                    (404, 404, 403): ("b_office",),
                },
                post={"redemption": "0", "reason": "测试"},
                htmx=True,
            )
        ],
    ),
    "moral_ed:class_stars": page(
        HEAD_OF_OWN_CLASS,
        obj="school_class",
        reach=[
            reach(
                "school_class",
                {
                    (LOGIN, LOGIN, LOGIN): ("anonymous",),
                    (403, 403, 403): ("student", "guardian", "other_guardian", "b_guardian"),
                    (200, 404, 404): ("head_teacher",),
                    (404, 200, 404): ("other_head_teacher",),
                    (403, 404, 404): ("subject_teacher",),
                    (403, 403, 404): ("counsellor", "office", "principal"),
                    (404, 404, 403): ("b_office",),
                },
            )
        ],
    ),
    "moral_ed:star_queue": page(OFFICE_ONLY),
    "moral_ed:star_decide": action(
        only(302, OFFICE),
        obj="star",
        body={"decision": "reject"},
        reach=[
            reach(
                "star",
                {
                    (LOGIN, LOGIN, LOGIN): ("anonymous",),
                    (403, 403, 403): (
                        "student",
                        "guardian",
                        "other_guardian",
                        "head_teacher",
                        "other_head_teacher",
                        "subject_teacher",
                        "counsellor",
                        "principal",
                        "b_guardian",
                    ),
                    (302, 302, 404): ("office",),
                    (404, 404, 302): ("b_office",),
                },
                post={"decision": "confirm"},
                htmx=True,
            )
        ],
    ),
    # --- Portal ---------------------------------------------------------------------------------
    "home_school:portal_home": page(only(302, PORTAL)),  # straight to the one child
    "home_school:portal_child": page(
        PORTAL_PAGE,
        obj="student",
        reach=[
            reach(
                "student",
                {
                    (LOGIN, LOGIN, LOGIN): ("anonymous",),
                    (200, 404, 404): ("student", "guardian"),
                    (404, 200, 404): ("other_guardian",),
                    (403, 403, 403): (
                        "head_teacher",
                        "other_head_teacher",
                        "subject_teacher",
                        "counsellor",
                        "office",
                        "principal",
                        "b_office",
                    ),
                    (404, 404, 200): ("b_guardian",),
                },
            )
        ],
    ),
    # --- Messaging: members only; a member is sent to the page of their side ---------------------
    "home_school:conversation_list": page(only(200, TEACHERS), also_get=dict(b_office=403, b_guardian=403)),
    # The head teacher has a conversation already (sent to it); the maths teacher starts one.
    "home_school:conversation_start": form(
        only(302, HEADS, subject_teacher=200, b_admin=404),
        only(302, TEACHERS, b_admin=404),
        obj="student",
        body={"body": "测试"},
        reach=[
            reach(
                "student",
                {
                    (LOGIN, LOGIN, LOGIN): ("anonymous",),
                    (403, 403, 403): ("student", "guardian", "other_guardian", "b_guardian"),
                    (302, 404, 404): ("head_teacher",),
                    (404, 302, 404): ("other_head_teacher",),
                    (200, 404, 404): ("subject_teacher",),
                    (403, 403, 404): ("counsellor", "office", "principal"),
                    (404, 404, 403): ("b_office",),
                },
            )
        ],
    ),
    "home_school:office_hours": page(only(200, TEACHERS), also_get=dict(b_office=403, b_guardian=403)),
    "home_school:conversation_detail": form(
        only(200, HEADS, others=404, guardian=302, other_guardian=302),
        only(302, HEADS, GUARDIANS, others=404),
        obj="conversation",
        body={"body": "测试"},
        reach=[
            reach(
                "conversation",
                {
                    (LOGIN, LOGIN, LOGIN): ("anonymous",),
                    (404, 404, 404): ("student", "subject_teacher", "counsellor", "office", "principal", "b_office"),
                    (302, 404, 404): ("guardian",),
                    (404, 302, 404): ("other_guardian",),
                    (200, 404, 404): ("head_teacher",),
                    (404, 200, 404): ("other_head_teacher",),
                    (404, 404, 302): ("b_guardian",),
                },
            )
        ],
    ),
    "home_school:attachment_download": page(
        only(200, HEADS, GUARDIANS, others=404),
        obj="attachment",
        reach=[
            reach(
                "attachment",
                {
                    (LOGIN, LOGIN, LOGIN): ("anonymous",),
                    (404, 404, 404): ("student", "subject_teacher", "counsellor", "office", "principal", "b_office"),
                    (200, 404, 404): ("guardian", "head_teacher"),
                    (404, 200, 404): ("other_guardian", "other_head_teacher"),
                    (404, 404, 200): ("b_guardian",),
                },
            )
        ],
    ),
    "home_school:portal_messages": page(GUARDIAN_PORTAL, also_get=dict(b_office=403, b_guardian=200)),
    "home_school:portal_conversation_start": page(
        only(302, GUARDIANS),
        obj="student",
        body={"body": "测试"},
        reach=[
            reach(
                "student",
                {
                    (LOGIN, LOGIN, LOGIN): ("anonymous",),
                    (403, 403, 403): (
                        "student",
                        "head_teacher",
                        "other_head_teacher",
                        "subject_teacher",
                        "counsellor",
                        "office",
                        "principal",
                        "b_office",
                    ),
                    (302, 404, 404): ("guardian",),
                    (404, 302, 404): ("other_guardian",),
                    (404, 404, 302): ("b_guardian",),
                },
            )
        ],
    ),
    "home_school:portal_conversation": form(
        only(200, GUARDIANS, others=404, head_teacher=302, other_head_teacher=302),
        only(302, HEADS, GUARDIANS, others=404),
        obj="conversation",
        body={"body": "测试"},
        reach=[
            reach(
                "conversation",
                {
                    (LOGIN, LOGIN, LOGIN): ("anonymous",),
                    (404, 404, 404): ("student", "subject_teacher", "counsellor", "office", "principal", "b_office"),
                    (200, 404, 404): ("guardian",),
                    (404, 200, 404): ("other_guardian",),
                    (302, 404, 404): ("head_teacher",),
                    (404, 302, 404): ("other_head_teacher",),
                    (404, 404, 200): ("b_guardian",),
                },
            )
        ],
    ),
    # --- Notices: head teachers and the office write; the author sends ---------------------------
    "home_school:notice_list": page(HEAD_OR_OFFICE, also_get=dict(b_office=200, b_guardian=403)),
    "home_school:notice_create": page(HEAD_OR_OFFICE, also_get=dict(b_office=200, b_guardian=403)),
    "home_school:notice_detail": page(
        HEAD_OR_OFFICE,
        obj="notice",
        reach=[
            reach(
                "notice",
                {
                    (LOGIN, LOGIN, LOGIN): ("anonymous",),
                    (403, 403, 403): ("student", "guardian", "other_guardian", "subject_teacher", "b_guardian"),
                    (200, 404, 404): ("head_teacher",),
                    (404, 200, 404): ("other_head_teacher",),
                    (200, 200, 404): ("office",),
                    (404, 404, 200): ("b_office",),
                },
            )
        ],
    ),
    "home_school:notice_export": page(
        HEAD_OR_OFFICE,
        obj="notice",
        reach=[
            reach(
                "notice",
                {
                    (LOGIN, LOGIN, LOGIN): ("anonymous",),
                    (403, 403, 403): ("student", "guardian", "other_guardian", "subject_teacher", "b_guardian"),
                    (200, 404, 404): ("head_teacher",),
                    (404, 200, 404): ("other_head_teacher",),
                    (200, 200, 404): ("office",),
                    (404, 404, 200): ("b_office",),
                },
            )
        ],
    ),
    "home_school:notice_send": action(
        only(302, HEADS),
        obj="notice",
        reach=[
            reach(
                "notice_draft",
                {
                    (LOGIN, LOGIN, LOGIN): ("anonymous",),
                    (403, 403, 403): ("student", "guardian", "other_guardian", "subject_teacher", "b_guardian"),
                    (302, 404, 404): ("head_teacher",),
                    (404, 302, 404): ("other_head_teacher",),
                    (403, 403, 404): ("office",),
                    (404, 404, 403): ("b_office",),
                },
                post={},
            )
        ],
    ),
    "home_school:notice_cancel": action(
        only(302, HEADS, OFFICE),
        obj="notice",
        reach=[
            reach(
                "notice_scheduled",
                {
                    (LOGIN, LOGIN, LOGIN): ("anonymous",),
                    (403, 403, 403): ("student", "guardian", "other_guardian", "subject_teacher", "b_guardian"),
                    (302, 404, 404): ("head_teacher",),
                    (404, 302, 404): ("other_head_teacher",),
                    (302, 302, 404): ("office",),
                    (404, 404, 302): ("b_office",),
                },
                post={},
            )
        ],
    ),
    "home_school:portal_notices": page(GUARDIAN_PORTAL, also_get=dict(b_office=403, b_guardian=200)),
    "home_school:portal_notice": form(
        GUARDIAN_PORTAL,
        only(302, GUARDIANS),
        obj="notice",
        body=lambda o, w: {"student": o.student.pk, "action": "reply", "choice": "0"},
        reach=[
            reach(
                "notice",
                {
                    (LOGIN, LOGIN, LOGIN): ("anonymous",),
                    (403, 403, 403): ("student", "head_teacher", "other_head_teacher", "subject_teacher", "office", "b_office"),
                    (200, 404, 404): ("guardian",),
                    (404, 200, 404): ("other_guardian",),
                    (404, 404, 200): ("b_guardian",),
                },
            )
        ],
    ),
    # --- Parent meetings ---------------------------------------------------------------------------
    "home_school:meeting_list": page(STAFF_LIST, also_get=dict(b_office=200)),
    "home_school:meeting_create": page(only(200, HEADS, OFFICE, b_admin=200), also_get=dict(b_office=200)),
    "home_school:meeting_detail": page(
        STAFF_OF_A,
        obj="meeting",
        reach=[
            reach(
                "meeting",
                {
                    (LOGIN, LOGIN, LOGIN): ("anonymous",),
                    (403, 403, 403): ("student", "guardian", "other_guardian"),
                    (200, 404, 404): ("head_teacher", "subject_teacher"),
                    (404, 200, 404): ("other_head_teacher",),
                    (200, 200, 404): ("office",),
                    (404, 404, 200): ("b_office",),
                },
            )
        ],
    ),
    "home_school:meeting_agenda_add": action(
        only(302, HEADS, OFFICE, b_admin=404),
        obj="meeting",
        body={"title": "测试"},
        reach=[
            reach(
                "meeting",
                {
                    (LOGIN, LOGIN, LOGIN): ("anonymous",),
                    (403, 403, 403): ("student", "guardian", "other_guardian"),
                    (302, 404, 404): ("head_teacher",),
                    (404, 302, 404): ("other_head_teacher",),
                    (403, 404, 404): ("subject_teacher",),
                    (302, 302, 404): ("office",),
                    (404, 404, 302): ("b_office",),
                },
                post={"title": "安全教育"},
            )
        ],
    ),
    "home_school:meeting_attendance": page(
        only(200, HEADS, OFFICE, b_admin=404),
        obj="meeting",
        reach=[
            reach(
                "meeting",
                {
                    (LOGIN, LOGIN, LOGIN): ("anonymous",),
                    (403, 403, 403): ("student", "guardian", "other_guardian"),
                    (200, 404, 404): ("head_teacher",),
                    (404, 200, 404): ("other_head_teacher",),
                    (403, 404, 404): ("subject_teacher",),
                    (200, 200, 404): ("office",),
                    (404, 404, 200): ("b_office",),
                },
            )
        ],
    ),
    "home_school:meeting_attendance_mark": action(
        only(200, HEADS, OFFICE, b_admin=404),
        obj="meeting",
        htmx=True,
        body=lambda o, w: {"student": o.student.pk, "present": "on"},
        reach=[
            reach(
                "meeting",
                {
                    (LOGIN, LOGIN, LOGIN): ("anonymous",),
                    (403, 403, 403): ("student", "guardian", "other_guardian"),
                    (200, 404, 404): ("head_teacher",),
                    (404, 200, 404): ("other_head_teacher",),
                    (403, 404, 404): ("subject_teacher",),
                    (200, 200, 404): ("office",),
                    (404, 404, 200): ("b_office",),
                },
                post=lambda o, w: {"student": o.student.pk, "present": "true"},
                htmx=True,
            )
        ],
    ),
    "home_school:meeting_minutes": action(
        only(302, HEADS, OFFICE, b_admin=404),
        obj="meeting",
        body={"minutes": "测试"},
        reach=[
            reach(
                "meeting",
                {
                    (LOGIN, LOGIN, LOGIN): ("anonymous",),
                    (403, 403, 403): ("student", "guardian", "other_guardian"),
                    (302, 404, 404): ("head_teacher",),
                    (404, 302, 404): ("other_head_teacher",),
                    (403, 404, 404): ("subject_teacher",),
                    (302, 302, 404): ("office",),
                    (404, 404, 302): ("b_office",),
                },
                post={"minutes": "纪要"},
            )
        ],
    ),
    "home_school:meeting_followup_add": action(
        only(302, HEADS, OFFICE, b_admin=404),
        obj="meeting",
        body={"text": "测试", "due_on": "2026-12-01"},
        reach=[
            reach(
                "meeting",
                {
                    (LOGIN, LOGIN, LOGIN): ("anonymous",),
                    (403, 403, 403): ("student", "guardian", "other_guardian"),
                    (302, 404, 404): ("head_teacher",),
                    (404, 302, 404): ("other_head_teacher",),
                    (403, 404, 404): ("subject_teacher",),
                    (302, 302, 404): ("office",),
                    (404, 404, 302): ("b_office",),
                },
                post=lambda o, w: {"text": "跟进", "owner": o.meeting.created_by_id, "due_on": "2026-12-05"},
            )
        ],
    ),
    "home_school:meeting_proposal_decide": action(
        only(302, HEADS, OFFICE, b_admin=404),
        obj="proposal",
        body={"decision": "decline"},
        reach=[
            reach(
                "proposal",
                {
                    (LOGIN, LOGIN, LOGIN): ("anonymous",),
                    (403, 403, 403): ("student", "guardian", "other_guardian"),
                    (302, 404, 404): ("head_teacher",),
                    (404, 302, 404): ("other_head_teacher",),
                    (403, 404, 404): ("subject_teacher",),
                    (302, 302, 404): ("office",),
                    (404, 404, 302): ("b_office",),
                },
                post={"decision": "accept"},
            )
        ],
    ),
    "home_school:meeting_followup_done": action(
        only(302, HEADS, OFFICE, b_admin=404),
        obj="follow_up",
        body={"done": "on"},
        reach=[
            reach(
                "follow_up",
                {
                    (LOGIN, LOGIN, LOGIN): ("anonymous",),
                    (403, 403, 403): ("student", "guardian", "other_guardian"),
                    (302, 404, 404): ("head_teacher",),
                    (404, 302, 404): ("other_head_teacher",),
                    (403, 404, 404): ("subject_teacher",),
                    (302, 302, 404): ("office",),
                    (404, 404, 302): ("b_office",),
                },
                post={"done": "on"},
            )
        ],
    ),
    "home_school:portal_meetings": page(GUARDIAN_PORTAL, also_get=dict(b_office=403)),
    "home_school:portal_meeting": page(
        GUARDIAN_PORTAL,
        obj="meeting",
        reach=[
            reach(
                "meeting",
                {
                    (LOGIN, LOGIN, LOGIN): ("anonymous",),
                    (403, 403, 403): ("student", "head_teacher", "other_head_teacher", "subject_teacher", "office", "b_office"),
                    (200, 404, 404): ("guardian",),
                    (404, 200, 404): ("other_guardian",),
                },
            )
        ],
    ),
    "home_school:portal_meeting_reply": action(
        only(302, GUARDIANS),
        obj="meeting",
        body=lambda o, w: {"student": o.student.pk, "answer": "decline"},
        reach=[
            reach(
                "meeting",
                {
                    (LOGIN, LOGIN, LOGIN): ("anonymous",),
                    (403, 403, 403): ("student", "head_teacher", "other_head_teacher", "subject_teacher", "office", "b_office"),
                    (302, 404, 404): ("guardian",),
                    (404, 302, 404): ("other_guardian",),
                },
                post=lambda o, w: {"student": o.student.pk, "answer": "attend"},
            )
        ],
    ),
    "home_school:portal_meeting_propose": action(
        only(302, GUARDIANS),
        obj="meeting",
        body=lambda o, w: {"student": o.student.pk, "topic": "测试"},
        reach=[
            reach(
                "meeting",
                {
                    (LOGIN, LOGIN, LOGIN): ("anonymous",),
                    (403, 403, 403): ("student", "head_teacher", "other_head_teacher", "subject_teacher", "office", "b_office"),
                    (302, 404, 404): ("guardian",),
                    (404, 302, 404): ("other_guardian",),
                },
                post=lambda o, w: {"student": o.student.pk, "topic": "作业量"},
            )
        ],
    ),
    # --- Home visits: the teacher records; supervisor (the principal here), office, principal read ---
    "home_school:visit_list": page(STAFF_LIST, also_get=dict(b_office=200)),
    "home_school:visit_plan": page(only(200, TEACHERS, OFFICE, b_admin=200), also_get=dict(b_office=200)),
    "home_school:visit_record": form(
        only(200, HEADS, OFFICE, principal=200, subject_teacher=404, counsellor=404, b_admin=404),
        only(200, HEADS, subject_teacher=404, counsellor=404, b_admin=404),  # only its teacher records
        obj="visit",
        # 赵老师 teaches in 六(1) but does not supervise 王老师 (the principal does): 404. A supervisor
        # reads and does not record or cancel: test_reach_details.py::test_a_supervisor_reads_a_visit_but_does_not_record_or_cancel_it.
        reach=[
            reach(
                "visit",
                {
                    (LOGIN, LOGIN, LOGIN): ("anonymous",),
                    (403, 403, 403): ("student", "guardian", "other_guardian"),
                    (200, 404, 404): ("head_teacher",),
                    (404, 404, 404): ("subject_teacher",),
                    (404, 200, 404): ("other_head_teacher",),
                    (200, 200, 404): ("office",),
                    (404, 404, 200): ("b_office",),
                },
            ),
            reach(
                "visit",
                {
                    (LOGIN, LOGIN, LOGIN): ("anonymous",),
                    (403, 403, 403): ("student", "guardian", "other_guardian"),
                    (302, 404, 404): ("head_teacher",),
                    (404, 302, 404): ("other_head_teacher",),
                    (404, 404, 404): ("subject_teacher",),  # not the supervisor (see visit_record)
                    (403, 403, 404): ("office",),
                    (404, 404, 403): ("b_office",),
                },
                post={"done_on": "2026-11-20", "method": "visit", "family_situation": "好", "discussed": "学习"},
            ),
        ],
    ),
    "home_school:visit_cancel": action(
        only(302, HEADS, OFFICE, subject_teacher=404, counsellor=404, b_admin=404),
        obj="visit",
        reach=[
            reach(
                "visit",
                {
                    (LOGIN, LOGIN, LOGIN): ("anonymous",),
                    (403, 403, 403): ("student", "guardian", "other_guardian"),
                    (302, 404, 404): ("head_teacher",),
                    (404, 302, 404): ("other_head_teacher",),
                    (404, 404, 404): ("subject_teacher",),  # not the supervisor (see visit_record)
                    (302, 302, 404): ("office",),
                    (404, 404, 302): ("b_office",),
                },
                post={},
            )
        ],
    ),
    "home_school:visit_supervisors": page(only(200, OFFICE, b_admin=200), also_get=dict(b_office=200)),
    "home_school:visit_supervisor_remove": action(
        only(302, OFFICE, b_admin=404),
        obj="supervision",
        reach=[
            reach(
                "supervision",
                {
                    (LOGIN, LOGIN, LOGIN): ("anonymous",),
                    (403, 403, 403): (
                        "student",
                        "guardian",
                        "other_guardian",
                        "head_teacher",
                        "other_head_teacher",
                        "subject_teacher",
                    ),
                    (302, 302, 404): ("office",),
                    (404, 404, 302): ("b_office",),
                },
                post={},
            )
        ],
    ),
    "home_school:portal_visits": page(GUARDIAN_PORTAL, also_get=dict(b_office=403)),
    # --- Parent committee ----------------------------------------------------------------------------
    "home_school:committee_list": page(STAFF_LIST),
    "home_school:committee_set_up": action(
        only(302, HEADS, OFFICE, b_admin=404), body=lambda o, w: {"school_class": o.school_class.pk}
    ),
    "home_school:committee_detail": page(
        CLASS_READERS,
        obj="committee",
        reach=[
            reach(
                "committee",
                {
                    (LOGIN, LOGIN, LOGIN): ("anonymous",),
                    (403, 403, 403): ("student", "guardian", "other_guardian", "b_guardian"),
                    (200, 404, 404): ("head_teacher",),
                    (404, 200, 404): ("other_head_teacher",),
                    (404, 404, 404): ("subject_teacher",),
                    (200, 200, 404): ("office",),
                    (404, 404, 200): ("b_office",),
                },
            ),
            reach(
                "school_committee",
                {
                    (LOGIN, None, LOGIN): ("anonymous",),
                    (403, None, 403): ("student", "guardian", "other_guardian", "b_guardian"),
                    (200, None, 404): ("head_teacher", "other_head_teacher", "subject_teacher", "office"),
                    (404, None, 200): ("b_office",),
                },
            ),
        ],
    ),
    "home_school:committee_member_add": action(
        CLASS_MANAGERS_ACTION,
        obj="committee",
        body={"guardian": "0", "role": "member", "start_date": "2026-11-20"},
        reach=[
            reach(
                "committee",
                {
                    (LOGIN, LOGIN, LOGIN): ("anonymous",),
                    (403, 403, 403): ("student", "guardian", "other_guardian", "b_guardian"),
                    (302, 404, 404): ("head_teacher",),
                    (404, 302, 404): ("other_head_teacher",),
                    (404, 404, 404): ("subject_teacher",),
                    (302, 302, 404): ("office",),
                    (404, 404, 302): ("b_office",),
                },
                post={"guardian": "0", "role": "member", "start_date": "2026-11-20"},
            ),
            reach(
                "school_committee",
                {
                    (LOGIN, None, LOGIN): ("anonymous",),
                    (403, None, 403): ("student", "guardian", "other_guardian", "b_guardian"),
                    (403, None, 404): ("head_teacher", "other_head_teacher", "subject_teacher"),
                    (302, None, 404): ("office",),
                    (404, None, 302): ("b_office",),
                },
                post={"mobile": "13900000002", "role": "member", "start_date": "2026-11-20"},
            ),
        ],
    ),
    "home_school:committee_member_end": action(
        CLASS_MANAGERS_ACTION,
        obj="member",
        body={"end_date": "2026-11-20"},
        reach=[
            reach(
                "member",
                {
                    (LOGIN, LOGIN, LOGIN): ("anonymous",),
                    (403, 403, 403): ("student", "guardian", "other_guardian", "b_guardian"),
                    (302, 404, 404): ("head_teacher",),
                    (404, 302, 404): ("other_head_teacher",),
                    (404, 404, 404): ("subject_teacher",),
                    (302, 302, 404): ("office",),
                    (404, 404, 302): ("b_office",),
                },
                post={"end_date": "2026-11-20"},
            )
        ],
    ),
    "home_school:committee_meeting_new": page(
        CLASS_MANAGERS_FORM,
        obj="committee",
        reach=[
            reach(
                "committee",
                {
                    (LOGIN, LOGIN, LOGIN): ("anonymous",),
                    (403, 403, 403): ("student", "guardian", "other_guardian", "b_guardian"),
                    (200, 404, 404): ("head_teacher",),
                    (404, 200, 404): ("other_head_teacher",),
                    (404, 404, 404): ("subject_teacher",),
                    (200, 200, 404): ("office",),
                    (404, 404, 200): ("b_office",),
                },
            ),
            reach(
                "school_committee",
                {
                    (LOGIN, None, LOGIN): ("anonymous",),
                    (403, None, 403): ("student", "guardian", "other_guardian", "b_guardian"),
                    (403, None, 404): ("head_teacher", "other_head_teacher", "subject_teacher"),
                    (200, None, 404): ("office",),
                    (404, None, 200): ("b_office",),
                },
            ),
        ],
    ),
    "home_school:committee_meeting_detail": page(
        CLASS_READERS,
        obj="committee_meeting",
        reach=[
            reach(
                "committee_meeting",
                {
                    (LOGIN, LOGIN, LOGIN): ("anonymous",),
                    (403, 403, 403): ("student", "guardian", "other_guardian", "b_guardian"),
                    (200, 404, 404): ("head_teacher",),
                    (404, 200, 404): ("other_head_teacher",),
                    (404, 404, 404): ("subject_teacher",),
                    (200, 200, 404): ("office",),
                    (404, 404, 200): ("b_office",),
                },
            )
        ],
    ),
    "home_school:committee_meeting_edit": page(
        CLASS_MANAGERS_FORM,
        obj="committee_meeting",
        reach=[
            reach(
                "committee_meeting",
                {
                    (LOGIN, LOGIN, LOGIN): ("anonymous",),
                    (403, 403, 403): ("student", "guardian", "other_guardian", "b_guardian"),
                    (200, 404, 404): ("head_teacher",),
                    (404, 200, 404): ("other_head_teacher",),
                    (404, 404, 404): ("subject_teacher",),
                    (200, 200, 404): ("office",),
                    (404, 404, 200): ("b_office",),
                },
            )
        ],
    ),
    "home_school:portal_committee_list": page(GUARDIAN_PORTAL),
    "home_school:portal_committee_detail": page(
        GUARDIAN_PORTAL,
        obj="committee",
        reach=[
            reach(
                "committee",
                {
                    (LOGIN, LOGIN, LOGIN): ("anonymous",),
                    (403, 403, 403): ("student", "head_teacher", "other_head_teacher", "subject_teacher", "office", "b_office"),
                    (200, 404, 404): ("guardian",),
                    (404, 200, 404): ("other_guardian",),
                    (404, 404, 200): ("b_guardian",),
                },
            ),
            reach(
                "school_committee",
                {
                    (LOGIN, None, LOGIN): ("anonymous",),
                    (403, None, 403): ("student", "head_teacher", "other_head_teacher", "subject_teacher", "office", "b_office"),
                    (200, None, 404): ("guardian", "other_guardian"),
                    (404, None, 200): ("b_guardian",),
                },
            ),
        ],
    ),
    # --- Volunteering -----------------------------------------------------------------------------------
    "home_school:volunteer_list": page(STAFF_LIST),
    "home_school:volunteer_new": page(only(200, HEADS, OFFICE, b_admin=200)),
    "home_school:volunteer_detail": page(
        CLASS_READERS,
        obj="activity",
        reach=[
            reach(
                "activity",
                {
                    (LOGIN, LOGIN, LOGIN): ("anonymous",),
                    (403, 403, 403): ("student", "guardian", "other_guardian", "b_guardian"),
                    (200, 404, 404): ("head_teacher",),
                    (404, 200, 404): ("other_head_teacher",),
                    (404, 404, 404): ("subject_teacher",),
                    (200, 200, 404): ("office",),
                    (404, 404, 200): ("b_office",),
                },
            ),
            reach(
                "school_activity",
                {
                    (LOGIN, None, LOGIN): ("anonymous",),
                    (403, None, 403): ("student", "guardian", "other_guardian", "b_guardian"),
                    (200, None, 404): ("head_teacher", "other_head_teacher", "subject_teacher", "office"),
                    (404, None, 200): ("b_office",),
                },
            ),
        ],
    ),
    "home_school:volunteer_done": action(
        CLASS_MANAGERS_ACTION,
        obj="activity",
        body={"signups": "0"},
        reach=[
            reach(
                "activity",
                {
                    (LOGIN, LOGIN, LOGIN): ("anonymous",),
                    (403, 403, 403): ("student", "guardian", "other_guardian", "b_guardian"),
                    (302, 404, 404): ("head_teacher",),
                    (404, 302, 404): ("other_head_teacher",),
                    (404, 404, 404): ("subject_teacher",),
                    (302, 302, 404): ("office",),
                    (404, 404, 302): ("b_office",),
                },
                post={"signups": "0"},
            ),
            reach(
                "school_activity",
                {
                    (LOGIN, None, LOGIN): ("anonymous",),
                    (403, None, 403): ("student", "guardian", "other_guardian", "b_guardian"),
                    (403, None, 404): ("head_teacher", "other_head_teacher", "subject_teacher"),
                    (302, None, 404): ("office",),
                    (404, None, 302): ("b_office",),
                },
                post={"signups": "0"},
            ),
        ],
    ),
    "home_school:volunteer_cancel": action(
        CLASS_MANAGERS_ACTION,
        obj="activity",
        reach=[
            reach(
                "activity",
                {
                    (LOGIN, LOGIN, LOGIN): ("anonymous",),
                    (403, 403, 403): ("student", "guardian", "other_guardian", "b_guardian"),
                    (302, 404, 404): ("head_teacher",),
                    (404, 302, 404): ("other_head_teacher",),
                    (404, 404, 404): ("subject_teacher",),
                    (302, 302, 404): ("office",),
                    (404, 404, 302): ("b_office",),
                },
                post={},
            ),
            reach(
                "school_activity",
                {
                    (LOGIN, None, LOGIN): ("anonymous",),
                    (403, None, 403): ("student", "guardian", "other_guardian", "b_guardian"),
                    (403, None, 404): ("head_teacher", "other_head_teacher", "subject_teacher"),
                    (302, None, 404): ("office",),
                    (404, None, 302): ("b_office",),
                },
                post={},
            ),
        ],
    ),
    "home_school:portal_volunteer_list": page(GUARDIAN_PORTAL),
    "home_school:portal_volunteer_detail": page(
        GUARDIAN_PORTAL,
        obj="activity",
        reach=[
            reach(
                "activity",
                {
                    (LOGIN, LOGIN, LOGIN): ("anonymous",),
                    (403, 403, 403): ("student", "head_teacher", "other_head_teacher", "subject_teacher", "office", "b_office"),
                    (200, 404, 404): ("guardian",),
                    (404, 200, 404): ("other_guardian",),
                    (404, 404, 200): ("b_guardian",),
                },
            ),
            reach(
                "school_activity",
                {
                    (LOGIN, None, LOGIN): ("anonymous",),
                    (403, None, 403): ("student", "head_teacher", "other_head_teacher", "subject_teacher", "office", "b_office"),
                    (200, None, 404): ("guardian", "other_guardian"),
                    (404, None, 200): ("b_guardian",),
                },
            ),
        ],
    ),
    "home_school:portal_volunteer_signup": action(
        only(302, GUARDIANS),
        obj="activity",
        reach=[
            reach(
                "activity",
                {
                    (LOGIN, LOGIN, LOGIN): ("anonymous",),
                    (403, 403, 403): ("student", "head_teacher", "other_head_teacher", "subject_teacher", "office", "b_office"),
                    (302, 404, 404): ("guardian",),
                    (404, 302, 404): ("other_guardian",),
                    (404, 404, 302): ("b_guardian",),
                },
                post={},
            ),
            reach(
                "school_activity",
                {
                    (LOGIN, None, LOGIN): ("anonymous",),
                    (403, None, 403): ("student", "head_teacher", "other_head_teacher", "subject_teacher", "office", "b_office"),
                    (302, None, 404): ("guardian", "other_guardian"),
                    (404, None, 302): ("b_guardian",),
                },
                post={},
            ),
        ],
    ),
    "home_school:portal_volunteer_withdraw": action(
        only(302, GUARDIANS),
        obj="activity",
        reach=[
            reach(
                "activity",
                {
                    (LOGIN, LOGIN, LOGIN): ("anonymous",),
                    (403, 403, 403): ("student", "head_teacher", "other_head_teacher", "subject_teacher", "office", "b_office"),
                    (302, 404, 404): ("guardian",),
                    (404, 302, 404): ("other_guardian",),
                    (404, 404, 302): ("b_guardian",),
                },
                post={},
            )
        ],
    ),
    # --- Participation (recognition list) -------------------------------------------------------------
    "home_school:participation_home": page(only(200, STAFF, head_teacher=302, other_head_teacher=302)),  # heads: to their class
    "home_school:participation_class": page(
        CLASS_READERS,
        obj="school_class",
        reach=[
            reach(
                "school_class",
                {
                    (LOGIN, LOGIN, LOGIN): ("anonymous",),
                    (403, 403, 403): ("student", "guardian", "other_guardian", "b_guardian"),
                    (200, 404, 404): ("head_teacher",),
                    (404, 200, 404): ("other_head_teacher",),
                    (404, 404, 404): ("subject_teacher",),
                    (200, 200, 404): ("office",),
                    (404, 404, 200): ("b_office",),
                },
            )
        ],
    ),
    # The principal reads the list but does not collect or void (read-only).
    "home_school:participation_refresh": action(
        CLASS_MANAGERS_ACTION,
        obj="school_class",
        body={"month": "2026-11"},
        reach=[
            reach(
                "school_class",
                {
                    (LOGIN, LOGIN, LOGIN): ("anonymous",),
                    (403, 403, 403): ("student", "guardian", "other_guardian", "b_guardian"),
                    (302, 404, 404): ("head_teacher",),
                    (404, 302, 404): ("other_head_teacher",),
                    (404, 404, 404): ("subject_teacher",),
                    (302, 302, 404): ("office",),
                    (404, 404, 302): ("b_office",),
                },
                post={"month": "2026-11"},
            )
        ],
    ),
    "home_school:participation_void": action(
        CLASS_MANAGERS_ACTION,
        obj="participation_event",
        body={"reason": "测试"},
        reach=[
            reach(
                "participation_event",
                {
                    (LOGIN, LOGIN, LOGIN): ("anonymous",),
                    (403, 403, 403): ("student", "guardian", "other_guardian", "b_guardian"),
                    (302, 404, 404): ("head_teacher",),
                    (404, 302, 404): ("other_head_teacher",),
                    (404, 404, 404): ("subject_teacher",),
                    (302, 302, 404): ("office",),
                    (404, 404, 302): ("b_office",),
                },
                post={"reason": "测试"},
            )
        ],
    ),
    # --- Suggestions ----------------------------------------------------------------------------------
    "home_school:suggestion_list": page(STAFF_LIST),
    "home_school:suggestion_detail": page(
        CLASS_READERS,
        obj="suggestion",
        reach=[
            reach(
                "suggestion",
                {
                    (LOGIN, LOGIN, LOGIN): ("anonymous",),
                    (403, 403, 403): ("student", "guardian", "other_guardian", "b_guardian"),
                    (200, 404, 404): ("head_teacher",),
                    (404, 200, 404): ("other_head_teacher",),
                    (404, 404, 404): ("subject_teacher",),
                    (200, 200, 404): ("office",),
                    (404, 404, 200): ("b_office",),
                },
            ),
            reach(
                "office_suggestion",
                {
                    (LOGIN, None, LOGIN): ("anonymous",),
                    (403, None, 403): ("student", "guardian", "other_guardian", "b_guardian"),
                    (404, None, 404): ("head_teacher", "other_head_teacher", "subject_teacher"),
                    (200, None, 404): ("office",),
                    (404, None, 200): ("b_office",),
                },
            ),
        ],
    ),
    # A suggestion to the head teacher: the office and the principal read it, the head teacher answers.
    "home_school:suggestion_reply": action(
        only(302, HEADS, subject_teacher=404, counsellor=404, b_admin=404),
        obj="suggestion",
        body={"body": "谢谢"},
        reach=[
            reach(
                "suggestion",
                {
                    (LOGIN, LOGIN, LOGIN): ("anonymous",),
                    (403, 403, 403): ("student", "guardian", "other_guardian", "b_guardian"),
                    (302, 404, 404): ("head_teacher",),
                    (404, 302, 404): ("other_head_teacher",),
                    (404, 404, 404): ("subject_teacher",),
                    (403, 403, 404): ("office",),
                    (404, 404, 403): ("b_office",),
                },
                post={"body": "谢谢您的建议"},
            ),
            reach(
                "office_suggestion",
                {
                    (LOGIN, None, LOGIN): ("anonymous",),
                    (403, None, 403): ("student", "guardian", "other_guardian", "b_guardian"),
                    (404, None, 404): ("head_teacher", "other_head_teacher", "subject_teacher"),
                    (302, None, 404): ("office",),
                    (404, None, 302): ("b_office",),
                },
                post={"body": "谢谢您的建议"},
            ),
        ],
    ),
    "home_school:portal_suggestion_list": page(GUARDIAN_PORTAL),
    "home_school:portal_suggestion_new": page(GUARDIAN_PORTAL),
    "home_school:portal_suggestion_code": page(GUARDIAN_PORTAL),
    "home_school:portal_suggestion_detail": page(
        GUARDIAN_PORTAL,
        obj="suggestion",
        reach=[
            reach(
                "suggestion",
                {
                    (LOGIN, LOGIN, LOGIN): ("anonymous",),
                    (403, 403, 403): ("student", "head_teacher", "other_head_teacher", "subject_teacher", "office", "b_office"),
                    (200, 404, 404): ("guardian",),
                    (404, 200, 404): ("other_guardian",),
                    (404, 404, 200): ("b_guardian",),
                },
            ),
            reach(
                "office_suggestion",
                {
                    (LOGIN, None, LOGIN): ("anonymous",),
                    (403, None, 403): ("student", "head_teacher", "other_head_teacher", "subject_teacher", "office", "b_office"),
                    (200, None, 404): ("guardian",),
                    (404, None, 404): ("other_guardian",),
                    (404, None, 200): ("b_guardian",),
                },
            ),
        ],
    ),
    # --- Parent school ----------------------------------------------------------------------------------
    "home_school:article_list": page(STAFF_LIST),
    "home_school:article_new": page(only(200, OFFICE, b_admin=200)),
    "home_school:article_detail": page(
        STAFF_OF_A,
        obj="article",
        reach=[
            reach(
                "article_or_draft",
                {
                    (LOGIN, LOGIN, LOGIN): ("anonymous",),
                    (403, 403, 403): ("student", "guardian", "other_guardian", "b_guardian"),
                    (200, 200, 404): ("head_teacher", "other_head_teacher", "subject_teacher", "office"),
                    (404, 404, 200): ("b_office",),
                },
            )
        ],
    ),
    "home_school:article_edit": page(
        only(200, OFFICE, b_admin=404),
        obj="article",
        reach=[
            reach(
                "article_or_draft",
                {
                    (LOGIN, LOGIN, LOGIN): ("anonymous",),
                    (403, 403, 403): ("student", "guardian", "other_guardian", "b_guardian"),
                    (403, 403, 404): ("head_teacher", "other_head_teacher", "subject_teacher"),
                    (200, 200, 404): ("office",),
                    (404, 404, 200): ("b_office",),
                },
            )
        ],
    ),
    "home_school:portal_article_list": page(GUARDIAN_PORTAL),
    "home_school:portal_article_detail": page(
        GUARDIAN_PORTAL,
        obj="article",
        reach=[
            reach(
                "article_or_draft",
                {
                    (LOGIN, LOGIN, LOGIN): ("anonymous",),
                    (403, 403, 403): ("student", "head_teacher", "other_head_teacher", "subject_teacher", "office", "b_office"),
                    (200, 404, 404): ("guardian", "other_guardian"),
                    (404, 404, 200): ("b_guardian",),
                },
            )
        ],
    ),
    # --- The moral-education office: inspections and vetoes ---------------------------------------
    # The duty student records inspections in any class and voids their own entry of the day.
    "moral_ed:inspection_grid": row(
        only(200, OFFICE, duty_student=200),
        only(405, LOGGED_IN),
        also_get=dict(school_admin=403, b_office=200, b_duty_student=200),
    ),
    "moral_ed:inspection_record": action(
        only(200, OFFICE, duty_student=200),
        obj="school_class",
        htmx=True,
        body=lambda o, w: {"item": o.inspection_item.pk, "day": "2026-11-20"},
        reach=[
            reach(
                "school_class",
                {
                    (LOGIN, LOGIN, LOGIN): ("anonymous",),
                    (403, 403, 403): (
                        "student",
                        "guardian",
                        "head_teacher",
                        "other_head_teacher",
                        "subject_teacher",
                        "counsellor",
                        "principal",
                        "school_admin",
                    ),
                    (200, 200, 404): ("office", "duty_student"),
                    (404, 404, 200): ("b_office", "b_duty_student"),
                },
                post=lambda o, w: {"item": o.inspection_item.pk, "day": "2026-11-20"},
                htmx=True,
            )
        ],
    ),
    "moral_ed:inspection_void": action(
        only(200, OFFICE, duty_student=200),
        obj="inspection_entry",
        htmx=True,
        body={"reason": "查错班级"},
        reach=[
            reach(
                "duty_entry",
                {
                    (LOGIN, LOGIN, LOGIN): ("anonymous",),
                    (403, 403, 403): (
                        "student",
                        "guardian",
                        "head_teacher",
                        "other_head_teacher",
                        "subject_teacher",
                        "counsellor",
                        "principal",
                        "school_admin",
                    ),
                    (200, 200, 404): ("office",),
                    (200, 403, 404): ("duty_student",),
                    (404, 404, 200): ("b_office", "b_duty_student"),
                },
                post={"reason": "查错班级"},
                htmx=True,
            )
        ],
    ),
    "moral_ed:class_inspections": row(
        SCHOOL_READERS,
        only(405, LOGGED_IN),
        obj="school_class",
        reach=[
            reach(
                "school_class",
                {
                    (LOGIN, LOGIN, LOGIN): ("anonymous",),
                    (403, 403, 403): ("student", "guardian", "duty_student", "b_duty_student"),
                    (200, 404, 404): ("head_teacher",),
                    (404, 200, 404): ("other_head_teacher",),
                    (403, 404, 404): ("subject_teacher",),
                    (403, 403, 404): ("counsellor",),
                    (200, 200, 404): ("office", "principal", "school_admin"),
                    (404, 404, 200): ("b_office",),
                },
            )
        ],
    ),
    "moral_ed:veto_list": row(
        only(200, OFFICE, principal=200), only(405, LOGGED_IN), also_get=dict(school_admin=403, b_office=200, b_duty_student=403)
    ),
    "moral_ed:veto_record": action(
        only(422, OFFICE), also_post=dict(school_admin=403, b_office=422, b_duty_student=403)
    ),  # an empty veto form is refused in place
    "moral_ed:veto_void": action(
        only(302, OFFICE),
        obj="veto",
        body={"reason": "撤销"},
        reach=[
            reach(
                "veto",
                {
                    (LOGIN, LOGIN, LOGIN): ("anonymous",),
                    (403, 403, 403): (
                        "student",
                        "guardian",
                        "head_teacher",
                        "other_head_teacher",
                        "subject_teacher",
                        "counsellor",
                        "principal",
                        "duty_student",
                        "school_admin",
                        "b_duty_student",
                    ),
                    (302, 302, 404): ("office",),
                    (404, 404, 302): ("b_office",),
                },
                post={"reason": "撤销"},
                htmx=True,
            )
        ],
    ),
    # The published class ranking is shown to everyone of the school (B's admin: B's ranking).
    "moral_ed:ranking_published": row(
        ANY_LOGGED_IN, only(405, LOGGED_IN), also_get=dict(school_admin=200, b_office=200, b_duty_student=200)
    ),
    # --- Evaluations ---------------------------------------------------------------------------------
    "moral_ed:evaluation_list": page(
        only(200, HEADS, OFFICE, principal=200, b_admin=200), also_get=dict(school_admin=200, b_office=200, b_guardian=403)
    ),
    "moral_ed:evaluation_run": page(OFFICE_ONLY, also_get=dict(school_admin=403, b_office=200, b_guardian=403)),
    "moral_ed:evaluation_revision": page(
        SCHOOL_READERS,
        obj="revision",
        reach=[
            reach(
                "revision_or_draft",
                {
                    (LOGIN, LOGIN, LOGIN): ("anonymous",),
                    (403, 403, 403): (
                        "student",
                        "guardian",
                        "other_guardian",
                        "subject_teacher",
                        "counsellor",
                        "duty_student",
                        "b_guardian",
                    ),
                    (200, 404, 404): ("head_teacher", "other_head_teacher"),
                    (200, 200, 404): ("office", "principal", "school_admin"),
                    (404, 404, 200): ("b_office",),
                },
            )
        ],
    ),
    "moral_ed:evaluation_publish": action(
        only(302, OFFICE, b_admin=404),
        obj="revision",
        body=lambda o, w: {"digest": o.revision.digest},
        reach=[
            reach(
                "revision_or_draft",
                {
                    (LOGIN, LOGIN, LOGIN): ("anonymous",),
                    (403, 403, 403): (
                        "student",
                        "guardian",
                        "other_guardian",
                        "subject_teacher",
                        "counsellor",
                        "duty_student",
                        "b_guardian",
                    ),
                    (403, 404, 404): ("head_teacher", "other_head_teacher"),
                    (302, 302, 404): ("office",),
                    (403, 403, 404): ("principal", "school_admin"),
                    (404, 404, 302): ("b_office",),
                },
                post=lambda o, w: {"digest": o.revision_or_draft.digest},
            )
        ],
    ),
    "moral_ed:evaluation_students": page(
        SCHOOL_READERS,
        obj="revision",
        reach=[
            reach(
                "revision_or_draft",
                {
                    (LOGIN, LOGIN, LOGIN): ("anonymous",),
                    (403, 403, 403): (
                        "student",
                        "guardian",
                        "other_guardian",
                        "subject_teacher",
                        "counsellor",
                        "duty_student",
                        "b_guardian",
                    ),
                    (200, 404, 404): ("head_teacher", "other_head_teacher"),
                    (200, 200, 404): ("office", "principal", "school_admin"),
                    (404, 404, 200): ("b_office",),
                },
            )
        ],
    ),
    # --- Dorms: the office runs them, the principal reads, head teachers see their class's students ---
    "moral_ed:dorm_home": page(only(200, HEADS, OFFICE, principal=200), also_get=dict(b_office=200, b_guardian=403)),
    "moral_ed:dorm_building": page(
        only(200, OFFICE, principal=200),
        obj="building",
        reach=[
            reach(
                "building",
                {
                    (LOGIN, LOGIN, LOGIN): ("anonymous",),
                    (403, 403, 403): (
                        "student",
                        "guardian",
                        "head_teacher",
                        "other_head_teacher",
                        "subject_teacher",
                        "counsellor",
                        "b_guardian",
                    ),
                    (200, 200, 404): ("office", "principal"),
                    (404, 404, 200): ("b_office",),
                },
            )
        ],
    ),
    "moral_ed:dorm_bed_assign": action(
        only(302, OFFICE),
        obj="building",
        body={"bed": "0", "student_number": "0"},
        reach=[
            reach(
                "building",
                {
                    (LOGIN, LOGIN, LOGIN): ("anonymous",),
                    (403, 403, 403): (
                        "student",
                        "guardian",
                        "head_teacher",
                        "other_head_teacher",
                        "subject_teacher",
                        "counsellor",
                        "principal",
                        "b_guardian",
                    ),
                    (302, 302, 404): ("office",),
                    (404, 404, 302): ("b_office",),
                },
                post={"bed": "0", "student_number": "0"},
            )
        ],
    ),
    "moral_ed:dorm_bed_release": action(
        only(302, OFFICE),
        obj="building",
        body={"assignment": "0"},
        reach=[
            reach(
                "building",
                {
                    (LOGIN, LOGIN, LOGIN): ("anonymous",),
                    (403, 403, 403): (
                        "student",
                        "guardian",
                        "head_teacher",
                        "other_head_teacher",
                        "subject_teacher",
                        "counsellor",
                        "principal",
                        "b_guardian",
                    ),
                    (302, 302, 404): ("office",),
                    (404, 404, 302): ("b_office",),
                },
                post={"assignment": "0"},
            )
        ],
    ),
    "moral_ed:dorm_inspection": page(
        only(200, OFFICE, principal=200),
        obj="building",
        reach=[
            reach(
                "building",
                {
                    (LOGIN, LOGIN, LOGIN): ("anonymous",),
                    (403, 403, 403): (
                        "student",
                        "guardian",
                        "head_teacher",
                        "other_head_teacher",
                        "subject_teacher",
                        "counsellor",
                        "b_guardian",
                    ),
                    (200, 200, 404): ("office", "principal"),
                    (404, 404, 200): ("b_office",),
                },
            )
        ],
    ),
    "moral_ed:dorm_event_record": action(
        only(302, OFFICE),
        obj="building",
        body={"room": "0", "item": "0"},
        reach=[
            reach(
                "building",
                {
                    (LOGIN, LOGIN, LOGIN): ("anonymous",),
                    (403, 403, 403): (
                        "student",
                        "guardian",
                        "head_teacher",
                        "other_head_teacher",
                        "subject_teacher",
                        "counsellor",
                        "principal",
                        "b_guardian",
                    ),
                    (302, 302, 404): ("office",),
                    (404, 404, 302): ("b_office",),
                },
                post={"room": "0", "item": "0"},
            )
        ],
    ),
    "moral_ed:dorm_event_void": action(
        only(302, OFFICE),
        obj="dorm_event",
        body={"reason": "测试"},
        reach=[
            reach(
                "dorm_event",
                {
                    (LOGIN, LOGIN, LOGIN): ("anonymous",),
                    (403, 403, 403): (
                        "student",
                        "guardian",
                        "head_teacher",
                        "other_head_teacher",
                        "subject_teacher",
                        "counsellor",
                        "principal",
                        "b_guardian",
                    ),
                    (302, 302, 404): ("office",),
                    (404, 404, 302): ("b_office",),
                },
                post={"reason": "测试"},
            )
        ],
    ),
    "moral_ed:dorm_class": page(
        SCHOOL_READERS,
        obj="school_class",
        reach=[
            reach(
                "school_class",
                {
                    (LOGIN, LOGIN, LOGIN): ("anonymous",),
                    (403, 403, 403): ("student", "guardian", "b_guardian"),
                    (200, 404, 404): ("head_teacher",),
                    (404, 200, 404): ("other_head_teacher",),
                    (403, 404, 404): ("subject_teacher",),
                    (403, 403, 404): ("counsellor",),
                    (200, 200, 404): ("office", "principal"),
                    (404, 404, 200): ("b_office",),
                },
            )
        ],
    ),
    "moral_ed:dorm_student": page(
        SCHOOL_READERS,
        obj="student",
        reach=[
            reach(
                "student",
                {
                    (LOGIN, LOGIN, LOGIN): ("anonymous",),
                    (403, 403, 403): ("student", "guardian", "b_guardian"),
                    (200, 404, 404): ("head_teacher",),
                    (404, 200, 404): ("other_head_teacher",),
                    (403, 404, 404): ("subject_teacher",),
                    (403, 403, 404): ("counsellor",),
                    (200, 200, 404): ("office", "principal"),
                    (404, 404, 200): ("b_office",),
                },
            )
        ],
    ),
    "moral_ed:dorm_cases": page(only(200, HEADS, OFFICE, principal=200), also_get=dict(b_office=200, b_guardian=403)),
    "moral_ed:dorm_case": page(
        SCHOOL_READERS,
        obj="dorm_case",
        reach=[
            reach(
                "dorm_case",
                {
                    (LOGIN, LOGIN, LOGIN): ("anonymous",),
                    (403, 403, 403): ("student", "guardian", "b_guardian"),
                    (200, 404, 404): ("head_teacher",),
                    (404, 200, 404): ("other_head_teacher",),
                    (403, 404, 404): ("subject_teacher",),
                    (403, 403, 404): ("counsellor",),
                    (200, 200, 404): ("office", "principal"),
                    (404, 404, 200): ("b_office",),
                },
            )
        ],
    ),
    # Step 1 (a talk) is confirmed by the head teacher; the principal reads only.
    "moral_ed:dorm_case_decide": action(
        only(302, HEADS, OFFICE, b_admin=404),
        obj="dorm_case",
        body={"decision": "confirm"},
        reach=[
            reach(
                "dorm_case",
                {
                    (LOGIN, LOGIN, LOGIN): ("anonymous",),
                    (403, 403, 403): ("student", "guardian", "b_guardian"),
                    (302, 404, 404): ("head_teacher",),
                    (404, 302, 404): ("other_head_teacher",),
                    (403, 404, 404): ("subject_teacher",),
                    (403, 403, 404): ("counsellor", "principal"),
                    (302, 302, 404): ("office",),
                    (404, 404, 302): ("b_office",),
                },
                post={"decision": "confirm"},
            )
        ],
    ),
    # --- Term awards and practice credits -----------------------------------------------------------
    "moral_ed:award_home": page(
        only(302, HEADS, OFFICE, principal=302), also_get=dict(b_office=302, b_guardian=403)
    ),  # to the page of one's role
    "moral_ed:award_queue": page(OFFICE_ONLY, also_get=dict(b_office=200, b_guardian=403)),
    "moral_ed:award_list": page(only(200, HEADS, OFFICE, principal=200), also_get=dict(b_office=200, b_guardian=403)),
    "moral_ed:award_export": page(only(200, OFFICE, principal=200), also_get=dict(b_office=200, b_guardian=403)),
    "moral_ed:award_propose_head": action(
        only(302, OFFICE), body={"school_class": "0", "reason": "x"}, also_post=dict(b_office=302, b_guardian=403)
    ),
    "moral_ed:award_class": page(
        SCHOOL_READERS,
        obj="school_class",
        reach=[
            reach(
                "school_class",
                {
                    (LOGIN, LOGIN, LOGIN): ("anonymous",),
                    (403, 403, 403): ("student", "guardian", "other_guardian", "b_guardian"),
                    (200, 404, 404): ("head_teacher",),
                    (404, 200, 404): ("other_head_teacher",),
                    (403, 404, 404): ("subject_teacher",),
                    (403, 403, 404): ("counsellor",),
                    (200, 200, 404): ("office", "principal"),
                    (404, 404, 200): ("b_office",),
                },
            )
        ],
    ),
    # The class has a veto this term: an outstanding-class proposal is refused in place.
    "moral_ed:award_propose": action(
        only(422, HEADS, b_admin=404),
        obj="school_class",
        body={"kind": "outstanding_class", "reason": "班风优良"},
        reach=[
            reach(
                "school_class",
                {
                    (LOGIN, LOGIN, LOGIN): ("anonymous",),
                    (403, 403, 403): ("student", "guardian", "other_guardian", "b_guardian"),
                    (302, 404, 404): ("head_teacher",),
                    (404, 302, 404): ("other_head_teacher",),
                    (403, 404, 404): ("subject_teacher",),
                    (403, 403, 404): ("counsellor", "office", "principal"),
                    (404, 404, 403): ("b_office",),
                },
                post=lambda o, w: {"kind": "outstanding_cadre", "student": o.student.pk, "reason": "班干部"},
            )
        ],
    ),
    "moral_ed:award_export_class_totals": page(
        SCHOOL_READERS,
        obj="school_class",
        reach=[
            reach(
                "school_class",
                {
                    (LOGIN, LOGIN, LOGIN): ("anonymous",),
                    (403, 403, 403): ("student", "guardian", "other_guardian", "b_guardian"),
                    (200, 404, 404): ("head_teacher",),
                    (404, 200, 404): ("other_head_teacher",),
                    (403, 404, 404): ("subject_teacher",),
                    (403, 403, 404): ("counsellor",),
                    (200, 200, 404): ("office", "principal"),
                    (404, 404, 200): ("b_office",),
                },
            )
        ],
    ),
    "moral_ed:award_decide": action(
        only(302, OFFICE),
        obj="award",
        body={"decision": "approve"},
        reach=[
            reach(
                "award",
                {
                    (LOGIN, LOGIN, LOGIN): ("anonymous",),
                    (403, 403, 403): (
                        "student",
                        "guardian",
                        "other_guardian",
                        "head_teacher",
                        "other_head_teacher",
                        "subject_teacher",
                        "counsellor",
                        "principal",
                        "b_guardian",
                    ),
                    (302, 302, 404): ("office",),
                    (404, 404, 302): ("b_office",),
                },
                post={"decision": "approve"},
            )
        ],
    ),
    # The proposer withdraws; the office decides but does not withdraw; others do not know the proposal.
    "moral_ed:award_withdraw": action(
        only(302, HEADS, subject_teacher=404, counsellor=404, principal=404, b_admin=404),
        obj="award",
        reach=[
            reach(
                "award",
                {
                    (LOGIN, LOGIN, LOGIN): ("anonymous",),
                    (403, 403, 403): ("student", "guardian", "other_guardian", "b_guardian"),
                    (302, 404, 404): ("head_teacher",),
                    (404, 302, 404): ("other_head_teacher",),
                    (404, 404, 404): ("subject_teacher", "counsellor", "principal"),
                    (403, 403, 404): ("office",),
                    (404, 404, 403): ("b_office",),
                },
                post={},
            )
        ],
    ),
    "moral_ed:award_export_rankings": page(
        only(200, OFFICE, principal=200),
        obj="revision",
        reach=[
            reach(
                "revision_or_draft",
                {
                    (LOGIN, LOGIN, LOGIN): ("anonymous",),
                    (403, 403, 403): (
                        "student",
                        "guardian",
                        "other_guardian",
                        "head_teacher",
                        "other_head_teacher",
                        "subject_teacher",
                        "counsellor",
                        "b_guardian",
                    ),
                    (200, 404, 404): ("office", "principal"),
                    (404, 404, 200): ("b_office",),
                },
            )
        ],
    ),
    "moral_ed:practice_home": page(
        only(200, OFFICE, principal=200, b_admin=200, head_teacher=302, other_head_teacher=302),
        also_get=dict(b_office=200, b_guardian=403),
    ),
    "moral_ed:practice_class": page(
        SCHOOL_READERS,
        obj="school_class",
        reach=[
            reach(
                "school_class",
                {
                    (LOGIN, LOGIN, LOGIN): ("anonymous",),
                    (403, 403, 403): ("student", "guardian", "other_guardian", "b_guardian"),
                    (200, 404, 404): ("head_teacher",),
                    (404, 200, 404): ("other_head_teacher",),
                    (403, 404, 404): ("subject_teacher",),
                    (403, 403, 404): ("counsellor",),
                    (200, 200, 404): ("office", "principal"),
                    (404, 404, 200): ("b_office",),
                },
            )
        ],
    ),
    "moral_ed:practice_add": form(
        only(200, HEADS, OFFICE, b_admin=404),
        only(422, HEADS, OFFICE, b_admin=404),
        obj="student",  # empty form: 422
        reach=[
            reach(
                "student",
                {
                    (LOGIN, LOGIN, LOGIN): ("anonymous",),
                    (403, 403, 403): ("student", "guardian", "other_guardian", "b_guardian"),
                    (200, 404, 404): ("head_teacher",),
                    (404, 200, 404): ("other_head_teacher",),
                    (403, 404, 404): ("subject_teacher",),
                    (403, 403, 404): ("counsellor", "principal"),
                    (200, 200, 404): ("office",),
                    (404, 404, 200): ("b_office",),
                },
            )
        ],
    ),
    # The family (the student and guardians) and the staff who reach the record.
    "moral_ed:practice_evidence": page(
        only(200, PORTAL, HEADS, OFFICE, principal=200, b_admin=404, duty_student=404),
        obj="evidence",
        reach=[
            reach(
                "evidence",
                {
                    (LOGIN, LOGIN, LOGIN): ("anonymous",),
                    (200, 404, 404): ("student", "guardian", "head_teacher"),
                    (404, 200, 404): ("other_guardian", "other_head_teacher"),
                    (403, 404, 404): ("subject_teacher",),
                    (403, 403, 404): ("counsellor",),
                    (200, 200, 404): ("office", "principal"),
                    (404, 404, 200): ("b_office", "b_guardian"),
                },
            )
        ],
    ),
    "moral_ed:practice_void": action(
        only(302, HEADS, OFFICE, b_admin=404),
        obj="practice_record",
        body={"reason": "录错"},
        reach=[
            reach(
                "practice_record",
                {
                    (LOGIN, LOGIN, LOGIN): ("anonymous",),
                    (403, 403, 403): ("student", "guardian", "other_guardian", "b_guardian"),
                    (302, 404, 404): ("head_teacher",),
                    (404, 302, 404): ("other_head_teacher",),
                    (403, 404, 404): ("subject_teacher",),
                    (403, 403, 404): ("counsellor", "principal"),
                    (302, 302, 404): ("office",),
                    (404, 404, 302): ("b_office",),
                },
                post={"reason": "录错"},
            )
        ],
    ),
    "moral_ed:practice_portal": page(
        PORTAL_PAGE,
        obj="student",
        reach=[
            reach(
                "student",
                {
                    (LOGIN, LOGIN, LOGIN): ("anonymous",),
                    (200, 404, 404): ("student", "guardian"),
                    (404, 200, 404): ("other_guardian",),
                    (403, 403, 403): (
                        "head_teacher",
                        "other_head_teacher",
                        "subject_teacher",
                        "counsellor",
                        "office",
                        "principal",
                        "b_office",
                    ),
                    (404, 404, 200): ("b_guardian",),
                },
            )
        ],
    ),
}
