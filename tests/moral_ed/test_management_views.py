"""The head teacher's and the office's conduct pages: review queue, groups,
ranking, character bank and stars. Who may open and post to each, and what
each post changes."""

from decimal import Decimal

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse

from moral_ed.models import (
    ConductEvent,
    Disclosure,
    GroupEvent,
    GroupMembership,
    GuardianNote,
    Redemption,
    Reward,
    StarAward,
    StarCategory,
    StarStatus,
    StudentGroup,
)
from moral_ed.services import conduct as services
from notifications.models import Notification

pytestmark = pytest.mark.usefixtures("items")


@pytest.fixture(autouse=True)
def school_day():
    # A Friday, 10:00 in Shanghai: staged deductions are due at 20:00 today.
    with time_machine.travel("2026-11-20 10:00 +0800", tick=False):
        yield


def _get(world, dotted):
    obj = world
    for part in dotted.split("."):
        obj = getattr(obj, part)
    return obj


def _client(world, person, *, english=False):
    client = Client()
    if person != "anonymous":
        client.force_login(_get(world, person))
    if english:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _messages(response) -> str:
    return " ".join(str(m) for m in response.context["messages"]) if response.context else ""


@pytest.fixture
def group(world):
    return services.group_save(
        actor=world.head_teacher, school_class=world.class1, kind="study", name="雏鹰组", student_ids=[world.child.pk]
    )


@pytest.fixture
def staged(world, record):
    """Two deductions for the child, waiting for review."""
    events, *_ = record(world.subject_teacher, [world.child], "上课讲话")
    more, *_ = record(world.head_teacher, [world.child], "迟到")
    return events + more


@pytest.fixture
def other_class_event(world, record):
    events, *_ = record(world.other_head_teacher, [world.other_child], "迟到", school_class=world.class2)
    return events[0]


# --- Who may open each page ------------------------------------------------------------

PEOPLE = ["head_teacher", "other_head_teacher", "subject_teacher", "parent", "student_user", "office", "counsellor", "principal", "b.office", "b.head_teacher"]

# page → expected status per person above (GET, object of class 六(1) of school A)
PAGES = {
    "review_queue": (200, 404, 403, 403, 403, 403, 403, 403, 404, 404),
    "class_groups": (200, 404, 200, 403, 403, 200, 403, 403, 404, 404),
    "group_create": (200, 404, 403, 403, 403, 403, 403, 403, 404, 404),
    "group_edit": (200, 404, 403, 403, 403, 403, 403, 403, 404, 404),
    "class_ranking": (200, 404, 200, 403, 403, 200, 200, 200, 404, 404),
    "class_bank": (200, 404, 200, 403, 403, 200, 403, 403, 404, 404),
    "class_stars": (200, 404, 403, 403, 403, 403, 403, 403, 404, 404),
}

CASES = [(page, person, PAGES[page][i]) for page in PAGES for i, person in enumerate(PEOPLE)]


def _page_url(world, group, page):
    return reverse(f"moral_ed:{page}", args=[group.pk if page == "group_edit" else world.class1.pk])


@pytest.mark.parametrize("page, person, expected", CASES, ids=[f"{p}-{who}" for p, who, _ in CASES])
def test_who_may_open_each_page(world, group, page, person, expected):
    response = _client(world, person).get(_page_url(world, group, page))
    assert response.status_code == expected


@pytest.mark.parametrize("page", list(PAGES) + ["star_queue"])
def test_anonymous_is_sent_to_login(world, group, page):
    url = reverse("moral_ed:star_queue") if page == "star_queue" else _page_url(world, group, page)
    response = Client().get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize(
    "person, expected",
    [("office", 200), ("b.office", 200), ("head_teacher", 403), ("subject_teacher", 403), ("principal", 403), ("parent", 403), ("student_user", 403)],
)
def test_only_the_office_opens_the_star_queue(world, person, expected):
    assert _client(world, person).get(reverse("moral_ed:star_queue")).status_code == expected


