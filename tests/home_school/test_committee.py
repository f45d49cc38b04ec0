"""Parent committees: setting one up, members with roles and terms,
meetings with minutes, and what guardians see (names and roles only)."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from home_school.models import Committee, CommitteeMember, CommitteeRole
from home_school.services import committee as services
from notifications.models import Notification
from tests import factories as f

from .committee_support import NOV20, hs

pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def frozen():
    with time_machine.travel(NOV20, tick=False):
        yield


def test_set_up_is_idempotent(world):
    first = services.committee_set_up(actor=world.head_teacher, school=world.school, school_class=world.class1)
    again = services.committee_set_up(actor=world.office, school=world.school, school_class=world.class1)
    school = services.committee_set_up(actor=world.office, school=world.school)
    assert first.pk == again.pk
    assert school.is_school_level and school.pk != first.pk
    assert services.committee_set_up(actor=world.office, school=world.school).pk == school.pk
    assert Committee.objects.filter(school=world.school).count() == 2


def test_class_committee_takes_only_guardians_of_the_class(world):
    ns = hs(world)
    with pytest.raises(ValidationError):
        services.committee_member_add(
            actor=world.head_teacher, committee=ns.c1, guardian=ns.og, role="member", start_date=datetime.date(2026, 11, 20)
        )
    with pytest.raises(ValidationError):
        services.committee_member_add(
            actor=world.head_teacher, committee=ns.c1, guardian=ns.bg, role="member", start_date=datetime.date(2026, 11, 20)
        )
    # The school committee takes any guardian of the school, not another school's.
    services.committee_member_add(actor=world.office, committee=ns.cs, guardian=ns.og, role="member", start_date=datetime.date(2026, 11, 20))
    with pytest.raises(ValidationError):
        services.committee_member_add(actor=world.office, committee=ns.cs, guardian=ns.bg, role="member", start_date=datetime.date(2026, 11, 20))


def test_terms_do_not_overlap_and_there_is_one_chair_at_a_time(world):
    ns = hs(world)  # 陈妈妈 chairs 六(1)'s committee from 2026-09-10
    g = f.GuardianFactory(school=world.school, name="周爸爸")
    f.GuardianshipFactory(school=world.school, student=world.classmate, guardian=g, relationship="father")
    with pytest.raises(ValidationError):
        services.committee_member_add(actor=world.head_teacher, committee=ns.c1, guardian=ns.pg, role="member",
                                      start_date=datetime.date(2026, 11, 1))
    with pytest.raises(ValidationError):
        services.committee_member_add(actor=world.head_teacher, committee=ns.c1, guardian=g, role="chair",
                                      start_date=datetime.date(2026, 11, 1))
    # A term that ends before the chair's starts does not overlap it.
    services.committee_member_add(actor=world.head_teacher, committee=ns.c1, guardian=g, role="chair",
                                  start_date=datetime.date(2026, 9, 1), end_date=datetime.date(2026, 9, 9))
    # Once the chair's term ends, another guardian may chair.
    services.committee_member_end(actor=world.head_teacher, member=ns.m_c1, end_date=datetime.date(2026, 11, 30))
    services.committee_member_add(actor=world.head_teacher, committee=ns.c1, guardian=g, role="chair",
                                  start_date=datetime.date(2026, 12, 1))
    with pytest.raises(ValidationError):
        services.committee_member_end(actor=world.head_teacher, member=ns.m_c1, end_date=datetime.date(2026, 1, 1))
    assert CommitteeMember.objects.filter(committee=ns.c1).count() == 3


def test_a_new_member_is_told_once(world):
    ns = hs(world)
    note = Notification.objects.get(recipient=world.parent, kind="home_school.committee.member_added")
    assert note.link == reverse("home_school:portal_committee_detail", args=[ns.c1.pk])


def test_head_teacher_adds_a_member_from_the_class_list(world, client_for):
    ns = hs(world)
    g = f.GuardianFactory(school=world.school, name="周爸爸", mobile="13900000077")
    f.GuardianshipFactory(school=world.school, student=world.classmate, guardian=g, relationship="father")
    client = client_for(world.head_teacher)
    page = client.get(reverse("home_school:committee_detail", args=[ns.c1.pk])).content.decode()
    assert "周爸爸" in page and "吴爸爸" not in page  # the add form offers the class's guardians only
    response = client.post(
        reverse("home_school:committee_member_add", args=[ns.c1.pk]),
        {"guardian": g.pk, "role": "secretary", "start_date": "2026-11-20"},
    )
    assert response.status_code == 302
    assert CommitteeMember.objects.get(committee=ns.c1, guardian=g).role == "secretary"
    # A guardian of 六(2) posted by id is not in the choices.
    client.post(reverse("home_school:committee_member_add", args=[ns.c1.pk]),
                {"guardian": ns.og.pk, "role": "member", "start_date": "2026-11-20"})
    assert not CommitteeMember.objects.filter(committee=ns.c1, guardian=ns.og).exists()


def test_office_adds_to_the_school_committee_by_mobile(world, client_for):
    ns = hs(world)
    client = client_for(world.office)
    client.post(reverse("home_school:committee_member_add", args=[ns.cs.pk]),
                {"mobile": "13900000002", "role": "vice_chair", "start_date": "2026-11-20"})
    assert CommitteeMember.objects.get(committee=ns.cs).guardian == ns.og
    # B's guardian's number finds nobody in school A.
    client.post(reverse("home_school:committee_member_add", args=[ns.cs.pk]),
                {"mobile": "13900000009", "role": "member", "start_date": "2026-11-20"})
    assert CommitteeMember.objects.filter(committee=ns.cs).count() == 1


def test_guardians_see_names_and_roles_only(world, client_for):
    ns = hs(world)
    services.committee_member_add(actor=world.office, committee=ns.cs, guardian=ns.og, role="vice_chair",
                                  start_date=datetime.date(2026, 9, 1))
    client = client_for(world.parent)
    page = client.get(reverse("home_school:portal_committee_list")).content.decode()
    with translation.override("zh-hans"):
        assert "陈妈妈" in page and str(CommitteeRole.CHAIR.label) in page
    assert "吴爸爸" in page  # on the school committee
    assert "13900000001" not in page and "13900000002" not in page and "****" not in page
    # 六(2)'s committee is not listed, and its page is a 404.
    assert str(ns.c2.display_name) not in page
    assert client.get(reverse("home_school:portal_committee_detail", args=[ns.c2.pk])).status_code == 404
    detail = client.get(reverse("home_school:portal_committee_detail", args=[ns.c1.pk])).content.decode()
    assert "陈妈妈" in detail and "13900000001" not in detail


def test_portal_shows_only_members_sitting_today(world, client_for):
    ns = hs(world)
    services.committee_member_end(actor=world.head_teacher, member=ns.m_c1, end_date=datetime.date(2026, 11, 19))
    page = client_for(world.parent).get(reverse("home_school:portal_committee_detail", args=[ns.c1.pk])).content.decode()
    assert "陈妈妈" not in page
    staff = client_for(world.head_teacher).get(reverse("home_school:committee_detail", args=[ns.c1.pk])).content.decode()
    assert "陈妈妈" in staff  # kept as history on the staff page


def test_meeting_attendees_must_sit_on_the_committee_that_day(world, client_for):
    ns = hs(world)
    with pytest.raises(ValidationError):
        services.committee_meeting_save(actor=world.head_teacher, committee=ns.c1, held_on=datetime.date(2026, 9, 1),
                                        title="开学前", attendee_ids=[ns.m_c1.pk])
    with pytest.raises(ValidationError):  # another committee's member
        services.committee_meeting_save(actor=world.head_teacher, committee=ns.c1, held_on=datetime.date(2026, 11, 1),
                                        title="例会", attendee_ids=[ns.m_c2.pk])
    meeting = services.committee_meeting_save(actor=world.head_teacher, committee=ns.c1, held_on=datetime.date(2026, 11, 1),
                                              title="例会", minutes="<b>议程</b>", attendee_ids=[ns.m_c1.pk])
    page = client_for(world.head_teacher).get(reverse("home_school:committee_meeting_detail", args=[meeting.pk])).content.decode()
    assert "陈妈妈" in page and "&lt;b&gt;议程&lt;/b&gt;" in page  # minutes are escaped


def test_meeting_form_saves_minutes(world, client_for):
    ns = hs(world)
    client = client_for(world.head_teacher)
    response = client.post(
        reverse("home_school:committee_meeting_new", args=[ns.c1.pk]),
        {"held_on": "2026-11-18", "title": "运动会分工", "place": "会议室", "attendees": [ns.m_c1.pk], "minutes": "分三组"},
    )
    assert response.status_code == 302
    meeting = ns.c1.meetings.get(title="运动会分工")
    assert list(meeting.attendees.all()) == [ns.m_c1] and meeting.minutes == "分三组"
    response = client.post(reverse("home_school:committee_meeting_edit", args=[meeting.pk]),
                           {"held_on": "2026-11-18", "title": "运动会分工", "minutes": "分四组"})
    meeting.refresh_from_db()
    assert meeting.minutes == "分四组" and meeting.attendees.count() == 0
