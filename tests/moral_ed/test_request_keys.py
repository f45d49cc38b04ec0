"""Exactly once on the pages that post again and again without a reload:
the two-tap entry page (a recording, an error, an undo) and the inspection
grid. Each answer carries a fresh request key for the next tap; a double
tap (one key sent twice) records once, two taps record twice."""

import re
import uuid

import pytest
import time_machine
from django.urls import reverse

from moral_ed.models import ClassEvent, ConductEvent

from .inspections_support import duty_fixture, insp_items_fixture  # noqa: F401

pytestmark = [pytest.mark.usefixtures("items"), pytest.mark.without_request_key]

HTMX = {"HTTP_HX_REQUEST": "true"}
KEY_INPUT = re.compile(r'<input type="hidden" name="request_key" value="([0-9a-f-]{36})"( id="entry-key")?( hx-swap-oob="true")?>')


@pytest.fixture(autouse=True)
def school_day():
    with time_machine.travel("2026-11-20 10:00 +0800", tick=False):
        yield


def _keys(response):
    return KEY_INPUT.findall(response.content.decode())


def _entry_key(response):
    """The key of the entry form's input, and whether it comes out-of-band."""
    (found,) = [(key, bool(oob)) for key, element_id, oob in _keys(response) if element_id]
    return found


def _record(client, world, items, key, item="上课积极发言", students=None):
    url = reverse("moral_ed:points_record", args=[world.class1.pk])
    students = [world.child.pk] if students is None else students
    return client.post(url, {"students": students, "item": items[item].pk, "request_key": key}, **HTMX)


def test_the_entry_page_renders_a_key_in_its_form(world, head_teacher_client):
    page = head_teacher_client.get(reverse("moral_ed:class_entry", args=[world.class1.pk]))
    key, oob = _entry_key(page)
    assert uuid.UUID(key) and not oob


def test_a_double_tap_records_once_and_both_answers_bring_the_same_next_key(world, items, head_teacher_client):
    page = head_teacher_client.get(reverse("moral_ed:class_entry", args=[world.class1.pk]))
    key, _ = _entry_key(page)
    first = _record(head_teacher_client, world, items, key)
    again = _record(head_teacher_client, world, items, key)
    assert first.status_code == again.status_code == 200
    assert first.content == again.content and again["X-Request-Replayed"] == "1"
    assert ConductEvent.objects.filter(student=world.child).count() == 1
    next_key, oob = _entry_key(first)
    assert oob and next_key != key


def test_two_taps_record_twice_each_with_the_key_the_last_answer_brought(world, items, head_teacher_client):
    page = head_teacher_client.get(reverse("moral_ed:class_entry", args=[world.class1.pk]))
    key, _ = _entry_key(page)
    first = _record(head_teacher_client, world, items, key)
    second = _record(head_teacher_client, world, items, _entry_key(first)[0])
    assert second.status_code == 200 and "X-Request-Replayed" not in second
    assert ConductEvent.objects.filter(student=world.child).count() == 2
    assert _entry_key(second)[0] not in (key, _entry_key(first)[0])


def test_undo_uses_the_rotated_key_and_answers_with_a_new_one(world, items, head_teacher_client):
    page = head_teacher_client.get(reverse("moral_ed:class_entry", args=[world.class1.pk]))
    first = _record(head_teacher_client, world, items, _entry_key(page)[0])
    batch = ConductEvent.objects.get(student=world.child).batch
    undo_url = reverse("moral_ed:batch_undo", args=[world.class1.pk])
    # The undo button sits inside the entry form: htmx sends the form's current key.
    undo_key = _entry_key(first)[0]
    undone = head_teacher_client.post(undo_url, {"batch": str(batch), "request_key": undo_key}, **HTMX)
    assert undone.status_code == 200
    assert ConductEvent.objects.get(student=world.child).is_voided
    next_key, oob = _entry_key(undone)
    assert oob and next_key != undo_key
    again = _record(head_teacher_client, world, items, next_key)
    assert again.status_code == 200
    assert ConductEvent.objects.filter(student=world.child, voided_at__isnull=True).count() == 1


def test_a_refused_tap_also_brings_a_fresh_key_and_stores_nothing(world, items, head_teacher_client):
    key = str(uuid.uuid4())
    refused = _record(head_teacher_client, world, items, key, students=[])
    assert refused.status_code == 422
    next_key, oob = _entry_key(refused)
    assert oob and next_key != key
    # Nothing was stored under the refused key: the corrected tap may reuse it.
    assert _record(head_teacher_client, world, items, key).status_code == 200
    assert ConductEvent.objects.filter(student=world.child).count() == 1


def test_a_key_used_by_another_action_is_refused_not_replayed(world, items, head_teacher_client):
    key = str(uuid.uuid4())
    _record(head_teacher_client, world, items, key)
    batch = ConductEvent.objects.get(student=world.child).batch
    response = head_teacher_client.post(
        reverse("moral_ed:batch_undo", args=[world.class1.pk]), {"batch": str(batch), "request_key": key}, **HTMX
    )
    assert response.status_code == 422
    assert not ConductEvent.objects.get(student=world.child).is_voided


def test_a_post_without_a_key_is_refused(world, items, head_teacher_client):
    url = reverse("moral_ed:points_record", args=[world.class1.pk])
    response = head_teacher_client.post(url, {"students": [world.child.pk], "item": items["上课积极发言"].pk}, **HTMX)
    assert response.status_code == 422
    assert not ConductEvent.objects.exists()


@pytest.mark.usefixtures("insp_items", "duty")
def test_each_inspection_card_answer_carries_fresh_keys_in_its_forms(world, insp_items, client_for):
    client = client_for(world.office)
    grid = client.get(reverse("moral_ed:inspection_grid"))
    keys = [key for key, *_ in _keys(grid)]
    assert len(keys) == len(set(keys)) >= 2  # one form per class card at least, each its own key
    url = reverse("moral_ed:inspection_record", args=[world.class1.pk])
    item = next(iter(insp_items.values()))
    first = client.post(url, {"item": item.pk, "day": "2026-11-20", "request_key": keys[0]}, **HTMX)
    again = client.post(url, {"item": item.pk, "day": "2026-11-20", "request_key": keys[0]}, **HTMX)
    assert first.content == again.content
    assert ClassEvent.objects.filter(school_class=world.class1).count() == 1
    card_keys = [key for key, *_ in _keys(first)]
    assert card_keys and not set(card_keys) & set(keys)
    second = client.post(url, {"item": item.pk, "day": "2026-11-20", "request_key": card_keys[0]}, **HTMX)
    assert second.status_code == 200
    assert ClassEvent.objects.filter(school_class=world.class1).count() == 2