def test_pages_of_another_class_are_hidden_from_its_non_teachers(world):
    """The head teacher of 六(1) does not learn that 六(2)'s pages exist."""
    client = _client(world, "head_teacher")
    for page in ("review_queue", "class_groups", "class_ranking", "class_bank", "class_stars"):
        assert client.get(reverse(f"moral_ed:{page}", args=[world.class2.pk])).status_code == 404
        assert client.get(reverse(f"moral_ed:{page}", args=[world.b.class1.pk])).status_code == 404


# --- Posts: who may change ----------------------------------------------------------------


def _posts(world, group, items, staged_ids):
    c = world.class1.pk
    return {
        "review_action": (reverse("moral_ed:review_action", args=[c]), {"action": "release", "events": staged_ids}),
        "group_create": (reverse("moral_ed:group_create", args=[c]), {"kind": "cleaning", "name": "一组", "students": [world.child.pk]}),
        "group_edit": (reverse("moral_ed:group_edit", args=[group.pk]), {"name": "改名组", "students": [world.child.pk]}),
        "group_points": (reverse("moral_ed:group_points", args=[group.pk]), {"item": items["值日认真"].pk}),
        "reward_add": (reverse("moral_ed:reward_add", args=[c]), {"name": "免一次作业", "cost": "2"}),
        "bank_redeem": (reverse("moral_ed:bank_redeem", args=[c]), {"student": world.child.pk, "reward": "0"}),
        "class_stars": (reverse("moral_ed:class_stars", args=[c]), {"category": "0", "student": world.child.pk, "reason": "x"}),
    }


def _state():
    return (
        ConductEvent.objects.filter(disclosure=Disclosure.STAGED).count(),
        StudentGroup.objects.count(),
        list(StudentGroup.objects.values_list("name", flat=True).order_by("pk")),
        GroupEvent.objects.count(),
        Reward.objects.count(),
        Redemption.objects.count(),
        StarAward.objects.count(),
    )


@pytest.mark.parametrize(
    "person, expected",
    [("subject_teacher", 403), ("office", 403), ("principal", 403), ("parent", 403), ("student_user", 403), ("other_head_teacher", 404), ("b.office", 404)],
)
def test_only_the_head_teacher_may_change(world, group, items, staged, person, expected):
    before = _state()
    client = _client(world, person)
    for name, (url, data) in _posts(world, group, items, [e.pk for e in staged]).items():
        assert client.post(url, data).status_code == expected, name
    assert _state() == before


def test_bank_posts_are_for_the_head_teacher_only(world, items, record):
    record(world.head_teacher, [world.child], "拾金不昧")
    reward = services.reward_save(actor=world.head_teacher, school_class=world.class1, name="选座位", cost=Decimal("1"))
    redemption = services.reward_redeem(actor=world.head_teacher, student=world.child, reward=reward)
    c = world.class1.pk
    for person in ("subject_teacher", "office"):
        client = _client(world, person)
        assert client.post(reverse("moral_ed:reward_switch", args=[c]), {"reward": reward.pk}).status_code == 403
        assert client.post(reverse("moral_ed:bank_redeem", args=[c]), {"student": world.child.pk, "reward": reward.pk}).status_code == 403
        url = reverse("moral_ed:redemption_void", args=[c])
        assert client.post(url, {"redemption": redemption.pk, "reason": "错了"}).status_code == 403
    reward.refresh_from_db()
    redemption.refresh_from_db()
    assert reward.is_active and redemption.voided_at is None and Redemption.objects.count() == 1


def test_post_only_urls_refuse_get(world, group):
    client = _client(world, "head_teacher")
    for name, arg in [("review_action", world.class1.pk), ("group_points", group.pk), ("reward_add", world.class1.pk), ("star_decide", 1)]:
        assert client.get(reverse(f"moral_ed:{name}", args=[arg])).status_code == 405


# --- Review queue ----------------------------------------------------------------------------


def test_review_queue_shows_entries_by_student_with_local_release_time(world, staged, other_class_event):
    page = _client(world, "head_teacher").get(reverse("moral_ed:review_queue", args=[world.class1.pk])).content.decode()
    assert "陈小雨" in page and "上课讲话" in page and "迟到" in page
    assert "11-20 20:00" in page  # release_due_at 12:00 UTC shown in Shanghai time
    assert "吴浩然" not in page  # 六(2)'s entry is not in 六(1)'s queue
    for e in staged:
        assert f'value="{e.pk}"' in page


