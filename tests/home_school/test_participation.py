"""The participation ledger: collected from volunteering, parent-meeting
attendance and notice confirmations; idempotent (twice, and two workers
at once); point values from the school's rules; voiding; the head
teacher's monthly list; and never shown to other families."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.urls import reverse

from home_school.models import ParticipationEvent, ParticipationRule
from home_school.models.notices import NoticeReceipt, ReceiptType
from home_school.selectors.participation import own_month
from home_school.services import meetings as meeting_services
from home_school.services import notices as notice_services
from home_school.services import participation as services
from home_school.services import volunteering as volunteer_services
from home_school.tasks import participation as tasks
from tests.concurrency import at_once, failures

from .committee_support import NOV20, TODAY, hs
from .meetings_support import schedule
from .notices_support import at, make_notice

NOV = (datetime.date(2026, 11, 1), datetime.date(2026, 11, 30))


def _rows():
    return sorted(
        ParticipationEvent.objects.values_list("source_key", "guardian_id", "kind", "points", "occurred_on", "voided_at")
    )


def _volunteered(world, g, *, date=datetime.date(2026, 11, 18), title="图书角整理"):
    with time_machine.travel(f"{date - datetime.timedelta(days=7)} 10:00 +0800", tick=False):
        activity = volunteer_services.volunteer_activity_create(
            actor=world.head_teacher, school=world.school, school_class=world.class1, title=title, date=date, slots=5
        )
        signup = volunteer_services.volunteer_sign_up(guardian=g, activity=activity)
    volunteer_services.volunteer_mark_done(actor=world.head_teacher, activity=activity, signup_ids=[signup.pk], today=date)
    return signup


def _attended(world):
    """六(1)'s parent meeting on 2026-11-25; 陈妈妈 said she would come and came."""
    meeting = schedule(world)
    with time_machine.travel("2026-11-22 10:00 +0800", tick=False):
        meeting_services.meeting_reply(actor=world.parent, meeting=meeting, student=world.child, answer="attend")
    with time_machine.travel("2026-11-25 20:30 +0800", tick=False):
        return meeting_services.attendance_mark(
            actor=world.head_teacher, meeting=meeting, student=world.child, present=True, class_ids=[world.class1.pk]
        )


def _confirmed(world, *, deadline=None, confirm_at="2026-11-21 09:00"):
    with time_machine.travel("2026-11-20 10:00 +0800", tick=False):
        notice = make_notice(world, receipt_type=ReceiptType.CONFIRM, reply_deadline=deadline, title="安全告家长书")
    with time_machine.travel(at(confirm_at), tick=False):
        notice_services.notice_confirm(notice=notice, user=world.parent, student=world.child)
    return NoticeReceipt.objects.get(notice=notice, student=world.child)


def test_collects_each_source_once_and_twice_changes_nothing(world):
    signup = _volunteered(world, world.parent_guardian)
    attendance = _attended(world)
    receipt = _confirmed(world, deadline=at("2026-11-23 18:00"))
    assert services.participation_collect(school=world.school, start=NOV[0], end=NOV[1]) == 3
    first = _rows()
    assert services.participation_collect(school=world.school, start=NOV[0], end=NOV[1]) == 0
    assert _rows() == first
    by_key = {e.source_key: e for e in ParticipationEvent.objects.all()}
    assert set(by_key) == {f"volunteer:{signup.pk}", f"meeting:{attendance.pk}", f"notice:{receipt.pk}"}
    assert all(e.guardian == world.parent_guardian for e in by_key.values())
    assert by_key[f"meeting:{attendance.pk}"].occurred_on == datetime.date(2026, 11, 25)
    assert by_key[f"notice:{receipt.pk}"].occurred_on == datetime.date(2026, 11, 21)
    assert by_key[f"volunteer:{signup.pk}"].points == services.DEFAULT_POINTS["volunteer_done"]


def test_the_nightly_task_twice_gives_the_same_rows(world):
    _volunteered(world, world.parent_guardian)
    _attended(world)
    for _ in range(2):
        tasks.participation_collect_for_school(world.school.pk, "2026-10-01", "2026-11-30")
    assert len(_rows()) == 2


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_give_the_same_rows(world):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    _volunteered(world, world.parent_guardian)
    _attended(world)
    _confirmed(world)
    def run():
        return services.participation_collect(school=world.school, start=NOV[0], end=NOV[1])

    assert not failures(at_once(run, run))
    assert len(_rows()) == 3


def test_only_deeds_inside_the_period_and_in_time(world):
    _volunteered(world, world.parent_guardian, date=datetime.date(2026, 10, 30))
    late = _confirmed(world, deadline=at("2026-11-20 18:00"), confirm_at="2026-11-21 09:00")
    assert late.confirmed_at is not None
    assert services.participation_collect(school=world.school, start=NOV[0], end=NOV[1]) == 0
    assert services.participation_collect(school=world.school, start=datetime.date(2026, 10, 1), end=NOV[1]) == 1


