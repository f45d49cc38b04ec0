"""Hostile or careless input on moral_ed's pages: ids the database cannot
hold, dates outside the window that makes sense for them, day and week
parameters outside 2000–2099, point values that are not whole or half
points, and the message every constraint gives in Chinese."""

import datetime
import importlib
from decimal import Decimal

import pytest
import time_machine
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation

from moral_ed.forms.conduct import RewardForm
from moral_ed.models import (
    ClassEvent,
    ClassVeto,
    ConductEvent,
    ConductItem,
    DimensionLimit,
    DormEvent,
    DormItem,
    EscalationStep,
    InspectionItem,
    PracticeRecord,
    Reward,
)

from . import test_dorm_support as support
from .inspections_support import duty_fixture, insp_items_fixture  # noqa: F401

# The shared dorm fixture.
dorm = support.dorm

HTMX = {"HTTP_HX_REQUEST": "true"}
OVERFLOW = str(2**63)
WINDOW_TEXT = "之间的日期"  # core.forms.check_day: 请选择 … 至 … 之间的日期。


@pytest.fixture(autouse=True)
def school_day():
    with time_machine.travel("2026-11-20 10:00 +0800", tick=False):
        yield


def _text(response):
    return response.content.decode()


# --- Ids ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("field", ["item", "students"])
def test_an_id_past_bigint_on_the_entry_post_is_refused_by_the_form(world, items, head_teacher_client, field):
    url = reverse("moral_ed:points_record", args=[world.class1.pk])
    data = {"students": [world.child.pk], "item": items["上课积极发言"].pk, field: OVERFLOW}
    response = head_teacher_client.post(url, data, **HTMX)
    assert response.status_code == 422 and "X-Refused-By" not in response
    assert not ConductEvent.objects.exists()


@pytest.mark.parametrize("field", ["room", "item", "student"])
def test_an_id_past_bigint_on_a_dorm_deduction_is_refused_by_the_form(world, items, dorm, client_for, field):
    url = reverse("moral_ed:dorm_event_record", args=[dorm.building.pk])
    data = {"room": dorm.room101.pk, "item": dorm.items["熄灯后讲话"].pk, "student": world.child.pk, field: OVERFLOW}
    response = client_for(world.office).post(url, data)
    assert response.status_code == 302 and "X-Refused-By" not in response
    assert not DormEvent.objects.filter(recorded_by=world.office).exists()


def test_review_action_refuses_an_id_past_bigint(world, items, head_teacher_client):
    response = head_teacher_client.post(reverse("moral_ed:review_action", args=[world.class1.pk]), {"action": "release", "events": [OVERFLOW]})
    assert response.status_code == 302 and "X-Refused-By" not in response


# --- Date windows ----------------------------------------------------------------------------


@pytest.mark.parametrize("day", ["2026-11-21", "2026-08-31", "0001-01-01", "9999-12-31"])
def test_a_veto_lies_in_the_current_term_and_not_ahead(world, items, client_for, day):
    response = client_for(world.office).post(
        reverse("moral_ed:veto_record"), {"school_class": world.class1.pk, "occurred_on": day, "reason": "打架"}
    )
    assert response.status_code == 422
    assert WINDOW_TEXT in _text(response)
    assert not ClassVeto.objects.exists()


@pytest.mark.usefixtures("insp_items", "duty")
@pytest.mark.parametrize("day", ["2026-11-21", "2026-08-31", "9999-12-31"])
def test_an_inspection_lies_in_the_current_term_and_not_ahead(world, insp_items, client_for, day):
    item = next(iter(insp_items.values()))
    url = reverse("moral_ed:inspection_record", args=[world.class1.pk])
    response = client_for(world.office).post(url, {"item": item.pk, "day": day}, **HTMX)
    assert response.status_code == 200  # the class's card, with the error in it
    assert WINDOW_TEXT in _text(response)
    assert not ClassEvent.objects.exists()


