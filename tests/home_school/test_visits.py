"""Home visits: planning, recording, supervisors, the office's counts, and
the rule that a teacher's notes never leave the staff pages."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from classes.models import Term
from home_school.models import HomeVisit, VisitSupervision
from home_school.selectors.visits import visit_counts_by_teacher
from home_school.services import visits as services
from notifications.models import Notification

from .meetings_support import SCHEDULED_AT, plan_visit, record_visit, schedule

SECRETS = ("父母离异由奶奶抚养", "孩子说在家常被打骂", "联系社工跟进")


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _get(user, name, *args, **params):
    return _client(user).get(reverse(f"home_school:{name}", args=args), params)


def test_teacher_plans_a_visit_and_the_family_sees_date_method_and_teacher(world):
    with time_machine.travel(SCHEDULED_AT, tick=False):
        response = _client(world.head_teacher).post(
            reverse("home_school:visit_plan"),
            {"student": world.child.pk, "teacher": world.head_teacher.pk, "planned_on": "2026-11-27", "method": "phone"},
        )
        assert response.status_code == 302
        visit = HomeVisit.objects.get()
        assert (visit.teacher, visit.student, visit.method, visit.status) == (world.head_teacher, world.child, "phone", "planned")
        assert visit.term == world.term and visit.created_by == world.head_teacher
        page = _get(world.parent, "portal_visits").content.decode()
        assert "2026-11-27" in page and "王老师" in page and visit.get_method_display() in page
        assert "2026-11-27" not in _get(world.other_parent, "portal_visits").content.decode()
    note = Notification.objects.get(kind="home_school.visit_planned")
    assert note.recipient == world.parent and "2026-11-27" in note.body and "陈小雨" in note.title


def test_teacher_plans_only_for_students_of_own_classes_and_for_themself(world):
    with time_machine.travel(SCHEDULED_AT, tick=False):
        client = _client(world.head_teacher)
        form = client.get(reverse("home_school:visit_plan")).context["form"]
        assert set(form.fields["student"].queryset) == {world.child, world.classmate}
        assert list(form.fields["teacher"].queryset) == [world.head_teacher]
        client.post(
            reverse("home_school:visit_plan"),
            {"student": world.other_child.pk, "teacher": world.head_teacher.pk, "planned_on": "2026-11-27", "method": "visit"},
        )
        client.post(
            reverse("home_school:visit_plan"),
            {"student": world.child.pk, "teacher": world.other_head_teacher.pk, "planned_on": "2026-11-27", "method": "visit"},
        )
    assert not HomeVisit.objects.exists()


def test_office_plans_a_visit_for_any_teacher(world):
    with time_machine.travel(SCHEDULED_AT, tick=False):
        _client(world.office).post(
            reverse("home_school:visit_plan"),
            {"student": world.other_child.pk, "teacher": world.subject_teacher.pk, "planned_on": "2026-12-01", "method": "video"},
        )
    visit = HomeVisit.objects.get()
    assert visit.teacher == world.subject_teacher and visit.created_by == world.office


def test_a_visit_is_planned_inside_the_term(world):
    with pytest.raises(ValidationError):
        plan_visit(world, planned_on=datetime.date(2027, 2, 1))


def test_teacher_records_the_visit_and_only_the_teacher_may(world):
    visit = plan_visit(world)
    data = {"done_on": "2026-11-27", "method": "visit", "family_situation": SECRETS[0], "discussed": SECRETS[1], "follow_up": SECRETS[2]}
    url = reverse("home_school:visit_record", args=[visit.pk])
    with time_machine.travel("2026-11-27 20:00 +0800", tick=False):
        assert _client(world.office).post(url, data).status_code == 403
        assert _client(world.other_head_teacher).post(url, data).status_code == 404
        assert _client(world.head_teacher).post(url, data).status_code == 302
        visit.refresh_from_db()
        assert visit.status == "done" and visit.done_on == datetime.date(2026, 11, 27) and visit.family_situation == SECRETS[0]
        assert all(s in _get(world.office, "visit_record", visit.pk).content.decode() for s in SECRETS)


def test_a_visit_is_recorded_once_it_has_taken_place(world):
    visit = plan_visit(world)
    with time_machine.travel("2026-11-26 20:00 +0800", tick=False):
        response = _client(world.head_teacher).post(
            reverse("home_school:visit_record", args=[visit.pk]),
            {"done_on": "2026-11-27", "method": "visit", "family_situation": "x", "discussed": "y"},
        )
    assert response.status_code == 200
    visit.refresh_from_db()
    assert visit.status == "planned" and visit.family_situation == ""


def test_the_notes_never_appear_on_a_portal_page_or_in_a_notification(world):
    visit = plan_visit(world)
    record_visit(visit, family_situation=SECRETS[0], discussed=SECRETS[1], follow_up=SECRETS[2])
    meeting = schedule(world)
    with time_machine.travel("2026-11-28 10:00 +0800", tick=False):
        client = _client(world.parent)
        pages = [
            client.get(reverse("home_school:portal_home"), follow=True),
            client.get(reverse("home_school:portal_child", args=[world.child.pk])),
            client.get(reverse("home_school:portal_visits")),
            client.get(reverse("home_school:portal_meetings")),
            client.get(reverse("home_school:portal_meeting", args=[meeting.pk])),
            client.get(reverse("notifications:inbox")),
        ]
        student_pages = [_client(world.student_user).get(reverse("home_school:portal_child", args=[world.child.pk]))]
    visits_page = pages[2].content.decode()
    assert "2026-11-27" in visits_page  # the done visit is listed, without its notes
    for response in pages + student_pages:
        assert response.status_code == 200
        text = response.content.decode()
        assert not any(s in text for s in SECRETS), response.request["PATH_INFO"]
    for note in Notification.objects.all():
        assert not any(s in f"{note.title} {note.body} {note.link}" for s in SECRETS)
    # The portal never even loads them.
    with time_machine.travel("2026-11-28 10:00 +0800", tick=False):
        listed = _get(world.parent, "portal_visits").context["done"]
    assert "family_situation" in listed[0].get_deferred_fields()


def test_cancelled_visit_leaves_the_portal_and_a_done_one_cannot_be_cancelled(world):
    planned = plan_visit(world)
    done = plan_visit(world, planned_on=datetime.date(2026, 11, 23))
    record_visit(done, when="2026-11-27 20:00 +0800")
    with time_machine.travel("2026-11-27 20:00 +0800", tick=False):
        client = _client(world.head_teacher)
        client.post(reverse("home_school:visit_cancel", args=[planned.pk]))
        client.post(reverse("home_school:visit_cancel", args=[done.pk]))
        page = _get(world.parent, "portal_visits").content.decode()
    planned.refresh_from_db()
    done.refresh_from_db()
    assert planned.status == "cancelled" and done.status == "done"
    assert page.count("list-group-item") == 1


# --- Supervisors and the office's counts -------------------------------------------------------------


def test_office_assigns_a_supervisor_who_then_sees_those_teachers_visits(world):
    own = plan_visit(world)
    other = plan_visit(world, teacher=world.other_head_teacher, student=world.other_child)
    with time_machine.travel(SCHEDULED_AT, tick=False):
        assert _get(world.subject_teacher, "visit_record", own.pk).status_code == 404
        response = _client(world.office).post(
            reverse("home_school:visit_supervisors"), {"supervisor": world.subject_teacher.pk, "teachers": [world.head_teacher.pk]}
        )
        assert response.status_code == 302
        supervision = VisitSupervision.objects.get()
        assert (supervision.supervisor, supervision.teacher, supervision.term) == (world.subject_teacher, world.head_teacher, world.term)
        listing = _get(world.subject_teacher, "visit_list")
        assert [v.pk for v in listing.context["visits"]] == [own.pk]
        # The supervised teacher's counts, and the supervisor's own (they teach too).
        assert {row["teacher"] for row in listing.context["counts"]} == {world.head_teacher, world.subject_teacher}
        assert _get(world.subject_teacher, "visit_record", own.pk).status_code == 200
        assert _get(world.subject_teacher, "visit_record", other.pk).status_code == 404
        _client(world.office).post(reverse("home_school:visit_supervisor_remove", args=[supervision.pk]))
        assert _get(world.subject_teacher, "visit_record", own.pk).status_code == 404


def test_a_teacher_has_one_supervisor_per_term_and_never_themself(world):
    with time_machine.travel(SCHEDULED_AT, tick=False):
        services.supervisor_assign(actor=world.office, school=world.school, term=world.term, supervisor=world.subject_teacher,
                                   teachers=[world.head_teacher, world.other_head_teacher])
        services.supervisor_assign(actor=world.office, school=world.school, term=world.term, supervisor=world.counsellor,
                                   teachers=[world.head_teacher])
        with pytest.raises(ValidationError):
            services.supervisor_assign(actor=world.office, school=world.school, term=world.term,
                                       supervisor=world.head_teacher, teachers=[world.head_teacher])
        with pytest.raises(ValidationError):
            services.supervisor_assign(actor=world.office, school=world.school, term=world.term,
                                       supervisor=world.subject_teacher, teachers=[world.parent])
    rows = dict(VisitSupervision.objects.values_list("teacher__username", "supervisor__username"))
    assert rows == {"head": "counsellor", "head2": "maths"}


def test_office_counts_visits_per_teacher_for_the_term(world):
    home = plan_visit(world)
    phone = plan_visit(world, student=world.classmate, method="phone")
    plan_visit(world, planned_on=datetime.date(2026, 12, 10))  # still waiting
    cancelled = plan_visit(world, student=world.classmate, planned_on=datetime.date(2026, 12, 11))
    video = plan_visit(world, teacher=world.other_head_teacher, student=world.other_child, method="video")
    record_visit(home)
    record_visit(phone)
    record_visit(video)
    services.visit_cancel(actor=world.head_teacher, visit=cancelled)
    # Last term's visit does not count in this term.
    old_term = Term.objects.create(school=world.school, school_year=world.year, number=2, start_date=datetime.date(2027, 2, 20),
                                   end_date=datetime.date(2027, 7, 10), is_current=False)
    HomeVisit.objects.create(school=world.school, term=old_term, student=world.child, teacher=world.head_teacher,
                             planned_on=datetime.date(2027, 3, 1), created_by=world.head_teacher)
    with time_machine.travel("2026-11-28 10:00 +0800", tick=False):
        response = _get(world.office, "visit_list")
    counts = {row["teacher"].username: row for row in response.context["counts"]}
    assert set(counts) == {"head", "head2"}
    head = counts["head"]
    assert (head["planned"], head["done"], head["waiting"]) == (3, 2, 1)
    assert (head["done_visit"], head["done_phone"], head["done_video"]) == (1, 1, 0)
    assert (counts["head2"]["planned"], counts["head2"]["done"], counts["head2"]["done_video"]) == (1, 1, 1)
    assert len(response.context["visits"]) == 5
    page = response.content.decode()
    assert "王老师" in page and "李老师" in page


def test_a_teacher_sees_only_own_visits_and_own_counts(world):
    plan_visit(world)
    plan_visit(world, teacher=world.other_head_teacher, student=world.other_child)
    with time_machine.travel(SCHEDULED_AT, tick=False):
        response = _get(world.head_teacher, "visit_list")
    assert [v.teacher for v in response.context["visits"]] == [world.head_teacher]
    assert [row["teacher"] for row in response.context["counts"]] == [world.head_teacher]
    assert not response.context["show_counts"]


def test_counts_selector_scopes_the_supervisor(world):
    plan_visit(world)
    plan_visit(world, teacher=world.other_head_teacher, student=world.other_child)
    services.supervisor_assign(actor=world.office, school=world.school, term=world.term, supervisor=world.counsellor,
                               teachers=[world.other_head_teacher])
    rows = visit_counts_by_teacher(world.counsellor, world.school, world.term)
    assert [(r["teacher"], r["planned"]) for r in rows] == [(world.other_head_teacher, 1)]