def test_review_queue_empty_state(world):
    response = _client(world, "head_teacher", english=True).get(reverse("moral_ed:review_queue", args=[world.class1.pk]))
    assert "Nothing is waiting for review" in response.content.decode()


def test_release_now_shows_entries_to_guardians(world, staged):
    url = reverse("moral_ed:review_action", args=[world.class1.pk])
    response = _client(world, "head_teacher").post(url, {"action": "release", "events": [staged[0].pk]}, follow=True)
    assert response.status_code == 200
    staged[0].refresh_from_db()
    staged[1].refresh_from_db()
    assert staged[0].disclosure == Disclosure.RELEASED and staged[0].released_at is not None
    assert staged[1].disclosure == Disclosure.STAGED  # not ticked, still waiting
    assert Notification.objects.filter(recipient=world.parent, kind="moral_ed.conduct_released").count() == 1


def test_merge_replaces_entries_by_one_note(world, staged):
    url = reverse("moral_ed:review_action", args=[world.class1.pk])
    _client(world, "head_teacher").post(url, {"action": "merge", "events": [e.pk for e in staged], "text": "今天有两处小问题，已和孩子聊过。"})
    note = GuardianNote.objects.get()
    assert note.student == world.child and note.written_by == world.head_teacher and note.text.startswith("今天")
    assert set(ConductEvent.objects.values_list("disclosure", "guardian_note")) == {(Disclosure.MERGED, note.pk)}


def test_merge_needs_a_text(world, staged):
    url = reverse("moral_ed:review_action", args=[world.class1.pk])
    response = _client(world, "head_teacher", english=True).post(
        url, {"action": "merge", "events": [e.pk for e in staged], "text": "  "}, follow=True
    )
    assert "Write the note guardians will read." in _messages(response)
    assert not GuardianNote.objects.exists()
    assert ConductEvent.objects.filter(disclosure=Disclosure.STAGED).count() == 2


def test_merge_takes_one_student_at_a_time(world, record, staged):
    more, *_ = record(world.head_teacher, [world.classmate], "迟到")
    url = reverse("moral_ed:review_action", args=[world.class1.pk])
    response = _client(world, "head_teacher", english=True).post(
        url, {"action": "merge", "events": [staged[0].pk, more[0].pk], "text": "note"}, follow=True
    )
    assert "one student at a time" in _messages(response)
    assert not GuardianNote.objects.exists()


def test_void_from_the_queue_keeps_the_entries_with_the_reason(world, staged):
    url = reverse("moral_ed:review_action", args=[world.class1.pk])
    _client(world, "head_teacher").post(url, {"action": "void", "events": [e.pk for e in staged], "reason": "记错了学生"})
    assert ConductEvent.objects.count() == 2
    assert set(ConductEvent.objects.values_list("voided_by", "void_reason")) == {(world.head_teacher.pk, "记错了学生")}


def test_void_from_the_queue_needs_a_reason(world, staged):
    url = reverse("moral_ed:review_action", args=[world.class1.pk])
    response = _client(world, "head_teacher", english=True).post(url, {"action": "void", "events": [staged[0].pk]}, follow=True)
    assert "Say why the entry is voided." in _messages(response)
    assert not ConductEvent.objects.filter(voided_at__isnull=False).exists()


@pytest.mark.parametrize("action", ["release", "merge", "void"])
def test_ids_of_another_classs_entries_change_nothing(world, other_class_event, staged, action):
    """The head teacher of 六(1) posts the id of a 六(2) entry to 六(1)'s review action."""
    url = reverse("moral_ed:review_action", args=[world.class1.pk])
    data = {"action": action, "events": [other_class_event.pk], "text": "note", "reason": "reason"}
    response = _client(world, "head_teacher").post(url, data)
    assert response.status_code == 302
    other_class_event.refresh_from_db()
    assert other_class_event.disclosure == Disclosure.STAGED and other_class_event.voided_at is None
    assert other_class_event.guardian_note_id is None and not GuardianNote.objects.exists()
    assert not Notification.objects.filter(kind="moral_ed.conduct_released").exists()


