"""core.idempotency.exactly_once: a repeated POST answers with the first
answer and writes nothing; two at the same moment on two connections leave
one row; a POST without a key is refused."""

import datetime
import uuid

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.utils import timezone

from core.models import RequestKey
from core.services import request_keys_purge
from notifications.models import Notification
from tests.concurrency import at_once, failures

pytestmark = pytest.mark.urls("tests.core.urls")


def _written(user):
    return Notification.objects.filter(recipient=user, kind="test").count()


def test_a_repeat_answers_with_the_first_redirect_and_message(head_teacher_client, head_teacher):
    key = str(uuid.uuid4())
    first = head_teacher_client.post("/test/once/redirect/", {"request_key": key})
    again = head_teacher_client.post("/test/once/redirect/", {"request_key": key})
    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"] == "/done/"
    assert again["X-Request-Replayed"] == "1"
    # The first answer's message still waits in the browser: it is not added twice.
    assert [str(m) for m in get_messages(again.wsgi_request)] == ["写好了"]
    assert _written(head_teacher) == 1
    assert RequestKey.objects.filter(actor=head_teacher).count() == 1


def test_a_retry_after_a_lost_answer_gets_the_first_message(head_teacher_client, head_teacher):
    from django.contrib.messages.storage.cookie import CookieStorage

    key = str(uuid.uuid4())
    head_teacher_client.post("/test/once/redirect/", {"request_key": key})
    head_teacher_client.cookies.pop(CookieStorage.cookie_name, None)  # the first answer never arrived
    again = head_teacher_client.post("/test/once/redirect/", {"request_key": key})
    assert [str(m) for m in get_messages(again.wsgi_request)] == ["写好了"]
    assert _written(head_teacher) == 1


def test_a_repeat_whose_view_shows_a_page_leaves_the_first_answers_message_waiting(head_teacher_client, head_teacher):
    """A double tap on a form that re-renders on the repeat (its name is
    now taken): the repeat's page, rolled back, had shown the first
    answer's message and used it up; the browser must still get it."""
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.test import RequestFactory

    key = str(uuid.uuid4())
    first = head_teacher_client.post("/test/once/form/", {"request_key": key})
    again = head_teacher_client.post("/test/once/form/", {"request_key": key})

    assert first.status_code == again.status_code == 302 and again["X-Request-Replayed"] == "1"
    waiting = head_teacher_client.cookies[CookieStorage.cookie_name].value
    assert [str(m) for m in CookieStorage(RequestFactory().get("/"))._decode(waiting) or []] == ["保存好了"]


def test_the_same_key_with_something_else_sent_is_refused_not_answered_for(head_teacher_client, head_teacher):
    key = str(uuid.uuid4())
    head_teacher_client.post("/test/once/redirect/", {"request_key": key, "note": "甲"})
    response = head_teacher_client.post("/test/once/redirect/", {"request_key": key, "note": "乙"})
    assert response.status_code == 400 and not response.has_header("X-Request-Replayed")
    assert "已经提交过" in response.content.decode()
    assert _written(head_teacher) == 1


def test_a_refused_request_leaves_nothing_it_wrote(head_teacher_client, head_teacher):
    response = head_teacher_client.post("/test/once/redirect/", {"request_key": str(uuid.uuid4()), "fail": "after-writing"})
    assert response.status_code == 422
    assert _written(head_teacher) == 0


def test_a_repeat_of_an_htmx_action_gets_the_same_fragment(head_teacher_client, head_teacher):
    key = str(uuid.uuid4())
    first = head_teacher_client.post("/test/once/fragment/", {"request_key": key}, HTTP_HX_REQUEST="true")
    again = head_teacher_client.post("/test/once/fragment/", {"request_key": key}, HTTP_HX_REQUEST="true")
    assert first.content == again.content
    assert again["HX-Trigger"] == "written"
    assert _written(head_teacher) == 1


def test_a_new_key_is_a_new_request(head_teacher_client, head_teacher):
    head_teacher_client.post("/test/once/redirect/", {"request_key": str(uuid.uuid4())})
    head_teacher_client.post("/test/once/redirect/", {"request_key": str(uuid.uuid4())})
    assert _written(head_teacher) == 2


def test_keys_belong_to_one_person(head_teacher_client, other_head_teacher_client, head_teacher, other_head_teacher):
    key = str(uuid.uuid4())
    head_teacher_client.post("/test/once/redirect/", {"request_key": key})
    other_head_teacher_client.post("/test/once/redirect/", {"request_key": key})
    assert _written(head_teacher) == 1 and _written(other_head_teacher) == 1


@pytest.mark.without_request_key
@pytest.mark.parametrize("key", [None, "", "not-a-uuid", "1" * 5000])
def test_a_post_without_a_usable_key_is_refused_and_writes_nothing(head_teacher_client, head_teacher, key):
    data = {} if key is None else {"request_key": key}
    response = head_teacher_client.post("/test/once/redirect/", data)
    assert response.status_code == 400
    assert "页面已过期" in response.content.decode()
    assert _written(head_teacher) == 0


