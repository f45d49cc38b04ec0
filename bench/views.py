"""The two baselines of bench/conduct_entry.py. Both sit behind the
product's whole middleware stack (session, login, CSRF, and banwu's school
context and idle timeout), so a ratio against them measures what the
product's view costs on top of the stack every request pays anyway.

- bare_insert: one INSERT into a bench-only table (created by the script)
  and a tiny answer: the floor for any POST that writes a row.
- raw_class_page: the conduct-entry page of moral_ed.views.class_entry
  written by hand: two raw SQL queries, the same HTML built with plain
  string joins, no ORM and no template engine. No policy check, no groups
  (the bench class has none), no review-count badge: the fastest honest
  rendering of the page, links shown as the head teacher sees them.
"""

from decimal import Decimal
from html import escape

from django.db import connection
from django.http import HttpResponse, HttpResponseNotAllowed, HttpResponseNotFound
from django.middleware.csrf import get_token
from django.templatetags.static import static
from django.utils import timezone
from django.utils.dates import WEEKDAYS
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from classes.selectors import current_term
from moral_ed.models import Dimension


def bare_insert(request):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO bench_insert (n, created) VALUES (%s, %s)", [1, timezone.now()])
    return HttpResponse("ok", content_type="text/plain")


_STUDENTS_SQL = """
SELECT c.name, s.id, s.name,
       COALESCE(SUM(e.points), 0)
  FROM classes_schoolclass c
  JOIN students_enrollment en ON en.school_class_id = c.id AND en.end_date IS NULL
  JOIN students_student s ON s.id = en.student_id
  LEFT JOIN moral_ed_conductevent e
         ON e.student_id = s.id AND e.occurred_on = %s AND e.voided_at IS NULL
 WHERE c.id = %s AND c.school_id = %s
 GROUP BY c.name, s.id, s.name, s.student_number
 ORDER BY s.student_number
"""

_ITEMS_SQL = """
SELECT id, name, dimension, points
  FROM moral_ed_conductitem
 WHERE school_id = %s AND is_active
 ORDER BY ordering, id
"""

# What the real page also shows, as one hand-written query: may the person
# record here (reach), are they the head teacher (the review link and its
# count), and the navbar's unread badges.
_CONTEXT_SQL = """
SELECT EXISTS (SELECT 1 FROM classes_teachingassignment t
                WHERE t.school_class_id = %(cls)s AND t.teacher_id = %(user)s AND t.term_id = %(term)s),
       EXISTS (SELECT 1 FROM classes_teachingassignment t
                WHERE t.school_class_id = %(cls)s AND t.teacher_id = %(user)s AND t.term_id = %(term)s AND t.is_head_teacher),
       (SELECT COUNT(*) FROM moral_ed_conductevent e
         WHERE e.school_class_id = %(cls)s AND e.disclosure = 'staged' AND e.voided_at IS NULL),
       (SELECT COUNT(*) FROM home_school_conversation c
         WHERE c.school_id = %(school)s AND c.teacher_id = %(user)s
           AND EXISTS (SELECT 1 FROM home_school_message m
                        WHERE m.conversation_id = c.id AND m.author_id <> %(user)s
                          AND m.id > COALESCE((SELECT r.last_read_message_id FROM home_school_conversationread r
                                                WHERE r.conversation_id = c.id AND r.user_id = %(user)s), 0))),
       (SELECT COUNT(*) FROM notifications_notification n WHERE n.recipient_id = %(user)s AND n.read_at IS NULL)
"""

# The class's groups with their members, for the "select a group" buttons.
_GROUPS_SQL = """
SELECT g.id, g.name, m.student_id
  FROM moral_ed_studentgroup g
  LEFT JOIN moral_ed_groupmembership m ON m.group_id = g.id
 WHERE g.school_class_id = %s AND g.is_active
 ORDER BY g.kind, g.name, m.student_id
"""

_static = {}


def _static_url(name):
    # Resolved once per process, as a hand-tuned page would hard-code it.
    if name not in _static:
        _static[name] = static(name)
    return _static[name]


def _signed(value) -> str:
    if value == 0:
        return "0"
    text = f"{Decimal(value).normalize():f}"
    return text if value < 0 else f"+{text}"


def _tone(value) -> str:
    return "text-success" if value > 0 else "text-danger" if value < 0 else "text-secondary"


