"""The suggestion box: anonymous suggestions keep no link to the writer,
the one-time code opens the reply (typed again for every view), the
daily limit, and who reads and answers what."""

import datetime

import pytest
import time_machine
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from accounts.models import AuditEvent
from home_school.models import Suggestion, SuggestionReply
from home_school.services import suggestions as services
from notifications.models import Notification

from .committee_support import NOV20, TODAY, hs

pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def frozen():
    cache.clear()
    with time_machine.travel(NOV20, tick=False):
        yield
    cache.clear()


def _write_anonymously(client, world, body="班级群里有人发广告，希望老师管理一下", to=None):
    return client.post(
        reverse("home_school:portal_suggestion_new"),
        {"to": to or f"class:{world.class1.pk}", "body": body, "anonymous": "on"},
    )


def test_an_anonymous_suggestion_stores_no_link_to_the_writer(world, client_for):
    client = client_for(world.parent)
    audit_before, notes_before = AuditEvent.objects.count(), Notification.objects.count()
    response = _write_anonymously(client, world)
    assert response.status_code == 200  # shown at once, not through a redirect
    assert "no-store" in response["Cache-Control"]
    row = Suggestion.objects.get()
    # The model has no other fields than these: no time of day, no child, no IP.
    assert {f.name for f in Suggestion._meta.concrete_fields} == {
        "id", "school", "recipient", "school_class", "is_anonymous", "writer", "written_on", "body", "code_hash",
    }
    assert not any(isinstance(f, models.DateTimeField) for f in Suggestion._meta.concrete_fields)
    assert {f.related_model._meta.label for f in Suggestion._meta.concrete_fields if f.is_relation} == {
        "classes.School", "classes.SchoolClass", "accounts.User",
    }
    assert row.is_anonymous and row.writer_id is None
    assert row.written_on == TODAY and row.school_class == world.class1
    # Nothing else recorded the writer: no audit row, no notification.
    assert AuditEvent.objects.count() == audit_before and Notification.objects.count() == notes_before
    # The code is in the page once; the row keeps only its hash.
    page = response.content.decode()
    code = page.split('user-select-all border rounded py-2"', 1)[1].split(">", 1)[1].split("<", 1)[0].strip()
    assert len(services.code_normalise(code)) == services.CODE_LENGTH
    assert row.code_hash == services.code_hash(code) and code not in str(row.__dict__)
    # …and nowhere in the session (no message carries it either).
    session = client.session
    assert code not in str(dict(session.items())) and services.code_normalise(code) not in str(dict(session.items()))
    assert code not in str(response.cookies)


def test_the_code_opens_the_reply_for_each_view_and_only_then(world, client_for):
    client = client_for(world.parent)
    page = _write_anonymously(client, world).content.decode()
    code = page.split('user-select-all border rounded py-2"', 1)[1].split(">", 1)[1].split("<", 1)[0].strip()
    suggestion = Suggestion.objects.get()
    services.suggestion_reply(actor=world.head_teacher, suggestion=suggestion, body="已提醒家长群群主，谢谢提醒")
    assert not Notification.objects.filter(kind="home_school.suggestion.replied").exists()  # nobody to tell
    url = reverse("home_school:portal_suggestion_code")
    # Not in the writer's list, not reachable by id, not remembered.
    assert "班级群里有人发广告" not in client.get(reverse("home_school:portal_suggestion_list")).content.decode()
    assert client.get(reverse("home_school:portal_suggestion_detail", args=[suggestion.pk])).status_code == 404
    for typed in (code, code.lower().replace("-", " ")):
        shown = client.post(url, {"code": typed})
        assert "已提醒家长群群主" in shown.content.decode() and "no-store" in shown["Cache-Control"]
        assert "已提醒家长群群主" not in client.get(url).content.decode()
    wrong = client.post(url, {"code": "AAAA-BBBB-CCCC"}).content.decode()
    assert "已提醒家长群群主" not in wrong
    # The code is the key, not the account: another guardian with it reads it too (and nobody else).
    assert "已提醒家长群群主" in client_for(world.other_parent).post(url, {"code": code}).content.decode()
    # Another school's guardian cannot open it even with the code.
    assert "已提醒家长群群主" not in client_for(world.b.parent).post(url, {"code": code}).content.decode()