def test_mixed_ids_touch_only_the_classs_own_entries(world, other_class_event, staged):
    url = reverse("moral_ed:review_action", args=[world.class1.pk])
    _client(world, "head_teacher").post(url, {"action": "void", "events": [other_class_event.pk, staged[0].pk], "reason": "错了"})
    assert list(ConductEvent.objects.filter(voided_at__isnull=False)) == [staged[0]]


def test_the_other_class_action_url_is_out_of_reach(world, staged):
    url = reverse("moral_ed:review_action", args=[world.class2.pk])
    assert _client(world, "head_teacher").post(url, {"action": "release", "events": [staged[0].pk]}).status_code == 404
    assert not ConductEvent.objects.exclude(disclosure=Disclosure.STAGED).exists()


def test_released_or_positive_entries_are_not_in_the_queue_and_cannot_be_voided_there(world, record):
    events, *_ = record(world.head_teacher, [world.child], "拾金不昧")  # positive: released at once
    url = reverse("moral_ed:review_action", args=[world.class1.pk])
    _client(world, "head_teacher").post(url, {"action": "void", "events": [events[0].pk], "reason": "x"})
    events[0].refresh_from_db()
    assert events[0].voided_at is None


# --- Groups ----------------------------------------------------------------------------------


def test_head_teacher_creates_a_group(world):
    url = reverse("moral_ed:group_create", args=[world.class1.pk])
    response = _client(world, "head_teacher").post(url, {"kind": "cleaning", "name": "卫生一组", "students": [world.child.pk, world.classmate.pk]})
    assert response.status_code == 302
    group = StudentGroup.objects.get(name="卫生一组")
    assert group.school_class == world.class1 and group.kind == "cleaning"
    assert set(group.memberships.values_list("student_id", flat=True)) == {world.child.pk, world.classmate.pk}


def test_group_form_refuses_a_student_of_another_class(world):
    url = reverse("moral_ed:group_create", args=[world.class1.pk])
    response = _client(world, "head_teacher").post(url, {"kind": "study", "name": "雏鹰组", "students": [world.other_child.pk]})
    assert response.status_code == 200 and response.context["form"].errors
    assert not StudentGroup.objects.exists()


def test_group_form_shows_a_duplicate_name_on_the_form(world, group):
    url = reverse("moral_ed:group_create", args=[world.class1.pk])
    response = _client(world, "head_teacher").post(url, {"kind": "study", "name": "雏鹰组", "students": []})
    assert response.status_code == 200 and "name" in response.context["form"].errors
    assert StudentGroup.objects.count() == 1


def test_head_teacher_edits_a_group_but_not_its_kind(world, group):
    url = reverse("moral_ed:group_edit", args=[group.pk])
    page = _client(world, "head_teacher").get(url)
    assert page.context["form"].initial["students"] == [world.child.pk]
    _client(world, "head_teacher").post(url, {"kind": "cleaning", "name": "飞鹰组", "students": [world.classmate.pk]})
    group.refresh_from_db()
    assert group.name == "飞鹰组" and group.kind == "study"
    assert list(group.memberships.values_list("student_id", flat=True)) == [world.classmate.pk]


def test_head_teacher_records_points_for_a_group(world, group, items):
    url = reverse("moral_ed:group_points", args=[group.pk])
    response = _client(world, "head_teacher").post(url, {"item": items["值日认真"].pk, "note": "教室很干净"})
    assert response.status_code == 302 and response["Location"].endswith("?kind=study")
    event = GroupEvent.objects.get()
    assert event.group == group and event.points == items["值日认真"].points and event.recorded_by == world.head_teacher


def test_group_points_refuse_another_schools_item(world, group):
    from moral_ed.models import ConductItem

    foreign = ConductItem.objects.filter(school=world.b.school).first()
    _client(world, "head_teacher").post(reverse("moral_ed:group_points", args=[group.pk]), {"item": foreign.pk})
    assert not GroupEvent.objects.exists()


