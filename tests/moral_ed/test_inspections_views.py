"""The inspection grid, its htmx posts, a class's inspection history, the
veto pages and the published weekly ranking: who may, what they see, and
the query budget."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.selectors import home_url_for
from moral_ed.models import ClassEvent, ClassVeto, RevisionStatus
from moral_ed.services import conduct as conduct_services
from moral_ed.services import inspections as services
from tests import factories as f

from .inspections_support import (  # noqa: F401
    HTMX,
    TODAY,
    YESTERDAY,
    duty_fixture,
    insp_items_fixture,
    published_week,
    record,
    school_day_fixture,
)

pytestmark = pytest.mark.usefixtures("school_day", "insp_items", "duty")

GRID = "moral_ed:inspection_grid"


def _user(world, dotted):
    obj = world
    for part in dotted.split("."):
        obj = getattr(obj, part)
    return obj


def _tap(client, school_class, item, day=TODAY, note="", **extra):
    return client.post(
        reverse("moral_ed:inspection_record", args=[school_class.pk]),
        {"item": item.pk, "day": day.isoformat(), "note": note, **extra},
        **HTMX,
    )


# --- Who opens the grid ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "person, expected",
    [
        ("office", 200),
        ("duty", 200),
        ("head_teacher", 403),
        ("subject_teacher", 403),
        ("principal", 403),
        ("counsellor", 403),
        ("school_admin", 403),
        ("parent", 403),
        ("student_user", 403),
    ],
)
def test_who_opens_the_grid(world, client_for, person, expected):
    assert client_for(_user(world, person)).get(reverse(GRID)).status_code == expected


def test_anonymous_is_sent_to_login(world):
    response = Client().get(reverse(GRID))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_duty_student_lands_on_the_grid(world, client_for):
    from accounts.models import Role

    assert home_url_for(world.duty, world.school, frozenset({Role.DUTY_STUDENT})) == reverse(GRID)
    response = client_for(world.duty).get(reverse("accounts:home"))
    assert response.status_code == 302 and response["Location"] == reverse(GRID)


def test_grid_lists_classes_by_grade_with_every_active_item(world, client_for, insp_items):
    insp_items["围墙交易"].is_active = False
    insp_items["围墙交易"].save()
    grade7 = f.GradeFactory(school=world.school, level=7, name="七年级")
    f.SchoolClassFactory(school=world.school, school_year=world.year, grade=grade7, number=1, name="七(1)班")
    page = client_for(world.duty).get(reverse(GRID)).content.decode()
    page = page[page.index(f'id="grade-{world.grade.pk}">'):]
    assert page.index("六年级") < page.index("六(1)班") < page.index("六(2)班") < page.index("七年级") < page.index("七(1)班")
    assert "包干区清扫" in page and "好人好事" in page and "围墙交易" not in page
    assert "B校" not in page and world.b.class1.name not in page.split("七(1)班")[-1]


def test_grid_focus_shows_one_items_button_per_class(world, client_for, insp_items):
    item = insp_items["仪表仪容"]
    page = client_for(world.duty).get(reverse(GRID), {"item": item.pk}).content.decode()
    assert page.count(f'name="item" value="{item.pk}"') == 2
    assert f'name="item" value="{insp_items["包干区清扫"].pk}"' not in page


# --- Recording with a tap -------------------------------------------------------------------------------


def test_duty_student_taps_an_item_and_gets_the_card_back(world, client_for, insp_items):
    response = _tap(client_for(world.duty), world.class2, insp_items["包干区清扫"], note="北楼梯有纸屑")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="class-{world.class2.pk}"' in html and "<html" not in html
    assert "包干区清扫" in html and "北楼梯有纸屑" in html and "值周生林一" in html
    event = ClassEvent.objects.get()
    assert (event.school_class, event.points, event.recorded_by, event.occurred_on) == (world.class2, Decimal("-2"), world.duty, TODAY)


def test_a_plain_post_goes_back_to_the_grid(world, client_for, insp_items):
    response = client_for(world.office).post(
        reverse("moral_ed:inspection_record", args=[world.class1.pk]), {"item": insp_items["仪表仪容"].pk, "day": TODAY.isoformat()}
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse(GRID)) and response["Location"].endswith(f"#class-{world.class1.pk}")
    assert ClassEvent.objects.count() == 1


@pytest.mark.parametrize(
    "person, target, expected",
    [
        ("duty", "b.class1", 404),
        ("office", "b.class1", 404),
        ("b.duty", "class1", 404),
        ("head_teacher", "class1", 403),
        ("principal", "class1", 403),
        ("parent", "class1", 403),
        ("student_user", "class1", 403),
    ],
)
def test_who_may_not_record(world, client_for, insp_items, person, target, expected):
    response = _tap(client_for(_user(world, person)), _user(world, target), insp_items["仪表仪容"])
    assert response.status_code == expected
    assert not ClassEvent.objects.exists()


def test_duty_student_cannot_record_for_another_day_but_the_office_can(world, client_for, insp_items):
    response = _tap(client_for(world.duty), world.class1, insp_items["仪表仪容"], day=YESTERDAY)
    assert response.status_code == 200 and "alert-danger" in response.content.decode()
    assert not ClassEvent.objects.exists()
    assert _tap(client_for(world.office), world.class1, insp_items["仪表仪容"], day=YESTERDAY).status_code == 200
    assert ClassEvent.objects.get().occurred_on == YESTERDAY


def test_a_day_to_come_or_an_unknown_item_is_refused_in_the_card(world, client_for, insp_items):
    client = client_for(world.office)
    response = _tap(client, world.class1, insp_items["仪表仪容"], day=TODAY + datetime.timedelta(days=1))
    assert response.status_code == 200 and 'alert-danger' in response.content.decode()
    from moral_ed.models import InspectionItem

    b_item = InspectionItem.objects.filter(school=world.b.school).first()
    response = _tap(client, world.class1, b_item)
    assert response.status_code == 200 and 'alert-danger' in response.content.decode()
    assert not ClassEvent.objects.exists()


def test_the_grid_shows_entries_with_author_and_voided_struck_through(world, client_for, insp_items):
    kept = record(world, world.duty, "仪表仪容", note="未戴校徽")
    gone = record(world, world.duty2, "包干区清扫")
    services.inspection_void(actor=world.office, event=gone, reason="查错了")
    record(world, world.duty, "乱扔纸屑", day=YESTERDAY, note="昨天的")
    page = client_for(world.duty).get(reverse(GRID)).content.decode()
    assert "未戴校徽" in page and "值周生林一" in page and "值周生林二" in page
    assert "event-voided" in page and "查错了" in page
    assert "昨天的" not in page
    # Only the author's own entry of today has a void form for the duty student.
    assert reverse("moral_ed:inspection_void", args=[kept.pk]) in page
    assert page.count('action="/conduct/inspections/entry/') == 1


# --- Voiding -------------------------------------------------------------------------------------------------


def _void(client, event, reason="查错班级"):
    return client.post(reverse("moral_ed:inspection_void", args=[event.pk]), {"reason": reason}, **HTMX)


def test_duty_student_voids_own_entry_of_today(world, client_for):
    event = record(world, world.duty, "仪表仪容")
    response = _void(client_for(world.duty), event)
    assert response.status_code == 200 and "event-voided" in response.content.decode()
    event.refresh_from_db()
    assert event.is_voided and event.voided_by == world.duty


def test_duty_student_cannot_void_someone_elses_or_an_earlier_entry(world, client_for):
    client = client_for(world.duty)
    other = record(world, world.duty2, "仪表仪容")
    earlier = record(world, world.duty, "仪表仪容", day=YESTERDAY)
    b_event = record(world, world.b.duty, "仪表仪容", school_class=world.b.class1)
    assert _void(client, other).status_code == 403
    assert _void(client, earlier).status_code == 403
    assert _void(client, b_event).status_code == 404
    assert not ClassEvent.objects.filter(voided_at__isnull=False).exists()


def test_the_office_voids_any_entry_and_a_reason_is_required(world, client_for):
    client = client_for(world.office)
    event = record(world, world.duty, "仪表仪容", day=YESTERDAY)
    response = _void(client, event, reason="")
    assert response.status_code == 200 and "alert-danger" in response.content.decode()
    event.refresh_from_db()
    assert not event.is_voided
    assert _void(client, event).status_code == 200
    event.refresh_from_db()
    assert event.is_voided
    assert _void(client_for(world.head_teacher), event).status_code == 403


def test_a_plain_void_goes_back_to_the_grid_of_its_day(world, client_for):
    event = record(world, world.duty, "仪表仪容", day=YESTERDAY)
    response = client_for(world.office).post(reverse("moral_ed:inspection_void", args=[event.pk]), {"reason": "错"})
    assert response.status_code == 302 and f"day={YESTERDAY.isoformat()}" in response["Location"]


# --- The day -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["2026-13-01", "yesterday", "2026-11-21", "2026-08-20"])
def test_a_bad_day_shows_today_with_a_message(world, client_for, value):
    record(world, world.office, "仪表仪容", note="今天的记录")
    response = client_for(world.office).get(reverse(GRID), {"day": value})
    assert response.status_code == 200
    assert response.context["day"] == TODAY
    page = response.content.decode()
    assert "alert-danger" in page and "今天的记录" in page


def test_the_office_opens_an_earlier_day(world, client_for):
    record(world, world.office, "仪表仪容", day=YESTERDAY, note="昨天的记录")
    response = client_for(world.office).get(reverse(GRID), {"day": YESTERDAY.isoformat()})
    assert response.context["day"] == YESTERDAY and "昨天的记录" in response.content.decode()
    assert f'name="day" value="{YESTERDAY.isoformat()}"' in response.content.decode()


def test_a_duty_student_sees_today_only(world, client_for):
    record(world, world.office, "仪表仪容", day=YESTERDAY, note="昨天的记录")
    response = client_for(world.duty).get(reverse(GRID), {"day": YESTERDAY.isoformat()})
    assert response.context["day"] == TODAY and "昨天的记录" not in response.content.decode()
    assert "alert-danger" in response.content.decode()


def test_the_grid_without_a_term_says_so(world, client_for):
    world.term.is_current = False
    world.term.save()
    response = client_for(world.office).get(reverse(GRID))
    assert response.status_code == 200 and response.context["term"] is None
    assert "当前学期" in response.content.decode() and "inspection-card" not in response.content.decode()


# --- Query budget ----------------------------------------------------------------------------------------------------


def _grid_queries(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _classes_with_entries(world, n):
    """Classes up to `n` in the school (spread over grades 6–8), each with
    two entries of today (one voided) by two duty students."""
    from moral_ed.models import InspectionItem

    items = list(InspectionItem.objects.filter(school=world.school)[:2])
    existing = list(world.school.classes.all())
    grades = [world.grade] + [f.GradeFactory(school=world.school, level=level) for level in (7, 8)]
    classes = existing
    number = 10
    while len(classes) < n:
        number += 1
        classes.append(f.SchoolClassFactory(school=world.school, school_year=world.year, grade=grades[len(classes) % 3], number=number))
    for c in classes:
        if not ClassEvent.objects.filter(school_class=c).exists():
            record(world, world.duty, items[0], school_class=c, note="记录")
            gone = record(world, world.duty2, items[1], school_class=c)
            services.inspection_void(actor=world.office, event=gone, reason="错")


@pytest.mark.parametrize("person", ["duty", "office"])
def test_the_grid_does_not_grow_with_classes_or_entries(world, client_for, person):
    client = client_for(_user(world, person))
    url = reverse(GRID)
    _classes_with_entries(world, 6)
    small = _grid_queries(client, url)
    _classes_with_entries(world, 24)
    assert _grid_queries(client, url) == small
    assert small <= 12


def test_a_tap_costs_the_same_whatever_the_number_of_classes(world, client_for, insp_items):
    client = client_for(world.duty)
    _classes_with_entries(world, 6)
    _tap(client, world.class1, insp_items["仪表仪容"])
    with CaptureQueriesContext(connection) as ctx:
        _tap(client, world.class1, insp_items["仪表仪容"])
    small = len(ctx.captured_queries)
    _classes_with_entries(world, 24)
    with CaptureQueriesContext(connection) as ctx:
        _tap(client, world.class1, insp_items["仪表仪容"])
    assert len(ctx.captured_queries) == small


# --- A class's inspection history --------------------------------------------------------------------------------------


def _history(client, school_class, **params):
    return client.get(reverse("moral_ed:class_inspections", args=[school_class.pk]), params)


@pytest.mark.parametrize(
    "person, own, other",
    [
        ("head_teacher", 200, 404),
        ("other_head_teacher", 404, 200),
        ("office", 200, 200),
        ("principal", 200, 200),
        ("subject_teacher", 403, 404),
        ("counsellor", 403, 403),
        ("duty", 403, 403),
        ("parent", 403, 403),
        ("student_user", 403, 403),
        ("b.office", 404, 404),
    ],
)
def test_who_reads_a_class_history(world, client_for, person, own, other):
    client = client_for(_user(world, person))
    assert _history(client, world.class1).status_code == own
    assert _history(client, world.class2).status_code == other


def test_class_history_shows_the_weeks_entries_and_total(world, client_for):
    record(world, world.office, "包干区清扫", note="本周一")
    record(world, world.office, "好人好事", day=YESTERDAY)
    gone = record(world, world.duty, "仪表仪容")
    services.inspection_void(actor=world.office, event=gone, reason="查错了")
    record(world, world.office, "乱扔纸屑", day=datetime.date(2026, 11, 2), note="上上周")
    record(world, world.office, "乱扔纸屑", school_class=world.class2, note="别的班")
    response = _history(client_for(world.head_teacher), world.class1)
    page = response.content.decode()
    assert response.context["total"] == Decimal("-1")
    assert "本周一" in page and "查错了" in page and "event-voided" in page
    assert "上上周" not in page and "别的班" not in page
    month = _history(client_for(world.head_teacher), world.class1, period="month")
    assert month.context["total"] == Decimal("-1.5") and "上上周" in month.content.decode()
    earlier = _history(client_for(world.head_teacher), world.class1, day="2026-11-03")
    assert earlier.context["total"] == Decimal("-0.5")


def test_class_history_shows_the_class_vetoes(world, client_for):
    services.veto_record(school=world.school, school_class=world.class1, occurred_on=YESTERDAY, reason="损坏公物",
                         recorded_by=world.office)
    assert "损坏公物" in _history(client_for(world.head_teacher), world.class1).content.decode()


def test_class_history_is_paginated_with_a_fixed_query_count(world, client_for, insp_items):
    client = client_for(world.head_teacher)
    for _ in range(3):
        record(world, world.office, "仪表仪容")
    _history(client, world.class1)
    with CaptureQueriesContext(connection) as ctx:
        _history(client, world.class1)
    small = len(ctx.captured_queries)
    ClassEvent.objects.bulk_create(
        [ClassEvent(school=world.school, term=world.term, school_class=world.class1, item=insp_items["仪表仪容"], points=-1,
                    occurred_on=TODAY, recorded_by=world.office) for _ in range(60)]
    )
    with CaptureQueriesContext(connection) as ctx:
        response = _history(client, world.class1)
    assert len(ctx.captured_queries) == small
    assert response.context["page"].paginator.num_pages == 2
    second = _history(client, world.class1, page=2)
    assert len(second.context["entries"]) == 13


# --- Vetoes ---------------------------------------------------------------------------------------------------------------


def test_the_office_records_a_veto_from_the_list(world, client_for):
    client = client_for(world.office)
    page = client.get(reverse("moral_ed:veto_list"))
    assert page.status_code == 200
    assert 'type="date"' in page.content.decode() and f'value="{TODAY.isoformat()}"' in page.content.decode()
    response = client.post(
        reverse("moral_ed:veto_record"),
        {"school_class": world.class2.pk, "occurred_on": YESTERDAY.isoformat(), "reason": "课间打架致人受伤"},
    )
    assert response.status_code == 302 and response["Location"] == reverse("moral_ed:veto_list")
    veto = ClassVeto.objects.get()
    assert veto.school_class == world.class2 and veto.recorded_by == world.office
    page = client.get(reverse("moral_ed:veto_list")).content.decode()
    assert "课间打架致人受伤" in page and "六(2)班" in page


@pytest.mark.parametrize(
    "data",
    [
        {"occurred_on": "2026-11-19", "reason": ""},
        {"occurred_on": "2026-11-21", "reason": "打架"},
        {"occurred_on": "", "reason": "打架"},
        {"occurred_on": "2026-08-01", "reason": "打架"},
    ],
)
def test_a_veto_needs_a_reason_and_a_proper_date(world, client_for, data):
    response = client_for(world.office).post(reverse("moral_ed:veto_record"), {"school_class": world.class1.pk, **data})
    assert response.status_code == 422
    assert not ClassVeto.objects.exists()


def test_a_veto_for_another_schools_class_is_refused(world, client_for):
    response = client_for(world.office).post(
        reverse("moral_ed:veto_record"), {"school_class": world.b.class1.pk, "occurred_on": "2026-11-19", "reason": "打架"}
    )
    assert response.status_code == 422 and not ClassVeto.objects.exists()


@pytest.mark.parametrize("person, list_status", [("principal", 200), ("head_teacher", 403), ("duty", 403), ("parent", 403)])
def test_only_the_office_records_vetoes(world, client_for, person, list_status):
    client = client_for(_user(world, person))
    assert client.get(reverse("moral_ed:veto_list")).status_code == list_status
    response = client.post(reverse("moral_ed:veto_record"), {"school_class": world.class1.pk, "occurred_on": "2026-11-19", "reason": "打架"})
    assert response.status_code == 403 and not ClassVeto.objects.exists()


def test_the_principal_reads_vetoes_without_forms(world, client_for):
    services.veto_record(school=world.school, school_class=world.class1, occurred_on=YESTERDAY, reason="打架", recorded_by=world.office)
    page = client_for(world.principal).get(reverse("moral_ed:veto_list")).content.decode()
    assert "打架" in page and reverse("moral_ed:veto_record") not in page and "/void/" not in page


def test_the_office_withdraws_a_veto_with_a_reason(world, client_for):
    veto = services.veto_record(school=world.school, school_class=world.class1, occurred_on=YESTERDAY, reason="打架",
                                recorded_by=world.office)
    url = reverse("moral_ed:veto_void", args=[veto.pk])
    client = client_for(world.office)
    assert client.post(url, {"reason": ""}).status_code == 302
    veto.refresh_from_db()
    assert not veto.is_voided
    assert client.post(url, {"reason": "经核实不属实"}).status_code == 302
    veto.refresh_from_db()
    assert veto.is_voided and veto.void_reason == "经核实不属实"
    page = client.get(reverse("moral_ed:veto_list")).content.decode()
    assert "event-voided" in page and "经核实不属实" in page
    assert client_for(world.principal).post(url, {"reason": "x"}).status_code == 403
    assert client_for(world.b.office).post(url, {"reason": "x"}).status_code == 404


# --- The published weekly ranking ------------------------------------------------------------------------------------------


RANKING = "moral_ed:ranking_published"
LAST_WEEK = datetime.date(2026, 11, 9)
WEEK_BEFORE = datetime.date(2026, 11, 2)


def test_the_ranking_is_empty_until_a_week_is_published(world, client_for):
    published_week(world.school, LAST_WEEK, [{"school_class": world.class1}], status=RevisionStatus.DRAFT)
    for person in ("office", "parent", "duty"):
        response = client_for(_user(world, person)).get(reverse(RANKING))
        assert response.status_code == 200
        assert response.context["evaluation"] is None and response.context["grades"] == []
        assert "alert-info" in response.content.decode()


def _two_weeks(world):
    published_week(world.school, WEEK_BEFORE, [
        {"school_class": world.class2, "score": Decimal("99"), "rank_in_grade": 1, "rank_in_school": 1},
        {"school_class": world.class1, "score": Decimal("97.5"), "rank_in_grade": 2, "rank_in_school": 2},
    ])
    published_week(world.school, LAST_WEEK, [
        {"school_class": world.class1, "score": Decimal("101"), "rank_in_grade": 1, "rank_in_school": 1, "inspection_points": Decimal("1")},
        {"school_class": world.class2, "score": Decimal("95.5"), "rank_in_grade": 2, "rank_in_school": 2, "vetoed": True,
         "veto_reason": "课间打架致人受伤"},
    ])
    published_week(world.b.school, LAST_WEEK, [{"school_class": world.b.class1, "score": Decimal("88")}])


@pytest.mark.parametrize("person", ["office", "head_teacher", "principal", "parent", "student_user", "duty"])
def test_every_member_of_the_school_reads_the_latest_published_week(world, client_for, person):
    _two_weeks(world)
    response = client_for(_user(world, person)).get(reverse(RANKING))
    assert response.status_code == 200
    assert response.context["evaluation"].period_start == LAST_WEEK
    page = response.content.decode()
    assert "六(1)班" in page and "101" in page and "95.5" in page and "课间打架致人受伤" in page
    assert {r.school_id for g in response.context["grades"] for r in g["rows"]} == {world.school.pk}
    assert "2026-11-02" in page  # the earlier week is listed


def test_staff_read_it_in_the_staff_layout_and_families_in_the_portal(world, client_for):
    _two_weeks(world)
    assert client_for(world.head_teacher).get(reverse(RANKING)).templates[1].name == "base.html"
    assert client_for(world.parent).get(reverse(RANKING)).templates[1].name == "portal/base.html"
    assert client_for(world.student_user).get(reverse(RANKING)).templates[1].name == "portal/base.html"


def test_an_earlier_week_opens_by_date_and_an_unknown_week_is_404_a_wrong_one_400(world, client_for):
    _two_weeks(world)
    client = client_for(world.parent)
    response = client.get(reverse(RANKING), {"week": "2026-11-04"})
    assert response.status_code == 200 and response.context["evaluation"].period_start == WEEK_BEFORE
    assert "97.5" in response.content.decode()
    assert client.get(reverse(RANKING), {"week": "2026-10-05"}).status_code == 404
    # Not a day at all (a hand-made link): 400 with what is wrong (tests/moral_ed/test_trust_inputs.py).
    assert client.get(reverse(RANKING), {"week": "nonsense"}).status_code == 400


def test_a_superseded_or_draft_revision_is_not_shown(world, client_for):
    published_week(world.school, LAST_WEEK, [{"school_class": world.class1, "score": Decimal("77.5")}],
                   status=RevisionStatus.SUPERSEDED)
    published_week(world.school, LAST_WEEK, [{"school_class": world.class1, "score": Decimal("66.5")}], number=2)
    published_week(world.school, LAST_WEEK, [{"school_class": world.class1, "score": Decimal("55.5")}], number=3,
                   status=RevisionStatus.DRAFT)
    page = client_for(world.parent).get(reverse(RANKING)).content.decode()
    assert "66.5" in page and "77.5" not in page and "55.5" not in page


def test_the_published_ranking_never_names_a_student(world, client_for, insp_items):
    """Students, their conduct events, stars and groups are in the database;
    the public page shows classes only."""
    from moral_ed.models import ConductItem
    from moral_ed.services.defaults import defaults_install as conduct_defaults

    conduct_defaults(school=world.school)
    item = ConductItem.objects.filter(school=world.school, points__lt=0).first()
    conduct_services.points_record(actor=world.head_teacher, school=world.school, term=world.term, school_class=world.class1,
                                   student_ids=[world.child.pk, world.classmate.pk], item=item)
    record(world, world.duty, "仪表仪容", note="有学生未穿校服")
    _two_weeks(world)
    names = [world.child.name, world.classmate.name, world.other_child.name, world.b.child.name]
    for person in ("office", "parent", "student_user", "duty", "principal"):
        page = client_for(_user(world, person)).get(reverse(RANKING)).content.decode()
        assert "六(1)班" in page
        for name in names:
            assert name not in page, f"{person} sees {name}"


def test_anonymous_and_people_without_a_school_are_refused(world, client_for):
    assert Client().get(reverse(RANKING)).status_code == 302
    nobody = f.UserFactory(username="nobody")
    assert client_for(nobody).get(reverse(RANKING)).status_code == 403


def test_the_ranking_page_does_not_grow_with_classes(world, client_for):
    client = client_for(world.parent)
    _two_weeks(world)
    _grid_queries(client, reverse(RANKING))
    small = _grid_queries(client, reverse(RANKING))
    more = [f.SchoolClassFactory(school=world.school, school_year=world.year, grade=world.grade, number=n) for n in range(3, 12)]
    published_week(world.school, datetime.date(2026, 11, 16) - datetime.timedelta(days=7 * 5),
                   [{"school_class": c} for c in [world.class1, world.class2, *more]])
    published_week(world.school, datetime.date(2026, 11, 16), [{"school_class": c} for c in [world.class1, world.class2, *more]])
    assert _grid_queries(client, reverse(RANKING)) == small
