"""Parent meetings: scheduling, topics guardians propose and their credit,
replies, attendance on the day, minutes and follow-ups, and the reminder
the day before."""


import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.urls import reverse

from home_school.models import AgendaItem, FollowUpAction, MeetingAttendance, MeetingReply, ParentMeeting, TopicProposal
from home_school.services import meetings as services
from home_school.tasks import meetings as tasks
from notifications.models import Notification
from tests.concurrency import at_once, failures

from .meetings_support import (
    AFTER_CUTOFF,
    AFTER_START,
    BEFORE_CUTOFF,
    MEETING_DAY,
    REMINDER_RUN,
    SCHEDULED_AT,
    add_family,
    at,
    propose,
    schedule,
)


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _page(user, name, *args):
    response = _client(user).get(reverse(f"home_school:{name}", args=args))
    assert response.status_code == 200
    return response.content.decode()


# --- Scheduling ---------------------------------------------------------------------------


def test_head_teacher_schedules_a_meeting_for_own_class_and_its_families_are_told(world):
    with time_machine.travel(SCHEDULED_AT, tick=False):
        response = _client(world.head_teacher).post(
            reverse("home_school:meeting_create"),
            {"school_class": world.class1.pk, "title": "期中家长会", "starts_at": "2026-11-25T19:00", "place": "六(1)班教室",
             "topics_close_at": "2026-11-24T19:00"},
        )
    meeting = ParentMeeting.objects.get()
    assert response.status_code == 302 and response.url == reverse("home_school:meeting_detail", args=[meeting.pk])
    assert meeting.school_class == world.class1 and meeting.grade is None and meeting.term == world.term
    assert meeting.starts_at == at("2026-11-25 19:00")
    note = Notification.objects.get(kind="home_school.meeting_scheduled")
    assert note.recipient == world.parent and "期中家长会" in note.title
    assert not Notification.objects.filter(recipient=world.other_parent).exists()


def test_head_teacher_cannot_schedule_for_another_class_or_a_grade(world):
    with time_machine.travel(SCHEDULED_AT, tick=False):
        client = _client(world.head_teacher)
        page = client.get(reverse("home_school:meeting_create")).content.decode()
        response = client.post(
            reverse("home_school:meeting_create"),
            {"school_class": world.class2.pk, "audience": "grade", "grade": world.grade.pk, "title": "家长会",
             "starts_at": "2026-11-25T19:00", "place": "礼堂"},
        )
    assert "六(2)班" not in page and 'name="grade"' not in page
    assert response.status_code == 200 and not ParentMeeting.objects.exists()


def test_meeting_needs_a_place_or_a_link_and_a_time_to_come(world):
    with time_machine.travel(SCHEDULED_AT, tick=False):
        response = _client(world.head_teacher).post(
            reverse("home_school:meeting_create"),
            {"school_class": world.class1.pk, "title": "家长会", "starts_at": "2026-11-19T19:00"},
        )
    form = response.context["form"]
    assert "place" in form.errors and "starts_at" in form.errors
    assert not ParentMeeting.objects.exists()


def test_office_schedules_a_grade_meeting_that_both_classes_families_see(world):
    with time_machine.travel(SCHEDULED_AT, tick=False):
        response = _client(world.office).post(
            reverse("home_school:meeting_create"),
            {"audience": "grade", "grade": world.grade.pk, "title": "六年级家长会", "starts_at": "2026-11-25T19:00",
             "online_link": "https://meeting.example.cn/123"},
        )
    assert response.status_code == 302
    meeting = ParentMeeting.objects.get()
    assert meeting.grade == world.grade and meeting.school_class is None
    assert set(Notification.objects.values_list("recipient", flat=True)) == {world.parent.pk, world.other_parent.pk}
    assert meeting.topics_close_at == at("2026-11-24 19:00")  # one day before when left blank
    with time_machine.travel(BEFORE_CUTOFF, tick=False):
        for parent in (world.parent, world.other_parent):
            assert "六年级家长会" in _page(parent, "portal_meetings")
            assert "meeting.example.cn/123" in _page(parent, "portal_meeting", meeting.pk)
        assert "六年级家长会" not in _client(world.b.parent).get(reverse("home_school:portal_meetings")).content.decode()