def test_at_most_five_a_day_per_guardian(world, client_for):
    for i in range(services.DAILY_LIMIT):
        services.suggestion_submit(school=world.school, user=world.parent, recipient="office", school_class=None,
                                   body=f"建议{i}", anonymous=bool(i % 2), today=TODAY)
    with pytest.raises(ValidationError):
        services.suggestion_submit(school=world.school, user=world.parent, recipient="office", school_class=None,
                                   body="第六条", anonymous=True, today=TODAY)
    page = _write_anonymously(client_for(world.parent), world).content.decode()
    assert "user-select-all" not in page  # refused, no code
    assert Suggestion.objects.count() == services.DAILY_LIMIT
    # Another guardian is not limited by it; the next day the guardian may write again.
    services.suggestion_submit(school=world.school, user=world.other_parent, recipient="office", school_class=None,
                               body="另一位家长", anonymous=True, today=TODAY)
    with time_machine.travel("2026-11-21 08:00 +0800", tick=False):
        services.suggestion_submit(school=world.school, user=world.parent, recipient="office", school_class=None,
                                   body="第二天", anonymous=True, today=datetime.date(2026, 11, 21))


def test_the_rate_limit_keeps_nothing_that_names_the_guardian(world):
    """The counter lives in the cache under an HMAC of (user, day); an
    anonymous suggestion adds one row to the database: its own."""
    import hashlib
    import re

    from django.apps import apps

    counts = {m: m._default_manager.count() for m in apps.get_models()}
    services.suggestion_submit(school=world.school, user=world.parent, recipient="office", school_class=None,
                               body="建议", anonymous=True, today=TODAY)
    grown = {m._meta.label for m in counts if m._default_manager.count() != counts[m]}
    assert grown == {"home_school.Suggestion"}
    keys = [k for k in getattr(cache, "_cache", {}) if "suggestion-quota:" in k]
    assert len(keys) == 1
    digest = keys[0].split("suggestion-quota:")[1]
    assert re.fullmatch(r"[0-9a-f]{64}", digest)
    plain = hashlib.sha256(f"suggestions:{world.parent.pk}:{TODAY.isoformat()}".encode()).hexdigest()
    assert digest != plain  # keyed with SECRET_KEY: not recomputable from the ids alone


def test_a_named_writer_sees_the_reply_and_is_told(world, client_for):
    ns = hs(world)
    teacher = client_for(world.head_teacher)
    teacher.post(reverse("home_school:suggestion_reply", args=[ns.s_c1.pk]), {"body": "下周起每天增加十分钟阅读"})
    assert SuggestionReply.objects.get().author == world.head_teacher
    note = Notification.objects.get(kind="home_school.suggestion.replied")
    assert note.recipient == world.parent
    client = client_for(world.parent)
    assert "下周起每天增加十分钟阅读" in client.get(reverse("home_school:portal_suggestion_detail", args=[ns.s_c1.pk])).content.decode()
    assert client.get(reverse("home_school:portal_suggestion_detail", args=[ns.s_c2.pk])).status_code == 404
    listing = client.get(reverse("home_school:portal_suggestion_list")).content.decode()
    assert "增加课外阅读时间" in listing and "六(2)班增加" not in listing


def test_who_reads_and_who_answers(world, client_for):
    ns = hs(world)
    inbox = client_for(world.head_teacher).get(reverse("home_school:suggestion_list"), {"show": "all"}).content.decode()
    assert "六(1)班增加" in inbox and "六(2)班增加" not in inbox and "校门口接送拥堵" not in inbox
    office = client_for(world.office)
    inbox = office.get(reverse("home_school:suggestion_list"), {"show": "all"}).content.decode()
    assert "六(1)班增加" in inbox and "校门口接送拥堵" in inbox and "食堂菜品" not in inbox
    assert office.post(reverse("home_school:suggestion_reply", args=[ns.s_c1.pk]), {"body": "x"}).status_code == 403
    assert office.post(reverse("home_school:suggestion_reply", args=[ns.s_off.pk]), {"body": "已联系交警"}).status_code == 302
    # Answered ones leave the "waiting" list.
    waiting = office.get(reverse("home_school:suggestion_list")).content.decode()
    assert "校门口接送拥堵" not in waiting and "六(1)班增加" in waiting


def test_anonymous_writer_picks_only_their_childrens_classes(world, client_for):
    client = client_for(world.parent)
    page = client.get(reverse("home_school:portal_suggestion_new")).content.decode()
    assert "六(1)班" in page and "六(2)班" not in page
    response = _write_anonymously(client, world, to=f"class:{world.class2.pk}")
    assert response.status_code == 200 and not Suggestion.objects.exists()


def test_stored_text_is_escaped(world, client_for):
    services.suggestion_submit(school=world.school, user=world.parent, recipient="office", school_class=None,
                               body="<script>alert(1)</script>", anonymous=False, today=TODAY)
    s = Suggestion.objects.get()
    page = client_for(world.office).get(reverse("home_school:suggestion_detail", args=[s.pk])).content.decode()
    assert "<script>alert(1)" not in page and "&lt;script&gt;" in page
