"""Conversations, read receipts, notifications and office hours."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from home_school.models import Conversation, ConversationRead, OfficeHours
from home_school.selectors import messaging as selectors
from home_school.services import messaging as services
from notifications.models import Notification
from students.models import Guardianship
from tests.factories import GuardianFactory, GuardianshipFactory, MembershipFactory, StudentFactory

from .messaging_fixtures import conversations, start  # noqa: F401

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def _second_guardian(world, name="陈爸爸"):
    guardian = GuardianFactory(school=world.school, name=name)
    GuardianshipFactory(school=world.school, student=world.child, guardian=guardian, relationship="father")
    MembershipFactory(user=guardian.user, school=world.school, role="guardian")
    return guardian


def _send(conversation, author, body="好的"):
    return services.message_send(school=conversation.school, conversation=conversation, author=author, body=body)


# --- Conversations ------------------------------------------------------------------


def test_one_conversation_per_student_and_teacher(world):
    first, _ = start(world, teacher=world.head_teacher, student=world.child)
    second, _ = start(world, teacher=world.head_teacher, student=world.child, body="再说一句")
    assert first.pk == second.pk
    assert Conversation.objects.count() == 1
    assert first.messages.count() == 2


def test_student_without_guardians_cannot_be_written_about(world):
    with pytest.raises(ValidationError):
        start(world, teacher=world.head_teacher, student=world.classmate)
    assert not Conversation.objects.exists()


def test_refused_first_message_leaves_no_empty_conversation(world):
    with pytest.raises(ValidationError):
        start(world, teacher=world.head_teacher, student=world.child, body="", files=[("x.svg", b"<svg/>")])
    assert not Conversation.objects.exists()


def test_guardian_added_later_reads_the_whole_history(world, conversations, client_for):  # noqa: F811
    newcomer = _second_guardian(world)
    response = client_for(newcomer.user).get(reverse("home_school:portal_conversation", args=[conversations.own.pk]))
    assert response.status_code == 200
    assert "你好" in response.content.decode()
    assert (
        client_for(newcomer.user)
        .get(reverse("home_school:attachment_download", args=[conversations.own_attachment.pk]))
        .status_code
        == 200
    )


def test_guardian_removed_loses_access_at_once(world, conversations, client_for):  # noqa: F811
    client = client_for(world.parent)
    url = reverse("home_school:portal_conversation", args=[conversations.own.pk])
    assert client.get(url).status_code == 200
    Guardianship.objects.filter(student=world.child, guardian=world.parent_guardian).delete()
    assert client.get(url).status_code == 404
    assert client.get(reverse("home_school:attachment_download", args=[conversations.own_attachment.pk])).status_code == 404


def test_conversation_closes_when_the_teacher_no_longer_teaches_the_student(world, conversations, client_for):  # noqa: F811
    world.child.enrollments.update(end_date=datetime.date(2026, 10, 1))
    client = client_for(world.parent)
    url = reverse("home_school:portal_conversation", args=[conversations.own.pk])
    response = client.get(url)
    assert response.status_code == 200  # still readable
    assert 'enctype="multipart/form-data"' not in response.content.decode()
    assert client.post(url, {"body": "在吗"}).status_code == 403


def test_guardian_may_start_only_with_the_head_teacher(world, client_for):
    client = client_for(world.parent)
    response = client.post(reverse("home_school:portal_conversation_start", args=[world.child.pk]), {"body": "王老师好"})
    conversation = Conversation.objects.get()
    assert response["Location"] == reverse("home_school:portal_conversation", args=[conversation.pk])
    assert conversation.teacher == world.head_teacher and conversation.started_by == world.parent


# --- Read receipts ------------------------------------------------------------------------


def test_opening_a_conversation_records_the_read(world, conversations, client_for):  # noqa: F811
    message = conversations.own.messages.get()
    assert not ConversationRead.objects.filter(user=world.parent).exists()
    client_for(world.parent).get(reverse("home_school:portal_conversation", args=[conversations.own.pk]))
    read = ConversationRead.objects.get(conversation=conversations.own, user=world.parent)
    assert read.last_read_message_id == message.pk and read.school == world.school


def test_teacher_sees_who_has_read_each_message(world, conversations, client_for):  # noqa: F811
    second = _second_guardian(world)
    teacher = client_for(world.head_teacher)
    url = reverse("home_school:conversation_detail", args=[conversations.own.pk])
    page = teacher.get(url).content.decode()
    assert "陈妈妈" not in page.split("read-receipts")[1]
    client_for(world.parent).get(reverse("home_school:portal_conversation", args=[conversations.own.pk]))
    receipts = teacher.get(url).content.decode().split("read-receipts")[1].split("</div>")[0]
    assert "陈妈妈" in receipts and second.name not in receipts


def test_read_receipts_per_message(world, conversations):  # noqa: F811
    conversation = conversations.own
    first = conversation.messages.get()
    services.conversation_mark_read(school=world.school, conversation=conversation, user=world.parent, message_id=first.pk)
    second = _send(conversation, world.head_teacher, "第二条")
    thread, _ = selectors.conversation_messages(conversation, world.school)
    members = selectors.conversation_members(conversation, world.school)
    selectors.attach_read_receipts(thread, members, selectors.read_positions(conversation))
    by_id = {m.pk: m for m in thread}
    assert by_id[first.pk].read_by == ["陈妈妈"]
    assert by_id[second.pk].read_by == []
    assert by_id[second.pk].author_name == "王老师"


def test_reads_only_move_forward(world, conversations):  # noqa: F811
    conversation = conversations.own
    first = conversation.messages.get()
    second = _send(conversation, world.head_teacher)
    services.conversation_mark_read(school=world.school, conversation=conversation, user=world.parent, message_id=second.pk)
    changed = services.conversation_mark_read(
        school=world.school, conversation=conversation, user=world.parent, message_id=first.pk
    )
    assert changed is False
    assert ConversationRead.objects.get(conversation=conversation, user=world.parent).last_read_message_id == second.pk


def test_author_has_read_their_own_message(world, conversations):  # noqa: F811
    message = _send(conversations.own, world.parent, "收到")
    assert ConversationRead.objects.get(conversation=conversations.own, user=world.parent).last_read_message_id == message.pk


# --- Notifications ----------------------------------------------------------------------------


def test_teacher_message_notifies_every_guardian_once(world, conversations):  # noqa: F811
    second = _second_guardian(world)
    message = _send(conversations.own, world.head_teacher, "明天春游，请带水")
    key = f"home_school.message:message={message.pk}"
    rows = Notification.objects.filter(dedupe_key=key)
    assert sorted(rows.values_list("recipient_id", flat=True)) == sorted([world.parent.pk, second.user_id])
    row = rows.get(recipient=world.parent)
    assert row.kind == "home_school.message"
    assert row.link == reverse("home_school:portal_conversation", args=[conversations.own.pk])
    assert "明天春游" in row.body and "陈小雨" in row.title
    assert not Notification.objects.filter(recipient=world.head_teacher).exists()
    # A retry sends nothing more.
    again = services._notify_message(
        school=world.school, conversation=conversations.own, message=message, has_files=False, teacher_read_before=0
    )
    assert again == 0 and rows.count() == 2


def test_guardian_messages_ring_the_teacher_once_until_read(world, conversations, client_for):  # noqa: F811
    own = conversations.own
    _send(own, world.parent, "王老师好")
    _send(own, world.parent, "孩子今天发烧了")
    _send(own, world.parent, "请假一天")
    teacher_rows = Notification.objects.filter(recipient=world.head_teacher)
    assert teacher_rows.count() == 1
    row = teacher_rows.get()
    assert row.link == reverse("home_school:conversation_detail", args=[own.pk])
    assert "陈妈妈" in row.title
    client_for(world.head_teacher).get(row.link)  # the teacher reads
    _send(own, world.parent, "谢谢")
    assert teacher_rows.count() == 2
    # Guardians are not told about each other's messages.
    assert not Notification.objects.filter(recipient=world.parent, dedupe_key__startswith="home_school.message.unread").exists()


def test_inactive_guardian_gets_no_notification(world, conversations):  # noqa: F811
    world.parent.is_active = False
    world.parent.save(update_fields=["is_active"])
    message = _send(conversations.own, world.head_teacher)
    assert not Notification.objects.filter(
        recipient=world.parent, dedupe_key=f"home_school.message:message={message.pk}"
    ).exists()


# --- Office hours ----------------------------------------------------------------------------


def _weekdays(world, teacher, start=datetime.time(16, 0), end=datetime.time(17, 30)):
    services.office_hours_set(school=world.school, teacher=teacher, spans=[(d, start, end) for d in range(5)])


def _at(text):
    return datetime.datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        ("2026-11-20 20:00", "2026-11-23 16:00"),  # Friday evening → Monday
        ("2026-11-21 10:00", "2026-11-23 16:00"),  # Saturday → Monday
        ("2026-11-18 09:00", "2026-11-18 16:00"),  # Wednesday morning → that afternoon
        ("2026-11-18 17:30", "2026-11-19 16:00"),  # the end is outside: tomorrow
        ("2026-11-18 16:30", None),  # inside office hours
        ("2026-11-18 16:00", None),
    ],
)
def test_next_office_hours_start(world, now, expected):
    _weekdays(world, world.head_teacher)
    with time_machine.travel(_at(now), tick=False):
        got = selectors.answer_expected_at(world.head_teacher, world.school)
    assert got == (_at(expected) if expected else None)


def test_next_office_hours_a_week_ahead(world):
    services.office_hours_set(
        school=world.school, teacher=world.head_teacher, spans=[(2, datetime.time(12, 0), datetime.time(13, 0))]
    )
    with time_machine.travel(_at("2026-11-18 14:00"), tick=False):  # Wednesday, after the only span
        assert selectors.answer_expected_at(world.head_teacher, world.school) == _at("2026-11-25 12:00")


def test_utc_midnight_is_local_morning(world):
    _weekdays(world, world.head_teacher, datetime.time(7, 0), datetime.time(8, 0))
    # 2026-11-19 23:30 UTC is Friday 07:30 in Shanghai: inside office hours.
    with time_machine.travel(datetime.datetime(2026, 11, 19, 23, 30, tzinfo=datetime.UTC), tick=False):
        assert selectors.answer_expected_at(world.head_teacher, world.school) is None


def test_no_office_hours_no_expectation(world):
    with time_machine.travel(_at("2026-11-20 23:00"), tick=False):
        assert selectors.answer_expected_at(world.head_teacher, world.school) is None


def test_office_hours_refuse_overlaps_and_backwards_spans(world):
    t = datetime.time
    with pytest.raises(ValidationError):
        services.office_hours_set(school=world.school, teacher=world.head_teacher, spans=[(0, t(17), t(16))])
    with pytest.raises(ValidationError):
        services.office_hours_set(school=world.school, teacher=world.head_teacher, spans=[(0, t(16), t(18)), (0, t(17), t(19))])
    assert not OfficeHours.objects.exists()


def test_office_hours_replace_and_repeat(world):
    _weekdays(world, world.head_teacher)
    _weekdays(world, world.head_teacher)
    assert OfficeHours.objects.filter(teacher=world.head_teacher).count() == 5
    services.office_hours_set(school=world.school, teacher=world.head_teacher, spans=[])
    assert not OfficeHours.objects.exists()


def test_guardian_writing_outside_office_hours_is_told_when_to_expect_an_answer(world, conversations, client_for):  # noqa: F811
    from home_school.templatetags.home_school_messaging import answer_time

    _weekdays(world, world.head_teacher)
    client = client_for(world.parent)
    url = reverse("home_school:portal_conversation", args=[conversations.own.pk])
    with time_machine.travel(_at("2026-11-20 20:00"), tick=False):
        note = client.get(url).content.decode()
        when = answer_time(_at("2026-11-23 16:00"))
        assert when in note.split("compose-form")[0]  # the note above the compose box
        response = client.post(url, {"body": "孩子明天请假"}, follow=True)
    page = response.content.decode()
    assert page.count(when) == 2  # the message right after sending, and the note above the compose box


def test_guardian_writing_inside_office_hours_gets_no_waiting_note(world, conversations, client_for):  # noqa: F811
    from home_school.templatetags.home_school_messaging import answer_time

    _weekdays(world, world.head_teacher)
    with time_machine.travel(_at("2026-11-20 16:30"), tick=False):
        response = client_for(world.parent).post(
            reverse("home_school:portal_conversation", args=[conversations.own.pk]), {"body": "在吗"}, follow=True
        )
    assert answer_time(_at("2026-11-23 16:00")) not in response.content.decode()


def test_office_hours_page_saves_rows(world, client_for):
    client = client_for(world.subject_teacher)
    url = reverse("home_school:office_hours")
    data = {
        "form-TOTAL_FORMS": "2",
        "form-INITIAL_FORMS": "0",
        "form-0-weekday": "1",
        "form-0-start_time": "15:30",
        "form-0-end_time": "16:30",
        "form-1-weekday": "",
        "form-1-start_time": "",
        "form-1-end_time": "",
    }
    assert client.post(url, data).status_code == 302
    row = OfficeHours.objects.get(teacher=world.subject_teacher)
    assert (row.weekday, row.start_time, row.end_time, row.school) == (
        1,
        datetime.time(15, 30),
        datetime.time(16, 30),
        world.school,
    )
    data["form-0-end_time"] = "15:00"
    response = client.post(url, data)
    assert response.status_code == 200
    assert OfficeHours.objects.get(teacher=world.subject_teacher).end_time == datetime.time(16, 30)


def test_other_schools_student_cannot_be_messaged_through_the_service_guard(world):
    other = StudentFactory(school=world.b.school)
    with pytest.raises(ValidationError):
        services.conversation_start(
            school=world.school, student=other, teacher=world.head_teacher, started_by=world.head_teacher, body="x"
        )


def test_office_hours_read_as_one_line(world):
    from django.utils import translation

    from home_school.templatetags.home_school_messaging import office_hours_text

    t = datetime.time
    spans = [(d, t(16), t(17, 30)) for d in range(5)] + [(5, t(9), t(10)), (6, t(9), t(10)), (2, t(12), t(12, 30))]
    services.office_hours_set(school=world.school, teacher=world.head_teacher, spans=spans)
    with translation.override("en"):
        text = office_hours_text(selectors.office_hours_of(world.head_teacher, world.school))
    assert text == "Monday–Friday 16:00–17:30; Wednesday 12:00–12:30; Saturday, Sunday 09:00–10:00"