def test_a_meeting_less_than_a_day_away_takes_topics_until_it_starts(world):
    meeting = schedule(world, starts_at=at("2026-11-20 19:00"), topics_close_at=None)
    assert meeting.topics_close_at == meeting.starts_at


def test_portal_lists_only_the_meetings_of_the_guardians_children(world):
    own = schedule(world, title="六一班家长会")
    schedule(world, actor=world.other_head_teacher, school_class=world.class2, title="六二班家长会")
    with time_machine.travel(BEFORE_CUTOFF, tick=False):
        page = _page(world.parent, "portal_meetings")
        assert "六一班家长会" in page and "六二班家长会" not in page
        assert _client(world.parent).get(reverse("home_school:portal_meeting", args=[own.pk + 1])).status_code == 404


# --- Topics guardians propose ---------------------------------------------------------------


def test_proposed_topic_accepted_shows_on_the_agenda_credited_to_the_child(world):
    meeting = schedule(world)
    classmate_parent = add_family(world, world.classmate, "周爸爸", "13900000005")
    with time_machine.travel(BEFORE_CUTOFF, tick=False):
        response = _client(world.parent).post(
            reverse("home_school:portal_meeting_propose", args=[meeting.pk]),
            {"student": world.child.pk, "topic": "作业量是否合适", "details": "孩子每晚十点后才睡，家里情况特殊"},
        )
        assert response.status_code == 302
        proposal = TopicProposal.objects.get()
        assert proposal.proposed_by == world.parent and proposal.status == TopicProposal.Status.PENDING
        # Waiting: nobody else's portal shows it; the head teacher sees it with its details.
        assert "作业量是否合适" not in _page(classmate_parent, "portal_meeting", meeting.pk)
        staff_page = _page(world.head_teacher, "meeting_detail", meeting.pk)
        assert "作业量是否合适" in staff_page and "家里情况特殊" in staff_page

        response = _client(world.head_teacher).post(
            reverse("home_school:meeting_proposal_decide", args=[proposal.pk]), {"decision": "accept", "title": "作业量是否合适"}
        )
        assert response.status_code == 302
        item = AgendaItem.objects.get()
        assert item.from_guardian and item.credited_name == "陈小雨" and item.proposal == proposal

        other_page = _page(classmate_parent, "portal_meeting", meeting.pk)
        agenda = other_page.split("<ol")[1].split("</ol>")[0]
        assert "作业量是否合适" in agenda and "陈小雨" in agenda
        # Only the topic and the credit: never the details, the proposer's name or phone.
        assert "家里情况特殊" not in other_page and "陈妈妈" not in other_page and "13900000001" not in other_page
    told = Notification.objects.get(recipient=world.parent, kind="home_school.meeting_topic_decided")
    assert "作业量是否合适" in told.body


def test_anonymous_topic_is_credited_to_a_parent_without_the_childs_name(world):
    meeting = schedule(world)
    classmate_parent = add_family(world, world.classmate, "周爸爸", "13900000005")
    proposal = propose(world, meeting, topic="手机使用时间", anonymous=True)
    with time_machine.travel(BEFORE_CUTOFF, tick=False):
        _client(world.head_teacher).post(reverse("home_school:meeting_proposal_decide", args=[proposal.pk]), {"decision": "accept"})
        item = AgendaItem.objects.get()
        assert item.from_guardian and item.credited_name == ""
        page = _page(classmate_parent, "portal_meeting", meeting.pk)
        assert "手机使用时间" in page and "陈小雨" not in page
        assert "Proposed by a parent" in page or "一位家长" in page
        # The proposer sees their own topic, marked anonymous.
        assert "手机使用时间" in _page(world.parent, "portal_meeting", meeting.pk)


