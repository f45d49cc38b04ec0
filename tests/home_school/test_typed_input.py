"""What a person types into home_school's forms is checked before anything
is written or anyone is told: dates inside a window that makes sense
(home_school.windows), free text inside its declared limit, ids the
database can hold, and month parameters that never end in a 500.

The world's "today" is Friday 2026-11-20; the school year runs
2026-09-01 – 2027-07-31 and the term to 2027-01-20."""

import datetime

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.urls import reverse

from core.text import MINUTES_MAX
from home_school.models import (
    CommitteeMeeting,
    FollowUpAction,
    HomeVisit,
    Notice,
    ParentMeeting,
    ParentSchoolArticle,
    VolunteerActivity,
)
from notifications.models import Notification

from .committee_support import hs
from .meetings_support import AFTER_START, SCHEDULED_AT, schedule

NOV20 = "2026-11-20 10:00 +0800"


def _messages(response) -> str:
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


@pytest.fixture
def today():
    with time_machine.travel(NOV20, tick=False):
        yield


# --- Plans: from today to the end of the school year ---------------------------------------


@pytest.mark.parametrize("starts_at", ["9999-12-31T19:00", "2027-08-01T19:00", "2026-11-19T19:00", "0001-01-01T19:00"])
def test_a_meeting_outside_the_school_year_is_refused_and_no_family_is_told(world, client_for, today, starts_at):
    response = client_for(world.head_teacher).post(
        reverse("home_school:meeting_create"),
        {"school_class": world.class1.pk, "title": "家长会", "starts_at": starts_at, "place": "教室"},
    )
    assert response.status_code == 200
    assert "2026-11-20" in response.content.decode() or "2026年11月20日" in response.content.decode()
    assert not ParentMeeting.objects.exists()
    assert not Notification.objects.exists()


def test_a_meeting_late_in_the_school_year_is_scheduled(world, client_for, today):
    response = client_for(world.head_teacher).post(
        reverse("home_school:meeting_create"),
        {"school_class": world.class1.pk, "title": "期末家长会", "starts_at": "2027-07-05T19:00", "place": "教室"},
    )
    assert response.status_code == 302
    assert ParentMeeting.objects.get().title == "期末家长会"


def test_the_meeting_form_shows_the_window_to_the_date_picker(world, client_for, today):
    page = client_for(world.head_teacher).get(reverse("home_school:meeting_create")).content.decode()
    assert 'min="2026-11-20T00:00"' in page and 'max="2027-07-31T23:59"' in page


@pytest.mark.parametrize("field", ["scheduled_for", "reply_deadline"])
def test_a_notice_scheduled_or_due_in_9999_is_refused(world, client_for, today, field):
    body = {"title": "通知", "body": "内容", "scope": "classes", "classes": [world.class1.pk], "receipt_type": "confirm",
            "send_mode": "schedule", "scheduled_for": "2026-11-21T08:00", field: "9999-12-31T08:00"}
    response = client_for(world.head_teacher).post(reverse("home_school:notice_create"), body)
    assert response.status_code == 200
    assert not Notice.objects.exists()


def test_a_follow_up_due_in_year_1_is_refused(world, client_for):
    meeting = schedule(world)
    with time_machine.travel(AFTER_START, tick=False):
        response = client_for(world.head_teacher).post(
            reverse("home_school:meeting_followup_add", args=[meeting.pk]),
            {"text": "整理作业清单", "owner": world.head_teacher.pk, "due_on": "0001-01-01"},
        )
    assert response.status_code == 302
    assert "2026" in _messages(response)
    assert not FollowUpAction.objects.exists()


@pytest.mark.parametrize("planned_on", ["2026-11-19", "2027-01-21", "9999-12-31"])
def test_a_home_visit_planned_in_the_past_or_after_the_term_is_refused_and_the_family_not_told(
    world, client_for, today, planned_on
):
    response = client_for(world.head_teacher).post(
        reverse("home_school:visit_plan"),
        {"student": world.child.pk, "teacher": world.head_teacher.pk, "planned_on": planned_on, "method": "visit"},
    )
    assert response.status_code == 200
    assert "2027-01-20" in response.content.decode() or "2027年1月20日" in response.content.decode()
    assert not HomeVisit.objects.exists()
    assert not Notification.objects.exists()


def test_a_volunteer_activity_after_the_school_year_is_refused(world, client_for, today):
    response = client_for(world.head_teacher).post(
        reverse("home_school:volunteer_new"), {"school_class": world.class1.pk, "title": "植树", "date": "2099-12-31", "slots": "3"}
    )
    assert response.status_code == 200
    assert not VolunteerActivity.objects.exists()


# --- Records: inside the school year, not after today ---------------------------------------


