import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection

from moral_ed.models import Redemption, StarAward, StarCategory, StarStatus
from moral_ed.selectors import conduct as selectors
from moral_ed.services import conduct as services
from notifications.models import Notification
from tests.concurrency import at_once

pytestmark = pytest.mark.usefixtures("items")
NOV20 = "2026-11-20 10:00 +0800"


@time_machine.travel(NOV20, tick=False)
def test_balance_is_positive_points_minus_redemptions(world, record):
    record(world.head_teacher, [world.child], "拾金不昧")  # +3
    record(world.head_teacher, [world.child], "迟到")  # -1 does not reduce the bank
    reward = services.reward_save(actor=world.head_teacher, school_class=world.class1, name="当一天图书管理员", cost=Decimal("2"))
    services.reward_redeem(actor=world.head_teacher, student=world.child, reward=reward)
    assert services.bank_balance(world.child.pk) == Decimal("1")
    with pytest.raises(ValidationError) as error:
        services.reward_redeem(actor=world.head_teacher, student=world.child, reward=reward)
    assert "1" in str(error.value) and "2" in str(error.value)
    assert Redemption.objects.count() == 1


@time_machine.travel(NOV20, tick=False)
def test_voided_redemption_gives_the_points_back(world, record):
    record(world.head_teacher, [world.child], "拾金不昧")
    reward = services.reward_save(actor=world.head_teacher, school_class=world.class1, name="选座位", cost=Decimal("3"))
    redemption = services.reward_redeem(actor=world.head_teacher, student=world.child, reward=reward)
    assert services.bank_balance(world.child.pk) == 0
    services.redemption_void(actor=world.head_teacher, redemption=redemption, reason="奖品缺货")
    assert services.bank_balance(world.child.pk) == Decimal("3")


@pytest.mark.django_db(transaction=True)
def test_two_redemptions_at_the_same_moment_never_go_below_zero(world, items):
    if connection.vendor != "postgresql":
        pytest.skip("two concurrent connections need PostgreSQL")
    with time_machine.travel(NOV20, tick=False):
        services.points_record(actor=world.head_teacher, school=world.school, term=world.term, school_class=world.class1,
                               student_ids=[world.child.pk], item=items["拾金不昧"])  # +3
    reward = services.reward_save(actor=world.head_teacher, school_class=world.class1, name="免一次值日", cost=Decimal("2"))
    def redeem():
        return services.reward_redeem(actor=world.head_teacher, student=world.child, reward=reward)

    outcomes = at_once(redeem, redeem)
    assert sorted(type(o).__name__ for o in outcomes) == ["Redemption", "ValidationError"]
    assert Redemption.objects.count() == 1
    assert services.bank_balance(world.child.pk) == Decimal("1")


@time_machine.travel(NOV20, tick=False)
def test_group_points_are_members_points_plus_group_events(world, record, items):
    g1 = services.group_save(actor=world.head_teacher, school_class=world.class1, kind="study", name="雏鹰组", student_ids=[world.child.pk])
    services.group_save(actor=world.head_teacher, school_class=world.class1, kind="study", name="飞鹰组", student_ids=[world.classmate.pk])
    record(world.head_teacher, [world.child], "上课积极发言")  # +1
    record(world.head_teacher, [world.classmate], "拾金不昧")  # +3
    services.group_points_record(actor=world.head_teacher, term=world.term, group=g1, item=items["进步明显"])  # +2
    ranking = selectors.group_ranking(world.class1, start=datetime.date(2026, 11, 1), end=datetime.date(2026, 11, 30))
    # A tie is broken by name.
    assert [(g.name, g.total) for g in ranking] == [("雏鹰组", Decimal("3")), ("飞鹰组", Decimal("3"))]
    services.group_points_record(actor=world.head_teacher, term=world.term, group=g1, item=items["上课积极发言"])
    best = selectors.best_group_of_month(world.class1, day=datetime.date(2026, 11, 20))
    assert best.pk == g1.pk and best.total == Decimal("4")


@time_machine.travel(NOV20, tick=False)
def test_a_student_is_in_one_group_of_each_kind(world):
    g1 = services.group_save(actor=world.head_teacher, school_class=world.class1, kind="study", name="一组", student_ids=[world.child.pk])
    services.group_save(actor=world.head_teacher, school_class=world.class1, kind="cleaning", name="周一组", student_ids=[world.child.pk])
    g2 = services.group_save(actor=world.head_teacher, school_class=world.class1, kind="study", name="二组", student_ids=[world.child.pk])
    assert list(g1.memberships.all()) == []
    assert g2.memberships.get().student == world.child
    assert world.child.group_memberships.count() == 2
    with pytest.raises(ValidationError):
        services.group_save(actor=world.head_teacher, school_class=world.class1, kind="study", name="三组", student_ids=[world.other_child.pk])


@time_machine.travel(NOV20, tick=False)
def test_class_star_is_awarded_at_once_and_school_star_waits_for_the_office(world, record):
    weekly = StarCategory.objects.get(school=world.school, name="每周之星")
    polite = StarCategory.objects.get(school=world.school, name="文明礼貌之星")
    award = services.star_nominate(actor=world.head_teacher, category=weekly, student=world.child, school_class=world.class1, reason="一周都很认真")
    assert award.status == StarStatus.CONFIRMED
    assert (award.period_start, award.period_end) == (datetime.date(2026, 11, 16), datetime.date(2026, 11, 22))
    assert Notification.objects.filter(recipient=world.parent, kind="moral_ed.star_awarded").count() == 1
    school_star = services.star_nominate(actor=world.head_teacher, category=polite, student=world.child, school_class=world.class1, reason="见到老师主动问好")
    assert school_star.status == StarStatus.NOMINATED
    assert (school_star.period_start, school_star.period_end) == (datetime.date(2026, 11, 1), datetime.date(2026, 12, 31))
    assert selectors.stars_of_student(world.child).count() == 1
    services.star_decide(actor=world.office, award=school_star, confirm=True)
    services.star_decide(actor=world.office, award=school_star, confirm=False)  # already decided: no change
    school_star.refresh_from_db()
    assert school_star.status == StarStatus.CONFIRMED and school_star.decided_by == world.office
    assert selectors.stars_of_student(world.child).count() == 2
    with pytest.raises(ValidationError):
        services.star_nominate(actor=world.head_teacher, category=weekly, student=world.child, school_class=world.class1, reason="again")
    assert StarAward.objects.count() == 2


@time_machine.travel(NOV20, tick=False)
def test_star_candidates_come_from_the_ledger(world, record):
    polite = StarCategory.objects.get(school=world.school, name="文明礼貌之星")
    record(world.head_teacher, [world.classmate], "文明礼貌")
    record(world.head_teacher, [world.classmate], "主动帮助同学")
    record(world.head_teacher, [world.child], "上课积极发言")  # study: not this star's dimension
    candidates = list(selectors.star_candidates(world.class1, polite, start=datetime.date(2026, 11, 1), end=datetime.date(2026, 12, 31)))
    assert [(c.name, c.earned) for c in candidates] == [("周子涵", Decimal("3"))]