def test_declined_topic_stays_with_the_family(world):
    meeting = schedule(world)
    classmate_parent = add_family(world, world.classmate, "周爸爸", "13900000005")
    proposal = propose(world, meeting, topic="换座位")
    with time_machine.travel(BEFORE_CUTOFF, tick=False):
        _client(world.head_teacher).post(reverse("home_school:meeting_proposal_decide", args=[proposal.pk]), {"decision": "decline"})
        proposal.refresh_from_db()
        assert proposal.status == TopicProposal.Status.DECLINED and proposal.decided_by == world.head_teacher
        assert not AgendaItem.objects.exists()
        assert "换座位" in _page(world.parent, "portal_meeting", meeting.pk)
        assert "换座位" not in _page(classmate_parent, "portal_meeting", meeting.pk)


def test_a_topic_is_decided_once(world):
    meeting = schedule(world)
    proposal = propose(world, meeting)
    proposal.meeting = meeting
    with time_machine.travel(BEFORE_CUTOFF, tick=False):
        assert services.proposal_decide(actor=world.head_teacher, proposal=proposal, accept=True) is not None
        again = TopicProposal.objects.get(pk=proposal.pk)
        again.meeting = meeting
        assert services.proposal_decide(actor=world.office, proposal=again, accept=True) is None
        assert services.proposal_decide(actor=world.office, proposal=again, accept=False) is None
    assert AgendaItem.objects.count() == 1
    assert TopicProposal.objects.get().status == TopicProposal.Status.ACCEPTED
    assert Notification.objects.filter(kind="home_school.meeting_topic_decided").count() == 1


def test_topics_close_at_the_cut_off(world):
    meeting = schedule(world)
    with time_machine.travel(AFTER_CUTOFF, tick=False):
        response = _client(world.parent).post(
            reverse("home_school:portal_meeting_propose", args=[meeting.pk]), {"student": world.child.pk, "topic": "晚了"}
        )
    assert response.status_code == 200 or response.status_code == 422
    assert not TopicProposal.objects.exists()


def test_a_family_proposes_at_most_three_topics(world):
    meeting = schedule(world)
    for n in range(3):
        propose(world, meeting, topic=f"议题{n}")
    with pytest.raises(Exception, match="3"):
        propose(world, meeting, topic="第四个")
    assert TopicProposal.objects.count() == 3


def test_guardian_cannot_propose_for_a_child_not_in_the_meeting(world):
    meeting = schedule(world)
    with time_machine.travel(BEFORE_CUTOFF, tick=False):
        response = _client(world.parent).post(
            reverse("home_school:portal_meeting_propose", args=[meeting.pk]), {"student": world.other_child.pk, "topic": "x"}
        )
    assert response.status_code == 422 and not TopicProposal.objects.exists()


def test_school_items_go_on_the_agenda_in_order(world):
    meeting = schedule(world)
    with time_machine.travel(BEFORE_CUTOFF, tick=False):
        client = _client(world.head_teacher)
        client.post(reverse("home_school:meeting_agenda_add", args=[meeting.pk]), {"title": "期中成绩分析"})
        client.post(reverse("home_school:meeting_agenda_add", args=[meeting.pk]), {"title": "安全教育"})
        page = _page(world.parent, "portal_meeting", meeting.pk)
    assert [i.title for i in AgendaItem.objects.order_by("position")] == ["期中成绩分析", "安全教育"]
    assert page.index("期中成绩分析") < page.index("安全教育")


# --- Replies ----------------------------------------------------------------------------------


def test_guardian_replies_and_may_change_it_until_the_meeting(world):
    meeting = schedule(world)
    url = reverse("home_school:portal_meeting_reply", args=[meeting.pk])
    with time_machine.travel(BEFORE_CUTOFF, tick=False):
        assert _client(world.parent).post(url, {"student": world.child.pk, "answer": "attend"}).status_code == 302
        assert MeetingReply.objects.get().answer == "attend"
    with time_machine.travel(AFTER_CUTOFF, tick=False):
        _client(world.parent).post(url, {"student": world.child.pk, "answer": "decline"})
    reply = MeetingReply.objects.get()
    assert reply.answer == "decline" and reply.answered_by == world.parent
    with time_machine.travel(AFTER_START, tick=False):
        _client(world.parent).post(url, {"student": world.child.pk, "answer": "attend"})
    assert MeetingReply.objects.get().answer == "decline"
    with time_machine.travel(BEFORE_CUTOFF, tick=False):
        response = _client(world.head_teacher).get(reverse("home_school:meeting_detail", args=[meeting.pk]))
    assert response.context["counts"] == {"families": 2, "attend": 0, "decline": 1, "no_reply": 1, "present": 0}