@pytest.mark.without_request_key
def test_the_key_may_come_in_the_idempotency_key_header(head_teacher_client, head_teacher):
    key = str(uuid.uuid4())
    for _ in range(2):
        response = head_teacher_client.post("/test/once/fragment/", {}, HTTP_IDEMPOTENCY_KEY=key, HTTP_HX_REQUEST="true")
        assert response.status_code == 200
    assert _written(head_teacher) == 1


def test_a_refused_request_is_not_stored_so_the_corrected_one_runs(head_teacher_client, head_teacher):
    key = str(uuid.uuid4())
    assert head_teacher_client.post("/test/once/redirect/", {"request_key": key, "fail": "1"}).status_code == 422
    assert head_teacher_client.post("/test/once/redirect/", {"request_key": key}).status_code == 302
    assert _written(head_teacher) == 1


def test_a_key_sent_to_another_action_is_refused(head_teacher_client, head_teacher):
    key = str(uuid.uuid4())
    head_teacher_client.post("/test/once/redirect/", {"request_key": key})
    response = head_teacher_client.post("/test/once/fragment/", {"request_key": key})
    assert response.status_code == 400
    assert _written(head_teacher) == 1


def test_an_anonymous_action_is_once_and_its_row_names_nobody(head_teacher_client, head_teacher, other_head_teacher_client):
    key = str(uuid.uuid4())
    with time_machine.travel("2026-11-20 15:47:13 +0800", tick=False):
        for _ in range(2):
            assert head_teacher_client.post("/test/once/anonymous/", {"request_key": key}).status_code == 302
        other_head_teacher_client.post("/test/once/anonymous/", {"request_key": key})
    assert _written(head_teacher) == 1
    rows = list(RequestKey.objects.all())
    assert len(rows) == 2
    for row in rows:
        assert row.actor_id is None and row.school_id is None
        assert str(row.key) != key
        assert timezone.localtime(row.created_at).time() == datetime.time(0, 0)


def test_old_keys_are_purged_and_new_ones_kept(head_teacher_client, head_teacher):
    head_teacher_client.post("/test/once/redirect/", {"request_key": str(uuid.uuid4())})
    head_teacher_client.post("/test/once/redirect/", {"request_key": str(uuid.uuid4())})
    RequestKey.objects.filter(pk=RequestKey.objects.order_by("pk").first().pk).update(
        created_at=timezone.now() - datetime.timedelta(days=3)
    )
    assert request_keys_purge() == 1
    assert request_keys_purge() == 0
    assert RequestKey.objects.count() == 1


def test_the_purge_is_scheduled_every_night(db):
    import importlib

    from django.apps import apps
    from django_celery_beat.models import PeriodicTask

    importlib.import_module("core.migrations.0002_purge_schedule").forwards(apps, None)
    task = PeriodicTask.objects.get(task="core.request_keys_purge")
    assert (task.crontab.hour, task.crontab.minute, str(task.crontab.timezone)) == ("3", "30", "Asia/Shanghai")
    assert task.expire_seconds < 24 * 3600


@pytest.mark.skipif(connection.vendor != "postgresql", reason="two connections at once need PostgreSQL")
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("url", ["/test/once/redirect/", "/test/once/fragment/"])
def test_two_identical_posts_at_once_write_once_and_answer_alike(world, url):
    key = str(uuid.uuid4())
    clients = [Client(), Client()]
    for client in clients:
        client.force_login(world.head_teacher)
    outcomes = at_once(*[lambda c=c: c.post(url, {"request_key": key}, HTTP_HX_REQUEST="true") for c in clients])
    assert not failures(outcomes)
    assert [o.status_code for o in outcomes] in ([302, 302], [200, 200])
    assert outcomes[0].content == outcomes[1].content
    assert sum(o.has_header("X-Request-Replayed") for o in outcomes) == 1
    assert _written(world.head_teacher) == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="two connections at once need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_a_twin_that_meets_the_first_requests_row_at_its_own_unique_rule_gets_the_first_answer(world):
    from accounts.models import Membership

    key = str(uuid.uuid4())
    clients = [Client(), Client()]
    for client in clients:
        client.force_login(world.head_teacher)
    outcomes = at_once(*[lambda c=c: c.post("/test/once/unique/", {"request_key": key}) for c in clients])
    assert not failures(outcomes)
    assert [o.status_code for o in outcomes] == [302, 302]
    assert Membership.objects.filter(user=world.head_teacher, role="counsellor").count() == 1


def test_a_refusal_with_no_twin_is_given_as_it_is(head_teacher_client, head_teacher):
    from accounts.models import Membership

    Membership.objects.create(user=head_teacher, school=head_teacher.memberships.first().school, role="counsellor")
    response = head_teacher_client.post("/test/once/unique/", {"request_key": str(uuid.uuid4())})
    assert response.status_code == 422 and not response.has_header("X-Request-Replayed")