def test_groups_page_ranks_groups_and_names_the_best_of_the_month(world, group, record, items):
    other = services.group_save(
        actor=world.head_teacher, school_class=world.class1, kind="study", name="飞鹰组", student_ids=[world.classmate.pk]
    )
    record(world.head_teacher, [world.classmate], "拾金不昧")  # +3 for 飞鹰组
    services.group_points_record(actor=world.head_teacher, term=world.term, group=group, item=items["值日认真"])  # +1 for 雏鹰组
    response = _client(world, "subject_teacher").get(reverse("moral_ed:class_groups", args=[world.class1.pk]))
    assert response.status_code == 200
    assert [g.name for g in response.context["month_ranking"]] == ["飞鹰组", "雏鹰组"]
    assert response.context["best"] == other
    page = response.content.decode()
    assert "周子涵" not in page and "陈小雨" not in page  # group figures only
    assert reverse("moral_ed:group_edit", args=[group.pk]) not in page  # no editing for a subject teacher
    page = _client(world, "head_teacher").get(reverse("moral_ed:class_groups", args=[world.class1.pk])).content.decode()
    assert reverse("moral_ed:group_edit", args=[group.pk]) in page


def test_groups_page_filters_by_kind(world, group):
    services.group_save(actor=world.head_teacher, school_class=world.class1, kind="cleaning", name="卫生一组", student_ids=[])
    client = _client(world, "head_teacher")
    url = reverse("moral_ed:class_groups", args=[world.class1.pk])
    assert [g.name for g in client.get(url).context["week_ranking"]] == ["雏鹰组"]
    assert [g.name for g in client.get(url, {"kind": "cleaning"}).context["week_ranking"]] == ["卫生一组"]


# --- Ranking ---------------------------------------------------------------------------------


def test_ranking_shows_places_for_the_chosen_period_and_says_staff_only(world, record):
    with time_machine.travel("2026-11-02 10:00 +0800", tick=False):
        record(world.head_teacher, [world.classmate], "拾金不昧")  # +3 earlier this month
    record(world.head_teacher, [world.child], "上课积极发言")  # +1 this week
    client = _client(world, "principal", english=True)
    url = reverse("moral_ed:class_ranking", args=[world.class1.pk])
    week = client.get(url, {"period": "week"})
    assert [(s.name, s.total, s.place) for s in week.context["ranking"]] == [("陈小雨", 1, 1), ("周子涵", 0, 2)]
    month = client.get(url, {"period": "month"})
    assert [(s.name, s.place) for s in month.context["ranking"]] == [("周子涵", 1), ("陈小雨", 2)]
    assert month.context["aggregates"]["morality"] == 3 and month.context["aggregates"]["all"] == 4
    assert "Staff only" in month.content.decode()


def test_equal_totals_share_a_place(world):
    response = _client(world, "head_teacher").get(reverse("moral_ed:class_ranking", args=[world.class1.pk]))
    assert [s.place for s in response.context["ranking"]] == [1, 1]


# --- Character bank --------------------------------------------------------------------------


def test_head_teacher_adds_and_switches_off_a_reward(world):
    client = _client(world, "head_teacher")
    client.post(reverse("moral_ed:reward_add", args=[world.class1.pk]), {"name": "当一天图书管理员", "cost": "2.5"})
    reward = Reward.objects.get()
    assert reward.school_class == world.class1 and reward.cost == Decimal("2.5") and reward.is_active
    client.post(reverse("moral_ed:reward_switch", args=[world.class1.pk]), {"reward": reward.pk})
    reward.refresh_from_db()
    assert not reward.is_active


def test_reward_switch_of_another_class_is_not_found(world):
    reward = services.reward_save(actor=world.other_head_teacher, school_class=world.class2, name="选座位", cost=Decimal("1"))
    response = _client(world, "head_teacher").post(reverse("moral_ed:reward_switch", args=[world.class1.pk]), {"reward": reward.pk})
    assert response.status_code == 404
    reward.refresh_from_db()
    assert reward.is_active