def test_both_guardians_of_a_child_share_one_reply(world):
    meeting = schedule(world)
    father = add_family(world, world.child, "陈爸爸", "13900000007")
    url = reverse("home_school:portal_meeting_reply", args=[meeting.pk])
    with time_machine.travel(BEFORE_CUTOFF, tick=False):
        _client(world.parent).post(url, {"student": world.child.pk, "answer": "attend"})
        _client(father).post(url, {"student": world.child.pk, "answer": "decline"})
    reply = MeetingReply.objects.get()
    assert reply.answer == "decline" and reply.answered_by == father


def test_guardian_cannot_reply_for_another_familys_child(world):
    meeting = schedule(world)
    with time_machine.travel(BEFORE_CUTOFF, tick=False):
        _client(world.parent).post(
            reverse("home_school:portal_meeting_reply", args=[meeting.pk]), {"student": world.classmate.pk, "answer": "decline"}
        )
    assert not MeetingReply.objects.exists()


# --- Attendance on the day ------------------------------------------------------------------------


def _mark(user, meeting, student, present=True, htmx=True):
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    return _client(user).post(
        reverse("home_school:meeting_attendance_mark", args=[meeting.pk]),
        {"student": student.pk, "present": "true" if present else "false"},
        **headers,
    )


def test_head_teacher_taps_families_present_on_the_day(world):
    meeting = schedule(world)
    with time_machine.travel(MEETING_DAY, tick=False):
        page = _page(world.head_teacher, "meeting_attendance", meeting.pk)
        assert "陈小雨" in page and "周子涵" in page and "吴浩然" not in page
        response = _mark(world.head_teacher, meeting, world.child)
        fragment = response.content.decode()
        assert response.status_code == 200 and 'aria-pressed="true"' in fragment
        assert 'id="present-count"' in fragment and 'hx-swap-oob="true">1<' in fragment
    mark = MeetingAttendance.objects.get()
    assert mark.present and mark.guardian == world.parent_guardian and mark.marked_by == world.head_teacher
    assert mark.marked_at == at("2026-11-25 18:30")
    with time_machine.travel(AFTER_START, tick=False):
        _mark(world.head_teacher, meeting, world.child, present=False)
    mark = MeetingAttendance.objects.get()  # corrected in place, never deleted
    assert not mark.present and mark.marked_at == at("2026-11-25 20:30")


def test_attendance_is_not_taken_before_the_day(world):
    meeting = schedule(world)
    with time_machine.travel(AFTER_CUTOFF, tick=False):
        response = _mark(world.head_teacher, meeting, world.child)
        assert response.status_code == 200 and "role=\"alert\"" in response.content.decode()
        assert _mark(world.head_teacher, meeting, world.child, htmx=False).status_code == 302
    assert not MeetingAttendance.objects.exists()


def test_attendance_credits_the_guardian_who_said_they_would_come(world):
    meeting = schedule(world)
    father = add_family(world, world.child, "陈爸爸", "13900000007")
    with time_machine.travel(BEFORE_CUTOFF, tick=False):
        services.meeting_reply(actor=father, meeting=meeting, student=world.child, answer="attend")
    with time_machine.travel(MEETING_DAY, tick=False):
        _mark(world.head_teacher, meeting, world.child)
    assert MeetingAttendance.objects.get().guardian.user == father


def test_grade_meeting_head_teacher_marks_only_own_class(world):
    meeting = schedule(world, actor=world.office, grade=world.grade)
    with time_machine.travel(MEETING_DAY, tick=False):
        page = _page(world.head_teacher, "meeting_attendance", meeting.pk)
        assert "陈小雨" in page and "吴浩然" not in page
        _mark(world.head_teacher, meeting, world.other_child)
        assert not MeetingAttendance.objects.exists()
        office_page = _page(world.office, "meeting_attendance", meeting.pk)
        assert "陈小雨" in office_page and "吴浩然" in office_page
        _mark(world.other_head_teacher, meeting, world.other_child)
        # A head teacher sees the grade meeting but does not run it.
        assert _client(world.head_teacher).post(
            reverse("home_school:meeting_agenda_add", args=[meeting.pk]), {"title": "x"}
        ).status_code == 403
    assert MeetingAttendance.objects.get().student == world.other_child