@pytest.mark.parametrize("day", ["2026-11-21", "2026-08-31", "0001-01-01"])
def test_a_dorm_deduction_lies_in_the_current_term_and_not_ahead(world, dorm, client_for, day):
    url = reverse("moral_ed:dorm_event_record", args=[dorm.building.pk])
    response = client_for(world.office).post(
        url, {"room": dorm.room101.pk, "item": dorm.items["内务不整"].pk, "day": day}, follow=True
    )
    assert any(WINDOW_TEXT in str(m) for m in response.context["messages"])
    assert not DormEvent.objects.filter(recorded_by=world.office).exists()


@pytest.mark.parametrize("day", ["2026-11-21", "2026-08-31", "2099-01-01"])
def test_a_practice_record_lies_in_the_school_year_and_not_ahead(world, head_teacher_client, day):
    data = {"kind": "social_practice", "title": "敬老院慰问", "occurred_on": day}
    response = head_teacher_client.post(reverse("moral_ed:practice_add", args=[world.child.pk]), data)
    assert response.status_code == 422
    assert WINDOW_TEXT in _text(response)
    assert not PracticeRecord.objects.exists()


def test_a_practice_record_on_the_first_day_of_the_school_year_is_kept(world, head_teacher_client):
    data = {"kind": "social_practice", "title": "敬老院慰问", "occurred_on": "2026-09-01"}
    response = head_teacher_client.post(reverse("moral_ed:practice_add", args=[world.child.pk]), data)
    assert response.status_code == 302
    assert PracticeRecord.objects.get().occurred_on == datetime.date(2026, 9, 1)


# --- Day and week parameters ----------------------------------------------------------------

FAR = ["0001-01-01", "9999-12-31", "10000-01-01", "1999-12-31"]


@pytest.mark.usefixtures("insp_items", "duty")
@pytest.mark.parametrize("day", FAR)
def test_the_inspection_grid_shows_today_for_a_far_day(world, client_for, day):
    response = client_for(world.office).get(reverse("moral_ed:inspection_grid"), {"day": day})
    assert response.status_code == 200
    assert response.context["day"] == datetime.date(2026, 11, 20)
    assert [str(m) for m in response.context["messages"]]


@pytest.mark.usefixtures("insp_items", "duty")
@pytest.mark.parametrize("day", FAR)
def test_a_class_inspection_history_shows_this_period_for_a_far_day(world, head_teacher_client, day):
    for period in ("week", "month"):
        response = head_teacher_client.get(reverse("moral_ed:class_inspections", args=[world.class1.pk]), {"period": period, "day": day})
        assert response.status_code == 200
        assert response.context["span"].start <= datetime.date(2026, 11, 20) <= response.context["span"].end
        assert "已改为显示当前时段" in " ".join(str(m) for m in response.context["messages"])


@pytest.mark.parametrize("day", FAR)
def test_the_dorm_inspection_shows_today_for_a_far_day(world, dorm, client_for, day):
    response = client_for(world.office).get(reverse("moral_ed:dorm_inspection", args=[dorm.building.pk]), {"day": day})
    assert response.status_code == 200
    assert response.context["day"] == datetime.date(2026, 11, 20)


@pytest.mark.usefixtures("insp_items", "duty")
@pytest.mark.parametrize("week", [*FAR, "nonsense"])
def test_the_published_ranking_answers_400_in_chinese_for_a_week_that_is_no_school_day(world, head_teacher_client, week):
    response = head_teacher_client.get(reverse("moral_ed:ranking_published"), {"week": week})
    assert response.status_code == 400
    assert "日期" in _text(response)


@pytest.mark.parametrize("params", [{"start": "0001-01-01"}, {"end": "9999-12-31"}, {"start": "10000-01-01", "end": "0001-01-01"}])
def test_the_student_page_ignores_far_filter_dates(world, items, head_teacher_client, params):
    response = head_teacher_client.get(reverse("moral_ed:student_points", args=[world.child.pk]), params)
    assert response.status_code == 200
    assert response.context["filters"].errors


# --- Half points ----------------------------------------------------------------------------


def _rows(world):
    """(an unsaved rule row, its point fields) of every kind of rule."""
    return [
        (ConductItem(school=world.school, name="测试", dimension="study", points=Decimal("1")), ("points", "daily_cap")),
        (DimensionLimit(school=world.school, dimension="hygiene", floor=Decimal("-10")), ("floor", "ceiling")),
        (InspectionItem(school=world.school, name="测试", points=Decimal("-1")), ("points",)),
        (DormItem(school=world.school, name="测试", applies_to="room", points=Decimal("-1")), ("points",)),
        (Reward(school=world.school, school_class=world.class1, name="测试", cost=Decimal("1")), ("cost",)),
        (EscalationStep(school=world.school, level=9, name="测试", threshold=Decimal("5")), ("threshold",)),
    ]