def test_redeem_spends_the_balance(world, record):
    record(world.head_teacher, [world.child], "拾金不昧")  # +3
    reward = services.reward_save(actor=world.head_teacher, school_class=world.class1, name="选座位", cost=Decimal("2"))
    client = _client(world, "head_teacher")
    client.post(reverse("moral_ed:bank_redeem", args=[world.class1.pk]), {"student": world.child.pk, "reward": reward.pk})
    assert Redemption.objects.get().student == world.child
    bank = client.get(reverse("moral_ed:class_bank", args=[world.class1.pk]))
    balances = {s.name: s.balance for s in bank.context["balances"]}
    assert balances == {"陈小雨": Decimal("1"), "周子涵": Decimal("0")}


def test_redeem_with_a_balance_too_low_shows_why(world, record):
    record(world.head_teacher, [world.child], "文明礼貌")  # +1
    reward = services.reward_save(actor=world.head_teacher, school_class=world.class1, name="选座位", cost=Decimal("2"))
    url = reverse("moral_ed:bank_redeem", args=[world.class1.pk])
    response = _client(world, "head_teacher", english=True).post(url, {"student": world.child.pk, "reward": reward.pk}, follow=True)
    text = _messages(response)
    assert "陈小雨 has 1" in text and "points in the character bank; “选座位” needs 2" in text
    assert not Redemption.objects.exists()


def test_redeem_refuses_another_classs_student_or_reward(world, record):
    record(world.head_teacher, [world.child], "拾金不昧")
    own = services.reward_save(actor=world.head_teacher, school_class=world.class1, name="选座位", cost=Decimal("1"))
    foreign = services.reward_save(actor=world.other_head_teacher, school_class=world.class2, name="免值日", cost=Decimal("1"))
    client = _client(world, "head_teacher")
    url = reverse("moral_ed:bank_redeem", args=[world.class1.pk])
    client.post(url, {"student": world.child.pk, "reward": foreign.pk})
    client.post(url, {"student": world.other_child.pk, "reward": own.pk})
    assert not Redemption.objects.exists()


def test_redeem_refuses_a_switched_off_reward(world, record):
    record(world.head_teacher, [world.child], "拾金不昧")
    reward = services.reward_save(actor=world.head_teacher, school_class=world.class1, name="选座位", cost=Decimal("1"), is_active=False)
    _client(world, "head_teacher").post(reverse("moral_ed:bank_redeem", args=[world.class1.pk]), {"student": world.child.pk, "reward": reward.pk})
    assert not Redemption.objects.exists()


def test_void_a_redemption_gives_the_points_back(world, record):
    record(world.head_teacher, [world.child], "拾金不昧")
    reward = services.reward_save(actor=world.head_teacher, school_class=world.class1, name="选座位", cost=Decimal("3"))
    redemption = services.reward_redeem(actor=world.head_teacher, student=world.child, reward=reward)
    client = _client(world, "head_teacher")
    url = reverse("moral_ed:redemption_void", args=[world.class1.pk])
    client.post(url, {"redemption": redemption.pk, "reason": ""})
    redemption.refresh_from_db()
    assert redemption.voided_at is None  # a reason is needed
    client.post(url, {"redemption": redemption.pk, "reason": "奖品缺货"})
    redemption.refresh_from_db()
    assert redemption.void_reason == "奖品缺货" and services.bank_balance(world.child.pk) == 3


def test_redemption_of_another_class_cannot_be_voided(world, record):
    record(world.other_head_teacher, [world.other_child], "拾金不昧", school_class=world.class2)
    reward = services.reward_save(actor=world.other_head_teacher, school_class=world.class2, name="选座位", cost=Decimal("1"))
    redemption = services.reward_redeem(actor=world.other_head_teacher, student=world.other_child, reward=reward)
    url = reverse("moral_ed:redemption_void", args=[world.class1.pk])
    assert _client(world, "head_teacher").post(url, {"redemption": redemption.pk, "reason": "x"}).status_code == 404
    redemption.refresh_from_db()
    assert redemption.voided_at is None