# --- Minutes and follow-ups --------------------------------------------------------------------------


def test_minutes_and_follow_ups_are_written_after_the_meeting_starts(world):
    meeting = schedule(world)
    minutes_url = reverse("home_school:meeting_minutes", args=[meeting.pk])
    follow_url = reverse("home_school:meeting_followup_add", args=[meeting.pk])
    follow = {"text": "建立家长读书群", "owner": world.head_teacher.pk, "due_on": "2026-12-05"}
    with time_machine.travel(BEFORE_CUTOFF, tick=False):
        client = _client(world.head_teacher)
        client.post(minutes_url, {"minutes": "太早"})
        client.post(follow_url, follow)
    meeting.refresh_from_db()
    assert meeting.minutes == "" and not FollowUpAction.objects.exists()
    # A new login: a staff session ends after 30 idle minutes.
    with time_machine.travel(AFTER_START, tick=False):
        client = _client(world.head_teacher)
        client.post(minutes_url, {"minutes": "到会家长 30 人，讨论了作业量。"})
        client.post(follow_url, follow)
        action = FollowUpAction.objects.get()
        client.post(reverse("home_school:meeting_followup_done", args=[action.pk]), {"done": "on"})
        page = _page(world.head_teacher, "meeting_detail", meeting.pk)
        portal = _page(world.parent, "portal_meeting", meeting.pk)
    meeting.refresh_from_db()
    action.refresh_from_db()
    assert meeting.minutes.startswith("到会家长") and meeting.minutes_saved_at == at("2026-11-25 20:30")
    assert action.owner == world.head_teacher and action.is_done and str(action.due_on) == "2026-12-05"
    assert "建立家长读书群" in page and "到会家长" in page
    # Minutes and follow-ups are the school's working notes, not the portal's.
    assert "到会家长" not in portal and "建立家长读书群" not in portal
    with time_machine.travel(AFTER_START, tick=False):
        client.post(reverse("home_school:meeting_followup_done", args=[action.pk]), {})
    action.refresh_from_db()
    assert not action.is_done


def test_follow_up_owner_must_be_school_staff(world):
    meeting = schedule(world)
    with time_machine.travel(AFTER_START, tick=False):
        _client(world.head_teacher).post(
            reverse("home_school:meeting_followup_add", args=[meeting.pk]),
            {"text": "x", "owner": world.parent.pk, "due_on": "2026-12-05"},
        )
    assert not FollowUpAction.objects.exists()


# --- The reminder the day before ------------------------------------------------------------------------


def test_reminder_the_day_before_reaches_only_families_who_did_not_decline_once(world):
    meeting = schedule(world)
    schedule(world, title="下周家长会", starts_at=at("2026-12-02 19:00"), topics_close_at=at("2026-12-01 19:00"))
    classmate_parent = add_family(world, world.classmate, "周爸爸", "13900000005")
    with time_machine.travel(BEFORE_CUTOFF, tick=False):
        services.meeting_reply(actor=classmate_parent, meeting=meeting, student=world.classmate, answer="decline")
    with time_machine.travel(REMINDER_RUN, tick=False):
        assert services.meeting_reminders_send(school=world.school, meeting_day=at("2026-11-25 00:00").date()) == 1
        assert services.meeting_reminders_send(school=world.school, meeting_day=at("2026-11-25 00:00").date()) == 0
    reminders = Notification.objects.filter(kind="home_school.meeting_reminder")
    assert list(reminders.values_list("recipient", flat=True)) == [world.parent.pk]
    reminder = reminders.get()
    assert "期中家长会" in reminder.title and "19:00" in reminder.body
    assert reminder.link == reverse("home_school:portal_meeting", args=[meeting.pk])
    assert "下周家长会" not in reminder.title


