"""Hostile input on every field of every create action of the table
(tests/trust/actions*.py): ids past what the database holds, dates far
outside any school year, 100,000 characters, bidirectional and other
control characters. No answer is a 500 or comes from the database's last
net (core.middleware: the form must refuse first), and no row stored
afterwards breaks a rule: no control characters, no text past its limit,
no date outside 2000–2099."""

import datetime
import uuid

import time_machine
from django.apps import apps
from django.db import models

from core.forms import EARLIEST_DAY, LATEST_DAY
from core.text import has_unwanted
from tests.permissions.world import NOW, build

from .actions import all_actions
from .support import actor_of, client_for, post, read_forms, url_of

HOSTILE = {
    "id past bigint": "9223372036854775808",
    "negative": "-1",
    "forty digits": "1" * 40,
    "year 1": "0001-01-01",
    "year 9999": "9999-12-31",
    "year 10000": "10000-01-01",
    "moment in 9999": "9999-12-31 23:59",
    "100k characters": "长" * 100_000,
    "bidi controls": "\u202e测试\u202c\u2066x\u2069",
    "NUL and escape": "a\x00b\x1bc",
}
APPS = ("accounts", "classes", "students", "moral_ed", "home_school", "notifications", "psych", "research", "core")
SKIP_NAMES = {"csrfmiddlewaretoken", "request_key"}


def _models():
    return [m for m in apps.get_models() if m._meta.app_label in APPS and m._meta.managed]


def _before():
    """Each model's rows before the fuzz: the highest id, or the set of
    keys where they are not numbers in order (UUIDs)."""
    out = {}
    for m in _models():
        if isinstance(m._meta.pk, (models.AutoField, models.BigAutoField)):
            out[m] = m.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        else:
            out[m] = set(m.objects.values_list("pk", flat=True))
    return out


def _since(model, before):
    rows = model.objects.all()
    return rows.exclude(pk__in=before) if isinstance(before, set) else rows.filter(pk__gt=before)


def _fields_of(action, client, url, body):
    """The body's fields and those of the page's form for this URL."""
    names = set(body)
    page = client.get(url)
    if page.status_code == 200 and "html" in page.get("Content-Type", ""):
        for form in read_forms(page.content.decode()).forms:
            if form["post"] and form["action"].split("?")[0] == url:
                names |= form["names"]
    return sorted(names - SKIP_NAMES - set(action.fuzz_skip))


def _row_problems(model, since):
    problems = []
    text_fields = [f for f in model._meta.concrete_fields if isinstance(f, (models.CharField, models.TextField))]
    date_fields = [f for f in model._meta.concrete_fields if isinstance(f, (models.DateField, models.DateTimeField))]
    for row in _since(model, since).values("pk", *[f.attname for f in text_fields + date_fields]):
        for f in text_fields:
            value = row[f.attname]
            if value and has_unwanted(value):
                problems.append(f"{model._meta.label}.{f.name} #{row['pk']}: control characters stored")
            if value and f.max_length and len(value) > f.max_length:
                problems.append(f"{model._meta.label}.{f.name} #{row['pk']}: {len(value)} characters, limit {f.max_length}")
        for f in date_fields:
            value = row[f.attname]
            day = value.date() if isinstance(value, datetime.datetime) else value
            if day and not EARLIEST_DAY <= day <= LATEST_DAY:
                problems.append(f"{model._meta.label}.{f.name} #{row['pk']}: {day} stored")
    return problems


def test_hostile_values_in_every_field_are_refused_or_stored_clean(world, caplog):
    problems = []
    with time_machine.travel(NOW, tick=False):
        objects = build(world)
        since = _before()
        for action in all_actions():
            client = client_for(actor_of(action, world))
            url = url_of(action, objects, world)
            body = action.body(objects.side[1], world)
            for name in _fields_of(action, client, url, body):
                for label, value in HOSTILE.items():
                    data = {**body, name: [value] if isinstance(body.get(name), list) else value}
                    response = post(client, action, url, data, str(uuid.uuid4()))
                    if response.status_code >= 500:
                        problems.append(f"{action.name}.{name} = {label}: {response.status_code}")
                    elif response.get("X-Refused-By"):
                        problems.append(f"{action.name}.{name} = {label}: refused by the database, not the form")
        for model in _models():
            problems += _row_problems(model, since.get(model, 0))
    assert not problems, "\n".join(problems)