def test_without_a_deadline_a_confirmation_counts_within_three_days(world):
    _confirmed(world, confirm_at="2026-11-23 09:00")  # sent 11-20 10:00: 71 h later
    assert services.participation_collect(school=world.school, start=NOV[0], end=NOV[1]) == 1
    ParticipationEvent.objects.all().delete()
    # A second notice, confirmed 73 h after it was sent.
    with time_machine.travel("2026-11-20 10:00 +0800", tick=False):
        notice = make_notice(world, receipt_type=ReceiptType.CONFIRM, title="第二份")
    with time_machine.travel(at("2026-11-23 11:00"), tick=False):
        notice_services.notice_confirm(notice=notice, user=world.parent, student=world.child)
    assert services.participation_collect(school=world.school, start=NOV[0], end=NOV[1]) == 1  # only the first again


def test_points_come_from_the_schools_rules_and_stay(world):
    ParticipationRule.objects.create(school=world.school, kind="volunteer_done", points=Decimal("5"))
    _volunteered(world, world.parent_guardian)
    services.participation_collect(school=world.school, start=NOV[0], end=NOV[1])
    assert ParticipationEvent.objects.get().points == Decimal("5")
    ParticipationRule.objects.filter(school=world.school).update(points=Decimal("1"))
    services.participation_collect(school=world.school, start=NOV[0], end=NOV[1])
    assert ParticipationEvent.objects.get().points == Decimal("5")
    assert services.participation_rules_install(school=world.school) == 2
    assert services.participation_rules_install(school=world.school) == 0


def test_void_once_with_a_reason_and_out_of_the_total(world, client_for):
    _volunteered(world, world.parent_guardian)
    services.participation_collect(school=world.school, start=NOV[0], end=NOV[1])
    event = ParticipationEvent.objects.get()
    client = client_for(world.head_teacher)
    with time_machine.travel(NOV20, tick=False):
        client.post(reverse("home_school:participation_void", args=[event.pk]), {"reason": "", "back": world.class1.pk})
        event.refresh_from_db()
        assert event.voided_at is None
        client.post(reverse("home_school:participation_void", args=[event.pk]), {"reason": "记错了人", "back": world.class1.pk})
        event.refresh_from_db()
        assert event.voided_by == world.head_teacher and event.void_reason == "记错了人"
        assert not services.participation_void(actor=world.office, event=event, reason="再次")
        page = client.get(reverse("home_school:participation_class", args=[world.class1.pk])).content.decode()
    assert "记错了人" in page
    # The guardian's own total leaves it out.
    own = own_month(world.parent_guardian, today=TODAY)
    assert own.total == 0 and own.events == []


def test_monthly_list_ranks_the_class_guardians_with_what_they_did(world, client_for):
    with time_machine.travel(NOV20, tick=False):
        hs(world)  # 陈妈妈 3 points (test:c1), 吴爸爸 3 points (test:c2, 六(2))
    _volunteered(world, world.parent_guardian, title="护学岗")
    services.participation_collect(school=world.school, start=NOV[0], end=NOV[1])
    with time_machine.travel(NOV20, tick=False):
        client = client_for(world.head_teacher)
        page = client.get(reverse("home_school:participation_class", args=[world.class1.pk])).content.decode()
        assert "陈妈妈" in page and "+6" in page and "护学岗" in page and "图书角整理" in page
        assert "吴爸爸" not in page  # a 六(2) family
        october = client.get(reverse("home_school:participation_class", args=[world.class1.pk]), {"month": "2026-10"})
        assert "护学岗" not in october.content.decode()
        office = client_for(world.office).get(reverse("home_school:participation_class", args=[world.class2.pk])).content.decode()
        assert "吴爸爸" in office and "陈妈妈" not in office


def test_points_are_never_shown_to_other_families(world, client_for):
    """Other families' points appear on no portal page; a guardian sees
    their own; the recognition list is staff only."""
    with time_machine.travel(NOV20, tick=False):
        ns = hs(world)
        ParticipationEvent.objects.filter(pk=ns.ev_c1.pk).update(note="陈家的善举", points=Decimal("7"))
        other = client_for(world.other_parent)
        pages = [
            reverse("home_school:portal_home"),
            reverse("home_school:portal_child", args=[world.other_child.pk]),
            reverse("home_school:portal_committee_list"),
            reverse("home_school:portal_committee_detail", args=[ns.cs.pk]),
            reverse("home_school:portal_volunteer_list"),
            reverse("home_school:portal_volunteer_detail", args=[ns.act_s.pk]),
            reverse("home_school:portal_suggestion_list"),
            reverse("home_school:portal_article_list"),
        ]
        for url in pages:
            body = other.get(url, follow=True).content.decode()
            assert "陈家的善举" not in body and "+7" not in body, url
        own = client_for(world.parent).get(reverse("home_school:portal_volunteer_list")).content.decode()
        assert "陈家的善举" in own and "+7" in own
        for person in (world.parent, world.other_parent, world.student_user):
            assert client_for(person).get(reverse("home_school:participation_class", args=[world.class1.pk])).status_code == 403