def test_reminder_reaches_a_family_who_said_they_will_attend(world):
    meeting = schedule(world)
    with time_machine.travel(BEFORE_CUTOFF, tick=False):
        services.meeting_reply(actor=world.parent, meeting=meeting, student=world.child, answer="attend")
    with time_machine.travel(REMINDER_RUN, tick=False):
        assert services.meeting_reminders_send(school=world.school, meeting_day=at("2026-11-25 00:00").date()) == 1


def test_reminder_task_fans_out_per_school_and_run_twice_sends_once(world, settings):
    schedule(world)
    from config.celery import app

    app.conf.task_always_eager = True
    try:
        with time_machine.travel(REMINDER_RUN, tick=False):
            tasks.meeting_reminders()
            tasks.meeting_reminders()
    finally:
        app.conf.task_always_eager = False
    assert Notification.objects.filter(kind="home_school.meeting_reminder", recipient=world.parent).count() == 1
    assert Notification.objects.filter(kind="home_school.meeting_reminder").count() == 1


@pytest.mark.django_db(transaction=True)
def test_reminder_on_two_workers_at_once_sends_once(world):
    if connection.vendor != "postgresql":
        pytest.skip("needs two PostgreSQL connections")
    schedule(world)
    for n in range(8):
        from tests import factories as f

        student = f.StudentFactory(school=world.school)
        f.EnrollmentFactory(student=student, school_class=world.class1)
        add_family(world, student, f"家长{n}", f"1370000000{n}")
    def worker():
        with time_machine.travel(REMINDER_RUN, tick=False):
            return services.meeting_reminders_send(school=world.school, meeting_day=at("2026-11-25 00:00").date())

    results = at_once(worker, worker)
    assert not failures(results)
    # Each worker's count may include the other's rows (notify counts the
    # rows that exist after its insert); what is stored is what counts.
    assert all(r <= 9 for r in results)
    assert Notification.objects.filter(kind="home_school.meeting_reminder").count() == 9


def test_meeting_schedule_definitions_are_daily_evening_jobs_that_expire_the_same_day():
    from config.celery import app

    assert [s["task"] for s in tasks.MEETING_SCHEDULES] == ["home_school.meeting_reminders"]
    schedule_ = tasks.MEETING_SCHEDULES[0]
    assert schedule_["cron"]["hour"] == "18" and schedule_["cron"]["minute"] == "0"
    assert schedule_["cron"]["day_of_week"] == "*"
    assert schedule_["expires_seconds"] < 6 * 3600  # never after 24:00, when "tomorrow" would be wrong
    app.loader.import_default_modules()
    assert "home_school.meeting_reminders" in app.tasks and "home_school.meeting_reminders_for_school" in app.tasks


def test_pages_have_no_inline_script_or_style(world):
    import re

    meeting = schedule(world)
    from .meetings_support import plan_visit

    visit = plan_visit(world)
    with time_machine.travel(MEETING_DAY, tick=False):
        staff = _client(world.head_teacher)
        office = _client(world.office)
        parent = _client(world.parent)
        pages = [
            staff.get(reverse("home_school:meeting_list")),
            staff.get(reverse("home_school:meeting_create")),
            staff.get(reverse("home_school:meeting_detail", args=[meeting.pk])),
            staff.get(reverse("home_school:meeting_attendance", args=[meeting.pk])),
            staff.get(reverse("home_school:visit_list")),
            staff.get(reverse("home_school:visit_plan")),
            staff.get(reverse("home_school:visit_record", args=[visit.pk])),
            office.get(reverse("home_school:visit_supervisors")),
            parent.get(reverse("home_school:portal_meetings")),
            parent.get(reverse("home_school:portal_meeting", args=[meeting.pk])),
            parent.get(reverse("home_school:portal_visits")),
        ]
    for response in pages:
        assert response.status_code == 200
        html = response.content.decode()
        assert ' style="' not in html, response.request["PATH_INFO"]
        assert not re.search(r"<script(?![^>]*\bsrc=)", html), response.request["PATH_INFO"]