@pytest.mark.parametrize("held_on", ["2099-11-18", "2026-11-21", "2026-08-31"])
def test_a_committee_meeting_held_in_the_future_or_before_the_school_year_is_refused(world, client_for, held_on):
    with time_machine.travel(NOV20, tick=False):
        home = hs(world)
        before = CommitteeMeeting.objects.count()
        response = client_for(world.head_teacher).post(
            reverse("home_school:committee_meeting_new", args=[home.c1.pk]), {"held_on": held_on, "title": "家委会例会"}
        )
    assert response.status_code == 200
    assert CommitteeMeeting.objects.count() == before


def test_a_committee_meeting_of_an_earlier_year_keeps_its_date_when_changed(world, client_for):
    with time_machine.travel(NOV20, tick=False):
        home = hs(world)
        CommitteeMeeting.objects.filter(pk=home.meet_c1.pk).update(held_on=datetime.date(2025, 10, 15))
        response = client_for(world.head_teacher).post(
            reverse("home_school:committee_meeting_edit", args=[home.meet_c1.pk]),
            {"held_on": "2025-10-15", "title": "上学年例会（补记）"},
        )
    assert response.status_code == 302
    assert CommitteeMeeting.objects.get(pk=home.meet_c1.pk).title == "上学年例会（补记）"


def test_a_visit_is_not_recorded_as_done_tomorrow(world, client_for):
    from home_school.services import visits as visit_services

    with time_machine.travel(NOV20, tick=False):
        visit = visit_services.visit_plan(actor=world.head_teacher, school=world.school, term=world.term, student=world.child,
                                          teacher=world.head_teacher, planned_on=datetime.date(2026, 11, 20), method="visit")
        response = client_for(world.head_teacher).post(
            reverse("home_school:visit_record", args=[visit.pk]),
            {"done_on": "2026-11-21", "method": "visit", "family_situation": "三口之家", "discussed": "作业"},
        )
    assert response.status_code == 200
    assert HomeVisit.objects.get(pk=visit.pk).status == "planned"


# --- Free text -----------------------------------------------------------------------------


def test_a_million_characters_of_meeting_minutes_are_refused_with_a_message(world, client_for):
    meeting = schedule(world)
    with time_machine.travel(AFTER_START, tick=False):
        response = client_for(world.head_teacher).post(
            reverse("home_school:meeting_minutes", args=[meeting.pk]), {"minutes": "记" * 1_000_000}
        )
        assert response.status_code == 302
        assert str(MINUTES_MAX) in _messages(response)
        assert ParentMeeting.objects.get(pk=meeting.pk).minutes == ""
        # At the limit they are kept.
        client_for(world.head_teacher).post(reverse("home_school:meeting_minutes", args=[meeting.pk]), {"minutes": "记" * MINUTES_MAX})
    assert len(ParentMeeting.objects.get(pk=meeting.pk).minutes) == MINUTES_MAX


def test_bidirectional_controls_are_stripped_from_titles_and_from_what_families_are_told(world, client_for):
    with time_machine.travel(SCHEDULED_AT, tick=False):
        response = client_for(world.head_teacher).post(
            reverse("home_school:meeting_create"),
            {"school_class": world.class1.pk, "title": "\u202e期中\u202c家长会", "starts_at": "2026-11-25T19:00", "place": "教室\u2066"},
        )
    assert response.status_code == 302
    meeting = ParentMeeting.objects.get()
    assert (meeting.title, meeting.place) == ("期中家长会", "教室")
    note = Notification.objects.get(kind="home_school.meeting_scheduled")
    assert "\u202e" not in note.title and "\u2066" not in note.body


def test_an_article_longer_than_its_limit_is_refused(world, client_for, today):
    response = client_for(world.office).post(
        reverse("home_school:article_new"), {"title": "亲子阅读", "category": "family", "body": "文" * 30001}
    )
    assert response.status_code == 200
    assert not ParentSchoolArticle.objects.exists()


# --- Ids and query parameters ---------------------------------------------------------------


@pytest.mark.parametrize("value", ["9223372036854775808", "1" * 40, "-1"])
def test_an_id_the_database_cannot_hold_is_an_invalid_choice(world, client_for, today, value):
    response = client_for(world.head_teacher).post(
        reverse("home_school:notice_create"),
        {"title": "通知", "body": "内容", "scope": "classes", "classes": [value], "receipt_type": "read", "send_mode": "draft"},
    )
    assert response.status_code == 200 and not response.has_header("X-Refused-By")
    assert not Notice.objects.exists()


@pytest.mark.parametrize("month", ["0001-01", "9999-12", "2026-13", "10000-01", "x"])
def test_a_month_out_of_range_shows_this_month(world, client_for, today, month):
    response = client_for(world.head_teacher).get(reverse("home_school:participation_class", args=[world.class1.pk]), {"month": month})
    assert response.status_code == 200
    assert response.context["month"].start == datetime.date(2026, 11, 1)