@pytest.mark.parametrize("value", ["0.3", "-1.7", "2.1"])
def test_rule_rows_refuse_points_that_are_not_whole_or_half_in_the_form_and_the_database(world, value):
    for row, fields in _rows(world):
        for field in fields:
            row_value = Decimal(value).copy_abs() if field in ("cost", "threshold", "daily_cap") else Decimal(value)
            setattr(row, field, row_value)
            with pytest.raises(ValidationError) as refused:
                row.full_clean()
            assert "分值只能是整分或半分，如 1、1.5、-0.5。" in refused.value.message_dict[field], (row, field)
            with pytest.raises(IntegrityError), transaction.atomic():
                row.save(force_insert=True)
            setattr(row, field, None if field in ("daily_cap", "ceiling") else Decimal("1.5") * (1 if row_value > 0 else -1))


@pytest.mark.parametrize("value", ["0.5", "-1.5", "3", "-100"])
def test_rule_rows_keep_whole_and_half_points(world, value):
    item = ConductItem(school=world.school, name="测试", dimension="study", points=Decimal(value), daily_cap=Decimal("2.5"))
    item.full_clean()
    item.save()
    assert ConductItem.objects.get(pk=item.pk).points == Decimal(value)


def test_the_reward_form_asks_for_whole_or_half_points(world):
    form = RewardForm({"name": "免作业卡", "cost": "1.2"})
    assert not form.is_valid()
    assert form.errors["cost"] == ["分值只能是整分或半分，如 1、1.5、-0.5。"]
    assert RewardForm({"name": "免作业卡", "cost": "1.5"}).is_valid()


def test_the_migration_moves_earlier_rule_values_to_half_points_without_narrowing_a_range():
    migration = importlib.import_module("moral_ed.migrations.0006_constraint_messages_half_points")
    points = {"0.3": "0.5", "-0.2": "-0.5", "1.5": "1.5", "2": "2", "-2.6": "-2.5", "0.1": "0.5", "-1.2": "-1", "0.75": "1"}
    assert {k: str(migration.to_half_point("points", Decimal(k))) for k in points} == points
    # A term floor goes down and a ceiling up: 0.2/0.4 becomes 0/0.5, still floor < ceiling.
    assert str(migration.to_half_point("floor", Decimal("0.2"))) == "0"
    assert str(migration.to_half_point("floor", Decimal("-10.3"))) == "-10.5"
    assert str(migration.to_half_point("ceiling", Decimal("0.4"))) == "0.5"
    assert str(migration.to_half_point("ceiling", Decimal("99.9"))) == "100"


# --- Constraint messages ---------------------------------------------------------------------


def test_every_moral_ed_constraint_speaks_chinese():
    for model in apps.get_app_config("moral_ed").get_models():
        for constraint in model._meta.constraints:
            with translation.override("zh-hans"):
                text = str(constraint.violation_error_message)
            assert any("\u4e00" <= ch <= "\u9fff" for ch in text), (model, constraint.name, text)


def test_a_duplicate_rule_row_names_what_is_wrong(world, items):
    item = ConductItem(school=world.school, name="上课积极发言", dimension="study", points=Decimal("1"))
    with pytest.raises(ValidationError) as refused:
        item.full_clean()
    assert "本校已有同名的操行项目。" in refused.value.messages


def test_a_reward_with_a_name_the_class_has_gets_the_constraints_message(world, head_teacher_client):
    url = reverse("moral_ed:reward_add", args=[world.class1.pk])
    head_teacher_client.post(url, {"name": "免作业卡", "cost": "5"})
    response = head_teacher_client.post(url, {"name": "免作业卡", "cost": "3"}, follow=True)
    assert "本班已有同名的奖品。" in [str(m) for m in response.context["messages"]]
    assert Reward.objects.filter(school_class=world.class1).count() == 1