def raw_class_page(request, pk):
    if request.school is None:
        return HttpResponseNotFound()
    today = timezone.localdate()
    term = current_term(request.school)
    with connection.cursor() as cursor:
        cursor.execute(_CONTEXT_SQL, {"cls": pk, "user": request.user.pk, "term": term.pk, "school": request.school.pk})
        may_record, is_head, review_count, unread_conversations, unread_notes = cursor.fetchone()
        if not may_record:
            return HttpResponseNotFound()
        cursor.execute(_STUDENTS_SQL, [today, pk, request.school.pk])
        students = cursor.fetchall()
        cursor.execute(_ITEMS_SQL, [request.school.pk])
        items = cursor.fetchall()
        cursor.execute(_GROUPS_SQL, [pk])
        group_rows = cursor.fetchall()
    if not students:
        return HttpResponseNotFound()
    groups = {}
    for gid, gname, sid in group_rows:
        groups.setdefault((gid, gname), []).append(str(sid) if sid else "")
    class_name = escape(students[0][0])
    token = get_token(request)
    csrf_input = f'<input type="hidden" name="csrfmiddlewaretoken" value="{token}">'
    lang = get_language()
    path = escape(request.get_full_path())
    user_name = escape(request.user.get_full_name())

    out = []
    w = out.append
    w(f'<!doctype html>\n<html lang="{lang}">\n<head>\n  <meta charset="utf-8">\n')
    w('  <meta name="viewport" content="width=device-width, initial-scale=1">\n')
    w(f"  <title>{_('Points · %(name)s') % {'name': class_name}} · {_('banwu')}</title>\n")
    w(f'  <link rel="stylesheet" href="{_static_url("vendor/bootstrap/bootstrap.min.css")}">\n')
    w(f'  <link rel="stylesheet" href="{_static_url("css/banwu.css")}">\n</head>\n')
    w(f'<body class="bg-body-tertiary" hx-headers=\'{{"X-CSRFToken": "{token}"}}\'>\n')
    w(f'  <a class="visually-hidden-focusable" href="#main">{_("Skip to content")}</a>\n')
    w('  <nav class="navbar navbar-expand-md bg-white border-bottom">\n    <div class="container-fluid">\n')
    w(f'      <a class="navbar-brand fw-bold" href="/">{_("banwu")} <span class="fw-normal text-secondary fs-6">· {escape(request.school.name)}</span></a>\n')
    w('      <button class="navbar-toggler" type="button" data-bs-toggle="collapse" data-bs-target="#nav" aria-controls="nav" '
      f'aria-expanded="false" aria-label="{_("Menu")}">\n        <span class="navbar-toggler-icon"></span>\n      </button>\n')
    w('      <div class="collapse navbar-collapse" id="nav">\n        <ul class="navbar-nav me-auto">\n')
    w(f'          <li class="nav-item"><a class="nav-link" href="/classes/">{_("Classes")}</a></li>\n')
    w(f'          <li class="nav-item"><a class="nav-link" href="/students/">{_("Students")}</a></li>\n')
    badge = f' <span class="badge rounded-pill text-bg-danger">{unread_conversations}</span>' if unread_conversations else ""
    w(f'          <li class="nav-item"><a class="nav-link" href="/home-school/messages/">{_("Messages")}{badge}</a></li>\n')
    for href, label in (("/home-school/notices/", _("Notices")), ("/home-school/meetings/", _("Meetings")),
                        ("/home-school/visits/", _("Home visits"))):
        w(f'          <li class="nav-item"><a class="nav-link" href="{href}">{label}</a></li>\n')
    w(f'          <li class="nav-item"><a class="nav-link" href="/home-school/committee/">{_("Home & school")}</a></li>\n')
    w('        </ul>\n        <ul class="navbar-nav align-items-md-center gap-md-2">\n          <li class="nav-item">')
    w(f'<form method="post" action="/i18n/setlang/" class="d-flex gap-1 language-switcher">{csrf_input}\n')
    w(f'  <input type="hidden" name="next" value="{path}">\n')
    other = "en" if lang != "en" else "zh-hans"
    other_name = "English" if other == "en" else "简体中文"
    w(f'    <button class="btn btn-sm btn-link text-decoration-none" type="submit" name="language" value="{other}" lang="{other}">{other_name}</button>\n</form></li>\n')
    w('          <li class="nav-item dropdown">\n            <a class="nav-link dropdown-toggle" href="#" role="button" '
      f'data-bs-toggle="dropdown" aria-expanded="false">{user_name}</a>\n            <ul class="dropdown-menu dropdown-menu-end">\n')
    w(f'              <li><a class="dropdown-item" href="/password/">{_("Change password")}</a></li>\n')
    w(f'              <li>\n                <form method="post" action="/logout/">{csrf_input}\n')
    w(f'                  <button class="dropdown-item" type="submit">{_("Log out")}</button>\n                </form>\n              </li>\n')
    w("            </ul>\n          </li>\n        </ul>\n      </div>\n    </div>\n  </nav>\n")
    w('  <main id="main" class="container-fluid entry-page py-3">\n')
    w('<div class="d-flex flex-wrap justify-content-between align-items-center gap-2 mb-2">\n  <div>\n')
    w(f'    <h1 class="h4 mb-0">{class_name} · {_("Conduct points")}</h1>\n')
    w(f'    <div class="small text-secondary">{today.isoformat()} {WEEKDAYS[today.weekday()]}</div>\n  </div>\n')
    w('  <nav class="d-flex flex-wrap gap-1">\n')
    review = _("Review") + (f' <span class="badge text-bg-warning">{review_count}</span>' if review_count else "")
    for href, label in (
        (f"/classes/{pk}/", _("Roster")),
        *(((f"/conduct/class/{pk}/review/", review),) if is_head else ()),
        (f"/conduct/class/{pk}/groups/", _("Groups")),
        (f"/conduct/class/{pk}/ranking/", _("Ranking")),
        (f"/conduct/class/{pk}/bank/", _("Character bank")),
        (f"/conduct/class/{pk}/stars/", _("Stars")),
    ):
        w(f'    <a class="btn btn-sm btn-outline-secondary" href="{href}">{label}</a>\n')
    w("  </nav>\n</div>\n")
    action = f"/conduct/class/{pk}/record/"
    w(f'<form id="entry-form" method="post" action="{action}"\n      hx-post="{action}" hx-target="#entry-result" hx-swap="innerHTML">\n  {csrf_input}\n')
    w(f'  <div class="entry-toolbar d-flex flex-wrap align-items-center gap-2 mb-2" role="toolbar" aria-label="{_("Choose students")}">\n')
    w(f'    <button type="button" class="btn btn-outline-primary" data-select="all">{_("Whole class")}</button>\n')
    for (_gid, gname), members in groups.items():
        w(f'    <button type="button" class="btn btn-outline-secondary" data-select="group" data-members="{" ".join(m for m in members if m)}">{escape(gname)}</button>\n')
    w(f'    <button type="button" class="btn btn-outline-secondary" data-select="none">{_("Clear")}</button>\n')
    w(f'    <span class="ms-auto small text-secondary" aria-live="polite"><span id="selected-count">0</span> {_("selected")}</span>\n  </div>\n\n')
    w(f'  <div class="student-grid mb-3" role="group" aria-label="{_("Students")}">\n')
    for _class, sid, name, total in students:
        name = escape(name)
        w(
            f'    <label class="student-card" data-student="{sid}">\n'
            f'      <input type="checkbox" name="students" value="{sid}" class="visually-hidden">\n'
            f'      <span class="student-initial" aria-hidden="true">{name[:1]}</span>\n'
            f'      <span class="student-name">{name}</span>\n'
            f'      <span class="student-today {_tone(total)}" id="today-{sid}">{_signed(total)}</span>\n'
            "    </label>\n"
        )
    w('  </div>\n\n  <div id="entry-result" class="entry-result" aria-live="polite"></div>\n\n')
    w('  <div class="item-panel card">\n    <div class="card-body py-2">\n')
    by_dimension = {value: ([], []) for value in Dimension.values}
    for item in items:
        by_dimension[item[2]][0 if item[3] > 0 else 1].append(item)
    shown = [(label, *by_dimension[value]) for value, label in Dimension.choices if any(by_dimension[value])]
    w('      <div class="d-flex flex-wrap align-items-center gap-2 mb-2">\n')
    w(f'        <div class="nav nav-pills dimension-tabs flex-nowrap" role="tablist" aria-label="{_("Dimension")}">\n')
    for n, (label, _plus, _minus) in enumerate(shown, 1):
        active, selected = (" active", "true") if n == 1 else ("", "false")
        w(f'          <button type="button" class="nav-link{active}" role="tab" data-dimension-tab="{n}" aria-selected="{selected}">{label}</button>\n')
    note = _("Note (optional)")
    w(f'        </div>\n        <label class="visually-hidden" for="entry-note">{note}</label>\n')
    w(f'        <input id="entry-note" name="note" maxlength="200" class="form-control form-control-sm entry-note" autocomplete="off" placeholder="{note}">\n      </div>\n')
    for n, (_label, plus, minus) in enumerate(shown, 1):
        hidden = "" if n == 1 else " hidden"
        w(f'      <div class="item-row d-flex flex-wrap gap-1" role="tabpanel" data-dimension-panel="{n}"{hidden}>\n        ')
        for iid, name, _dim, points in plus:
            w(f'<button type="submit" name="item" value="{iid}" class="btn btn-success item-btn">{escape(name)} <span class="badge text-bg-light">{_signed(points)}</span></button>')
        w("\n        ")
        for iid, name, _dim, points in minus:
            w(f'<button type="submit" name="item" value="{iid}" class="btn btn-outline-danger item-btn">{escape(name)} <span class="badge text-bg-light">{_signed(points)}</span></button>')
        w("\n      </div>\n")
    w("    </div>\n  </div>\n</form>\n  </main>\n")
    w(f'  <script src="{_static_url("vendor/bootstrap/bootstrap.bundle.min.js")}"></script>\n')
    w(f'  <script src="{_static_url("vendor/htmx/htmx.min.js")}"></script>\n')
    w(f'  <script src="{_static_url("js/conduct_entry.js")}"></script>\n</body>\n</html>\n')
    return HttpResponse("".join(out))