def test_subject_teacher_sees_the_bank_without_forms(world):
    page = _client(world, "subject_teacher").get(reverse("moral_ed:class_bank", args=[world.class1.pk])).content.decode()
    assert reverse("moral_ed:bank_redeem", args=[world.class1.pk]) not in page
    assert reverse("moral_ed:reward_add", args=[world.class1.pk]) not in page


# --- Stars -----------------------------------------------------------------------------------


def _star(world, name):
    return StarCategory.objects.get(school=world.school, name=name)


def test_stars_page_suggests_candidates_with_their_points(world, record):
    record(world.head_teacher, [world.child], "拾金不昧")  # +3 morality
    record(world.head_teacher, [world.classmate], "上课积极发言")  # +1 study
    response = _client(world, "head_teacher").get(reverse("moral_ed:class_stars", args=[world.class1.pk]))
    stars = {s.name: s for s in response.context["stars"]}
    assert [(c["student"].name, c["student"].earned) for c in stars["每周之星"].candidates] == [("陈小雨", 3), ("周子涵", 1)]
    assert [c["student"].name for c in stars["文明礼貌之星"].candidates] == ["陈小雨"]  # morality only
    assert stars["每周之星"].current.start.isoformat() == "2026-11-16"
    assert stars["文明礼貌之星"].current.start.isoformat() == "2026-11-01"


def test_candidate_link_fills_the_nomination_form(world, record):
    star = _star(world, "每周之星")
    response = _client(world, "head_teacher").get(
        reverse("moral_ed:class_stars", args=[world.class1.pk]), {"category": star.pk, "student": world.child.pk}
    )
    assert response.context["form"].initial == {"category": str(star.pk), "student": str(world.child.pk)}


def test_class_star_is_awarded_at_once(world):
    star = _star(world, "每周之星")
    url = reverse("moral_ed:class_stars", args=[world.class1.pk])
    response = _client(world, "head_teacher").post(url, {"category": star.pk, "student": world.child.pk, "reason": "主动帮助同学"})
    assert response.status_code == 302
    award = StarAward.objects.get()
    assert award.status == StarStatus.CONFIRMED and award.school_class == world.class1
    page = _client(world, "head_teacher").get(url).content.decode()
    assert "主动帮助同学" in page


def test_a_second_nomination_in_the_period_is_shown_on_the_form(world):
    star = _star(world, "每周之星")
    url = reverse("moral_ed:class_stars", args=[world.class1.pk])
    client = _client(world, "head_teacher")
    client.post(url, {"category": star.pk, "student": world.child.pk, "reason": "一"})
    response = client.post(url, {"category": star.pk, "student": world.child.pk, "reason": "二"})
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    assert StarAward.objects.count() == 1


def test_nomination_refuses_a_student_of_another_class(world):
    star = _star(world, "每周之星")
    url = reverse("moral_ed:class_stars", args=[world.class1.pk])
    response = _client(world, "head_teacher").post(url, {"category": star.pk, "student": world.other_child.pk, "reason": "x"})
    assert response.status_code == 200 and "student" in response.context["form"].errors
    assert not StarAward.objects.exists()


def test_school_star_waits_for_the_office_who_confirms_it(world):
    star = _star(world, "文明礼貌之星")
    _client(world, "head_teacher").post(
        reverse("moral_ed:class_stars", args=[world.class1.pk]), {"category": star.pk, "student": world.child.pk, "reason": "待人有礼"}
    )
    award = StarAward.objects.get()
    assert award.status == StarStatus.NOMINATED
    office = _client(world, "office")
    queue = office.get(reverse("moral_ed:star_queue"))
    assert list(queue.context["nominations"]) == [award] and "待人有礼" in queue.content.decode()
    response = office.post(reverse("moral_ed:star_decide", args=[award.pk]), {"decision": "confirm"})
    assert response.status_code == 302
    award.refresh_from_db()
    assert award.status == StarStatus.CONFIRMED and award.decided_by == world.office
    assert Notification.objects.filter(recipient=world.parent, kind="moral_ed.star_awarded").exists()
    assert list(office.get(reverse("moral_ed:star_queue")).context["nominations"]) == []


