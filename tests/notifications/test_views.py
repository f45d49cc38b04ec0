"""The inbox and the settings page: own notifications only, safe redirects, the badge."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from notifications import services
from notifications.models import Notification, NotificationPreference

INBOX = reverse("notifications:inbox")
SETTINGS = reverse("notifications:preferences")


@pytest.fixture(autouse=True)
def school_day():
    with time_machine.travel("2026-11-20 10:00 +0800", tick=False):
        yield


def _mine(user, n=1, key="k", **kwargs):
    for i in range(n):
        services.notify(school=kwargs.get("school") or user.memberships.first().school, recipients=[user],
                        kind="home_school.notice", title=kwargs.get("title", f"通知{i}"), link=kwargs.get("link", "/portal/"),
                        dedupe_key=f"{key}:{i}")
    return Notification.objects.filter(recipient=user).order_by("-id")


def test_anonymous_is_sent_to_login(world):
    for url in (INBOX, SETTINGS, reverse("notifications:open", args=[1])):
        response = Client().get(url)
        assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_inbox_lists_only_own_notifications(world, parent_client):
    _mine(world.parent, title="给陈妈妈")
    _mine(world.other_parent, title="给吴爸爸")
    page = parent_client.get(INBOX).content.decode()
    assert "给陈妈妈" in page and "给吴爸爸" not in page


def test_staff_see_the_staff_layout_and_guardians_the_portal(world, parent_client, head_teacher_client):
    staff = head_teacher_client.get(INBOX)
    portal = parent_client.get(INBOX)
    assert "base.html" in [t.name for t in staff.templates] and "portal/base.html" not in [t.name for t in staff.templates]
    assert "portal/base.html" in [t.name for t in portal.templates]


def test_inbox_is_paginated_by_30_newest_first(world, parent_client):
    _mine(world.parent, n=35)
    first = parent_client.get(INBOX)
    assert len(first.context["notifications"]) == 30
    assert first.context["notifications"][0].title == "通知34"
    assert len(parent_client.get(INBOX, {"page": 2}).context["notifications"]) == 5


def test_inbox_queries_do_not_grow_with_notifications(world, parent_client):
    def count():
        parent_client.get(INBOX)
        with CaptureQueriesContext(connection) as ctx:
            assert parent_client.get(INBOX).status_code == 200
        return len(ctx.captured_queries)

    _mine(world.parent, n=3, key="a")
    small = count()
    _mine(world.parent, n=40, key="b")
    assert count() == small


def test_unread_badge_counts_own_unread(world, parent_client, head_teacher_client):
    mine = _mine(world.parent, n=3)
    _mine(world.other_parent, n=5)
    services.notification_mark_read(user=world.parent, notification_ids=[mine[0].pk])
    page = parent_client.get(reverse("home_school:portal_child", args=[world.child.pk]))
    assert page.context["unread_notifications"]() == 2
    html = page.content.decode()
    assert html.count('text-bg-danger">2<') == 2  # the header link and the section tile
    _mine(world.head_teacher, n=4)
    staff = head_teacher_client.get(reverse("classes:class_list")).content.decode()
    assert 'text-bg-danger">4<' in staff


def test_the_badge_costs_one_count_query(world, head_teacher_client):
    _mine(world.head_teacher, n=2)
    head_teacher_client.get(INBOX)
    with CaptureQueriesContext(connection) as ctx:
        head_teacher_client.get(INBOX)
    counts = [q["sql"] for q in ctx.captured_queries if "COUNT" in q["sql"] and "read_at" in q["sql"] and "IS NULL" in q["sql"]]
    assert len(counts) == 1


def test_no_badge_query_for_anonymous(world):
    with CaptureQueriesContext(connection) as ctx:
        Client().get(reverse("accounts:login"))
    assert not [q for q in ctx.captured_queries if "notifications_notification" in q["sql"]]


def test_opening_marks_read_and_follows_the_link(world, parent_client):
    [n] = _mine(world.parent, link="/portal/child/7/")
    response = parent_client.get(reverse("notifications:open", args=[n.pk]))
    assert response.status_code == 302 and response["Location"] == "/portal/child/7/"
    n.refresh_from_db()
    assert n.read_at is not None


def test_opening_by_post_works_too(world, parent_client):
    [n] = _mine(world.parent, link="/portal/")
    assert parent_client.post(reverse("notifications:open", args=[n.pk]))["Location"] == "/portal/"


def test_cannot_open_another_persons_notification(world, parent_client):
    [theirs] = _mine(world.other_parent)
    assert parent_client.get(reverse("notifications:open", args=[theirs.pk])).status_code == 404
    assert parent_client.post(reverse("notifications:open", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_cannot_open_another_schools_notification(world, client_for):
    [theirs] = _mine(world.b.parent, school=world.b.school)
    assert client_for(world.head_teacher).get(reverse("notifications:open", args=[theirs.pk])).status_code == 404


@pytest.mark.parametrize(
    "link", ["https://evil.example.com/", "//evil.example.com/", "/\\evil.example.com", "javascript:alert(1)",
             "http:/evil.example.com", "evil.example.com", ""]
)
def test_open_refuses_to_redirect_off_site(world, parent_client, link):
    n = Notification.objects.create(school=world.school, recipient=world.parent, kind="x", title="t", link=link, dedupe_key=link or "-")
    response = parent_client.get(reverse("notifications:open", args=[n.pk]))
    assert response.status_code == 302 and response["Location"] == INBOX


def test_mark_all_read_is_a_post_and_touches_only_own(world, parent_client):
    _mine(world.parent, n=3)
    _mine(world.other_parent, n=2)
    assert parent_client.get(reverse("notifications:mark_all_read")).status_code == 405
    response = parent_client.post(reverse("notifications:mark_all_read"))
    assert response.status_code == 302 and response["Location"] == INBOX
    assert not Notification.objects.filter(recipient=world.parent, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=world.other_parent, read_at__isnull=True).count() == 2


def test_unread_are_marked_in_the_list(world, parent_client):
    a, b = _mine(world.parent, n=2)
    services.notification_mark_read(user=world.parent, notification_ids=[b.pk])
    parent_client.cookies.load({"django_language": "en"})
    html = parent_client.get(INBOX).content.decode()
    assert html.count(">New<") == 1


# --- Settings -------------------------------------------------------------------------


def _post(client, **overrides):
    data = {"quiet_start": "21:30", "quiet_end": "07:00", "channels": ["sms", "wechat"], "daily_digest": "on"}
    data.update(overrides)
    return client.post(SETTINGS, {k: v for k, v in data.items() if v is not None})


def test_settings_page_shows_the_defaults(world, parent_client):
    response = parent_client.get(SETTINGS)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["quiet_start"] == datetime.time(21, 30) and form.initial["quiet_end"] == datetime.time(7)
    assert form.initial["channels"] == ["email", "sms", "wechat"]
    assert "portal/base.html" in [t.name for t in response.templates]


def test_guardian_saves_quiet_hours_digest_and_channels(world, parent_client):
    response = _post(parent_client, quiet_start="22:00", quiet_end="06:30")
    assert response.status_code == 302
    pref = NotificationPreference.objects.get(user=world.parent)
    assert (pref.quiet_start, pref.quiet_end, pref.daily_digest, pref.channels_off) == (
        datetime.time(22), datetime.time(6, 30), True, ["email"])


def test_staff_have_no_digest_option(world, head_teacher_client):
    response = head_teacher_client.get(SETTINGS)
    assert "daily_digest" not in response.context["form"].fields
    assert "base.html" in [t.name for t in response.templates]
    _post(head_teacher_client)
    assert NotificationPreference.objects.get(user=world.head_teacher).daily_digest is False


@pytest.mark.parametrize(
    "overrides,field,message",
    [
        ({"quiet_end": "21:30"}, "quiet_end", "Quiet hours must end at a different time than they start."),
        ({"quiet_start": "18:00", "quiet_end": "08:00"}, "quiet_end", "Quiet hours can last at most 12 hours"),
        ({"quiet_start": "25:00"}, "quiet_start", "Enter a time such as 21:30."),
        ({"quiet_end": None}, "quiet_end", "Enter when quiet hours end."),
        ({"channels": ["fax"]}, "channels", "Choose channels from the list."),
    ],
)
def test_settings_are_validated(world, parent_client, overrides, field, message):
    parent_client.cookies.load({"django_language": "en"})
    response = _post(parent_client, **overrides)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert any(message in e for e in errors[field]), errors
    assert not NotificationPreference.objects.filter(user=world.parent).exists()
