"""Volunteer activities: sign-ups within the slots (also at the same
moment), taking one back, the organiser confirming who came, and what
each side sees."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from home_school.models import VolunteerActivity, VolunteerSignup
from home_school.services import volunteering as services
from notifications.models import Notification
from tests.concurrency import at_once

from .committee_support import NEXT_FRIDAY, NOV20, TODAY, hs
from .notices_support import add_student


def _activity(world, slots, **kwargs):
    return services.volunteer_activity_create(
        actor=world.head_teacher, school=world.school, school_class=world.class1, title="运动会志愿者",
        date=kwargs.pop("date", NEXT_FRIDAY), slots=slots, today=TODAY, **kwargs,
    )


def _guardians(world, n):
    return [add_student(world, world.class1).guardianships.get().guardian for _ in range(n)]


def test_one_sign_up_per_guardian_and_never_more_than_the_slots(world):
    activity = _activity(world, 2)
    a, b, c = _guardians(world, 3)
    services.volunteer_sign_up(guardian=a, activity=activity, today=TODAY)
    with pytest.raises(ValidationError):
        services.volunteer_sign_up(guardian=a, activity=activity, today=TODAY)
    services.volunteer_sign_up(guardian=b, activity=activity, today=TODAY)
    with pytest.raises(ValidationError):
        services.volunteer_sign_up(guardian=c, activity=activity, today=TODAY)
    assert activity.signups.count() == 2


def test_no_sign_up_for_a_past_or_cancelled_activity(world):
    activity = _activity(world, 5)
    (g,) = _guardians(world, 1)
    with pytest.raises(ValidationError):
        services.volunteer_sign_up(guardian=g, activity=activity, today=NEXT_FRIDAY + datetime.timedelta(days=1))
    services.volunteer_activity_cancel(actor=world.head_teacher, activity=activity)
    assert not services.volunteer_activity_cancel(actor=world.head_teacher, activity=activity)
    with pytest.raises(ValidationError):
        services.volunteer_sign_up(guardian=g, activity=activity, today=TODAY)
    with pytest.raises(ValidationError):
        services.volunteer_activity_create(actor=world.head_teacher, school=world.school, school_class=world.class1,
                                           title="x", date=TODAY - datetime.timedelta(days=1), slots=1, today=TODAY)


def _race(targets):
    """Run each callable in its own thread and database connection, all
    released at the same moment; returns what each returned or raised."""
    return at_once(*targets)


@pytest.mark.django_db(transaction=True)
def test_two_guardians_taking_the_last_slot_at_once_one_wins(world):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    activity = _activity(world, 2)
    first, a, b = _guardians(world, 3)
    services.volunteer_sign_up(guardian=first, activity=activity, today=TODAY)
    results = _race([lambda g=g: services.volunteer_sign_up(guardian=g, activity=activity, today=TODAY) for g in (a, b)])
    won = [r for r in results if isinstance(r, VolunteerSignup)]
    lost = [r for r in results if isinstance(r, ValidationError)]
    assert len(won) == 1 and len(lost) == 1, results
    assert VolunteerSignup.objects.filter(activity=activity).count() == 2


@pytest.mark.django_db(transaction=True)
def test_many_guardians_at_once_fill_exactly_the_slots(world):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    activity = _activity(world, 3)
    guardians = _guardians(world, 8)
    results = _race([lambda g=g: services.volunteer_sign_up(guardian=g, activity=activity, today=TODAY) for g in guardians])
    assert sum(isinstance(r, VolunteerSignup) for r in results) == 3, results
    assert all(isinstance(r, (VolunteerSignup, ValidationError)) for r in results), results
    assert VolunteerSignup.objects.filter(activity=activity).count() == 3


@pytest.mark.django_db(transaction=True)
def test_one_guardian_signing_up_twice_at_once_gets_one_sign_up(world):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    activity = _activity(world, 5)
    (g,) = _guardians(world, 1)
    results = _race([lambda: services.volunteer_sign_up(guardian=g, activity=activity, today=TODAY)] * 2)
    assert sum(isinstance(r, VolunteerSignup) for r in results) == 1, results
    assert VolunteerSignup.objects.filter(activity=activity, guardian=g).count() == 1


def test_guardians_are_told_of_a_new_activity_once(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        activity = _activity(world, 3)
    notes = Notification.objects.filter(kind="home_school.volunteering.posted")
    assert {n.recipient for n in notes} == {world.parent}  # 六(1)'s guardians only
    services._announce(activity)
    assert notes.count() == 1


def test_withdraw_until_the_day_and_not_once_confirmed(world):
    activity = _activity(world, 3, date=TODAY)
    a, b = _guardians(world, 2)
    services.volunteer_sign_up(guardian=a, activity=activity, today=TODAY)
    services.volunteer_sign_up(guardian=b, activity=activity, today=TODAY)
    assert services.volunteer_withdraw(guardian=a, activity=activity, today=TODAY)
    assert not services.volunteer_withdraw(guardian=a, activity=activity, today=TODAY)
    services.volunteer_mark_done(actor=world.head_teacher, activity=activity, signup_ids=[s.pk for s in activity.signups.all()],
                                 today=TODAY)
    with pytest.raises(ValidationError):
        services.volunteer_withdraw(guardian=b, activity=activity, today=TODAY)


def test_volunteers_are_confirmed_from_the_day_on_and_only_once(world):
    activity = _activity(world, 3)
    (g,) = _guardians(world, 1)
    signup = services.volunteer_sign_up(guardian=g, activity=activity, today=TODAY)
    other = services.volunteer_sign_up(guardian=g, activity=_activity(world, 3), today=TODAY)
    with pytest.raises(ValidationError):
        services.volunteer_mark_done(actor=world.head_teacher, activity=activity, signup_ids=[signup.pk], today=TODAY)
    # Another activity's sign-up id is ignored.
    assert services.volunteer_mark_done(actor=world.head_teacher, activity=activity, signup_ids=[signup.pk, other.pk],
                                        today=NEXT_FRIDAY) == 1
    assert services.volunteer_mark_done(actor=world.head_teacher, activity=activity, signup_ids=[signup.pk],
                                        today=NEXT_FRIDAY) == 0
    other.refresh_from_db()
    assert other.done_at is None


def test_portal_sign_up_and_what_a_guardian_sees(world, client_for):
    with time_machine.travel(NOV20, tick=False):
        ns = hs(world)  # 陈妈妈 signed up for 六(1)'s activity
        (g,) = _guardians(world, 1)
        services.volunteer_sign_up(guardian=g, activity=ns.act_c1, today=TODAY)
        client = client_for(g.user)
        page = client.get(reverse("home_school:portal_volunteer_detail", args=[ns.act_c1.pk])).content.decode()
        assert "2/3" in page
        assert "陈妈妈" not in page and "13900000001" not in page  # never who else signed up
        listing = client.get(reverse("home_school:portal_volunteer_list")).content.decode()
        assert "运动会志愿者" in listing and "图书角整理" in listing
        parent = client_for(world.parent)
        response = parent.post(reverse("home_school:portal_volunteer_signup", args=[ns.act_s.pk]))
        assert response.status_code == 302
        assert ns.act_s.signups.filter(guardian=ns.pg).exists()


def test_organiser_sees_phone_numbers_the_principal_sees_them_masked(world, client_for):
    with time_machine.travel(NOV20, tick=False):
        ns = hs(world)
        url = reverse("home_school:volunteer_detail", args=[ns.act_c1.pk])
        assert "13900000001" in client_for(world.head_teacher).get(url).content.decode()
        page = client_for(world.principal).get(url).content.decode()
        assert "13900000001" not in page and "139****0001" in page


def test_organiser_confirms_on_the_page(world, client_for):
    with time_machine.travel(NOV20, tick=False):
        ns = hs(world)
        signup = ns.act_c1.signups.get()
    with time_machine.travel("2026-11-27 17:00 +0800", tick=False):
        client = client_for(world.head_teacher)
        client.post(reverse("home_school:volunteer_done", args=[ns.act_c1.pk]), {"signups": [signup.pk]})
        signup.refresh_from_db()
        assert signup.done_by == world.head_teacher
        assert VolunteerActivity.objects.get(pk=ns.act_c1.pk).signups.filter(done_at__isnull=False).count() == 1