def test_office_declines_a_nomination_once(world):
    star = _star(world, "文明礼貌之星")
    award = services.star_nominate(actor=world.head_teacher, category=star, student=world.child, school_class=world.class1, reason="r")
    office = _client(world, "office")
    office.post(reverse("moral_ed:star_decide", args=[award.pk]), {"decision": "decline"})
    office.post(reverse("moral_ed:star_decide", args=[award.pk]), {"decision": "confirm"})  # a late double click
    award.refresh_from_db()
    assert award.status == StarStatus.DECLINED
    assert not Notification.objects.filter(kind="moral_ed.star_awarded").exists()


@pytest.mark.parametrize("person, expected", [("head_teacher", 403), ("principal", 403), ("parent", 403), ("b.office", 404)])
def test_only_the_schools_office_decides(world, person, expected):
    star = _star(world, "文明礼貌之星")
    award = services.star_nominate(actor=world.head_teacher, category=star, student=world.child, school_class=world.class1, reason="r")
    response = _client(world, person).post(reverse("moral_ed:star_decide", args=[award.pk]), {"decision": "confirm"})
    assert response.status_code == expected
    award.refresh_from_db()
    assert award.status == StarStatus.NOMINATED


def test_the_other_schools_office_queue_does_not_list_our_nominations(world):
    star = _star(world, "文明礼貌之星")
    services.star_nominate(actor=world.head_teacher, category=star, student=world.child, school_class=world.class1, reason="r")
    assert list(_client(world, "b.office").get(reverse("moral_ed:star_queue")).context["nominations"]) == []


# --- Navigation ------------------------------------------------------------------------------


def test_entry_page_links_the_pages_the_person_may_use(world, staged):
    url = reverse("moral_ed:class_entry", args=[world.class1.pk])
    head = _client(world, "head_teacher").get(url)
    assert head.context["review_count"] == 2
    page = head.content.decode()
    for name in ("review_queue", "class_groups", "class_ranking", "class_bank", "class_stars"):
        assert reverse(f"moral_ed:{name}", args=[world.class1.pk]) in page
    page = _client(world, "subject_teacher").get(url).content.decode()
    assert reverse("moral_ed:review_queue", args=[world.class1.pk]) not in page
    assert reverse("moral_ed:class_stars", args=[world.class1.pk]) not in page
    assert reverse("moral_ed:class_ranking", args=[world.class1.pk]) in page


def test_star_nominations_are_in_the_office_menu_only(world):
    queue = reverse("moral_ed:star_queue")
    assert queue in _client(world, "office").get(reverse("classes:class_list")).content.decode()
    assert queue not in _client(world, "head_teacher").get(reverse("classes:class_list")).content.decode()


@pytest.mark.parametrize("person, shown", [("head_teacher", True), ("subject_teacher", True), ("office", True), ("principal", False), ("counsellor", False)])
def test_class_page_links_conduct_points_for_those_who_record(world, person, shown):
    page = _client(world, person).get(reverse("classes:class_detail", args=[world.class1.pk])).content.decode()
    assert (reverse("moral_ed:class_entry", args=[world.class1.pk]) in page) == shown


def test_group_memberships_are_untouched_by_a_refused_edit(world, group):
    before = list(GroupMembership.objects.values_list("student_id", "group_id"))
    _client(world, "head_teacher").post(
        reverse("moral_ed:group_edit", args=[group.pk]), {"name": "雏鹰组", "students": [world.b.child.pk]}
    )
    assert list(GroupMembership.objects.values_list("student_id", "group_id")) == before


@pytest.mark.parametrize("person", ["parent", "student_user", "b.parent"])
def test_guardians_and_students_get_403_for_any_group_id(world, group, person):
    """Not 404 for another school's group and 403 for their own: a guardian
    cannot tell which ids exist."""
    b_group = services.group_save(actor=world.b.head_teacher, school_class=world.b.class1, kind="study", name="B组", student_ids=[])
    client = _client(world, person)
    for g in (group, b_group):
        assert client.get(reverse("moral_ed:group_edit", args=[g.pk])).status_code == 403
        assert client.post(reverse("moral_ed:group_points", args=[g.pk]), {"item": 1}).status_code == 403
