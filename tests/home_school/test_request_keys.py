"""Exactly once on home_school's pages (core.idempotency): a double tap
writes once, two different actions both write, the attendance tap list
gets a new key with every answer, "send now" notifies each guardian once,
and an anonymous writer's code is never kept with the stored answer."""

import re
import uuid

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse

from core.models import RequestKey
from home_school.models import MeetingAttendance, NoticeReceipt, Suggestion
from home_school.services import suggestions as suggestion_services
from notifications.models import Notification

from .meetings_support import MEETING_DAY, schedule
from .notices_support import NOV20, make_notice

KEY = re.compile(r'name="request_key" value="([0-9a-f-]{36})"')


def _keys(html: str) -> list[str]:
    return KEY.findall(html)


# --- The attendance tap list ------------------------------------------------------------------


def test_each_tap_answers_with_a_card_holding_a_new_key(world, client_for):
    meeting = schedule(world)
    client = client_for(world.head_teacher)
    with time_machine.travel(MEETING_DAY, tick=False):
        page = client.get(reverse("home_school:meeting_attendance", args=[meeting.pk])).content.decode()
        keys = _keys(page)
        # One key per family card (陈小雨, 周子涵), each its own form.
        assert len(keys) == len(set(keys)) == 2
        url = reverse("home_school:meeting_attendance_mark", args=[meeting.pk])
        tap = {"student": world.child.pk, "present": "true", "request_key": keys[0]}
        first = client.post(url, tap, headers={"HX-Request": "true"})
        again = client.post(url, tap, headers={"HX-Request": "true"})  # a double tap
        assert again["X-Request-Replayed"] == "1" and again.content == first.content
        mark = MeetingAttendance.objects.get(meeting=meeting, student=world.child)
        assert mark.present
        (next_key,) = _keys(first.content.decode())
        assert next_key not in keys
        # The next tap on the card (undo) sends the new key and is written.
        client.post(url, {"student": world.child.pk, "present": "false", "request_key": next_key}, headers={"HX-Request": "true"})
    assert not MeetingAttendance.objects.get(pk=mark.pk).present
    assert RequestKey.objects.filter(actor=world.head_teacher).count() == 2


# --- Notices ------------------------------------------------------------------------------------


def test_send_now_posted_from_two_tabs_notifies_each_guardian_once(world, client_for):
    with time_machine.travel(NOV20, tick=False):
        notice = make_notice(world, send_now=False)
        client = client_for(world.head_teacher)
        url = reverse("home_school:notice_send", args=[notice.pk])
        keys = _keys(client.get(reverse("home_school:notice_detail", args=[notice.pk])).content.decode())
        assert len(keys) == 2  # send, cancel
        first = client.post(url, {"request_key": keys[0]})
        replay = client.post(url, {"request_key": keys[0]})
        other_tab = client.post(url, {"request_key": str(uuid.uuid4())})
    assert first.status_code == replay.status_code == other_tab.status_code == 302
    assert replay["X-Request-Replayed"] == "1" and not other_tab.has_header("X-Request-Replayed")
    assert NoticeReceipt.objects.filter(notice=notice).count() == 2
    assert Notification.objects.filter(kind="home_school.notice", recipient=world.parent).count() == 1


def test_a_form_refused_for_its_input_can_be_corrected_and_sent_with_the_same_key(world, client_for):
    with time_machine.travel(NOV20, tick=False):
        client = client_for(world.parent)
        meeting = schedule(world)
        key = str(uuid.uuid4())
        url = reverse("home_school:portal_meeting_propose", args=[meeting.pk])
        assert client.post(url, {"student": world.child.pk, "topic": "", "request_key": key}).status_code == 422
        assert client.post(url, {"student": world.child.pk, "topic": "午休安排", "request_key": key}).status_code == 302


# --- The anonymous suggestion's code ---------------------------------------------------------


@pytest.fixture
def no_quota():
    cache.clear()
    yield
    cache.clear()


def _code_on(page) -> str:
    return page.split('user-select-all border rounded py-2"', 1)[1].split(">", 1)[1].split("<", 1)[0].strip()


def test_an_anonymous_code_is_never_stored_and_a_repeat_shows_the_same_code(world, client_for, no_quota):
    client = client_for(world.parent)
    url = reverse("home_school:portal_suggestion_new")
    body = {"to": f"class:{world.class1.pk}", "body": "班级群里有人发广告", "anonymous": "on", "request_key": str(uuid.uuid4())}
    with time_machine.travel(NOV20, tick=False):
        first = client.post(url, body)
        again = client.post(url, body)  # a double tap
    code = _code_on(first.content.decode())
    assert Suggestion.objects.get().code_hash == suggestion_services.code_hash(code)
    # The stored answer names nobody (exactly_once(anonymous=True)) and keeps the day only.
    assert not RequestKey.objects.filter(actor=world.parent).exists()
    stored = RequestKey.objects.get(action__endswith="portal_suggestion_new")
    assert stored.actor_id is None and stored.school_id is None and str(stored.key) != body["request_key"]
    # No page is kept (it would show the guardian's name and inbox), let alone the code.
    assert stored.body == "" and stored.messages == []
    # The repeat writes nothing and shows the same code again: the writer of a
    # double tap, or of a retry after a lost answer, still gets it.
    assert _code_on(again.content.decode()) == code
    assert Suggestion.objects.count() == 1
    assert "no-store" in first["Cache-Control"] and "no-store" in again["Cache-Control"]


def test_another_key_cannot_show_someone_elses_code(world, client_for, no_quota):
    url = reverse("home_school:portal_suggestion_new")
    body = {"to": f"class:{world.class1.pk}", "body": "建议", "anonymous": "on", "request_key": str(uuid.uuid4())}
    with time_machine.travel(NOV20, tick=False):
        code = _code_on(client_for(world.parent).post(url, body).content.decode())
        # The other guardian sends the very same request (same key): it is theirs, a new suggestion with its own code.
        other = client_for(world.other_parent).post(url, {**body, "to": f"class:{world.class2.pk}"})
    assert _code_on(other.content.decode()) != code
    assert Suggestion.objects.count() == 2


@pytest.mark.without_request_key
def test_repeats_of_a_named_suggestion_do_not_use_up_the_daily_limit(world, client_for, no_quota):
    """A phone retrying one suggestion four times sends one suggestion; the
    day's limit (counted in the cache, which no rollback undoes) must not
    refuse the guardian's next one."""
    client = client_for(world.parent)
    url = reverse("home_school:portal_suggestion_new")
    body = {"to": f"class:{world.class1.pk}", "body": "希望增加课间活动时间", "request_key": str(uuid.uuid4())}
    answers = [client.post(url, body) for _ in range(5)]

    assert Suggestion.objects.count() == 1 and len({a.status_code for a in answers}) == 1
    other = client.post(url, {**body, "body": "希望午餐多一些蔬菜", "request_key": str(uuid.uuid4())})
    assert other.status_code == 302, other.content.decode()[:300]
    assert Suggestion.objects.count() == 2
