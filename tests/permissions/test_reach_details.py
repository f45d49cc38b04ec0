"""What reach means beyond a status code, next to the table of
tests/permissions/table.py and on its world: lists show only the rows in
reach, a member on the other side's address is sent to their own page,
a refused write leaves no row, and the few answers that need a change to
the world (a supervisor, an unlinked guardian, a superseded revision).
"""

import datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from home_school.models import Message

from .world import NOW, build


def _client(user):
    client = Client()
    client.force_login(user)
    return client


# --- Lists show what is in reach ---------------------------------------------------------------


def test_student_search_lists_only_reachable_students(world, head_teacher_client, office_client):
    url = reverse("students:student_list")
    page = head_teacher_client.get(url).content.decode()
    assert "陈小雨" in page and "周子涵" in page
    assert "吴浩然" not in page and "B校学生" not in page
    page = office_client.get(url).content.decode()
    assert "吴浩然" in page and "B校学生" not in page
    assert "吴浩然" not in office_client.get(url, {"q": "陈"}).content.decode()


def test_class_list_shows_only_own_classes_to_a_head_teacher(world, head_teacher_client, office_client):
    url = reverse("classes:class_list")
    page = head_teacher_client.get(url).content.decode()
    assert "六(1)班" in page and "六(2)班" not in page
    page = office_client.get(url).content.decode()
    assert "六(1)班" in page and "六(2)班" in page


def test_guardian_contacts_are_masked_for_a_subject_teacher(world, client_for):
    url = reverse("students:student_detail", args=[world.child.pk])
    assert "13900000001" in client_for(world.head_teacher).get(url).content.decode()
    page = client_for(world.subject_teacher).get(url).content.decode()
    assert "13900000001" not in page and "139****0001" in page


# --- Messaging: where a member is sent, and refused writes leave nothing --------------------------


@pytest.fixture
def objects(world):
    with time_machine.travel(NOW, tick=False):
        yield build(world)


def test_member_on_the_other_sides_address_is_sent_to_their_own_page(world, objects):
    pk = objects.side[1].conversation.pk
    parent = _client(world.parent).get(reverse("home_school:conversation_detail", args=[pk]))
    assert parent["Location"] == reverse("home_school:portal_conversation", args=[pk])
    teacher = _client(world.head_teacher).get(reverse("home_school:portal_conversation", args=[pk]))
    assert teacher["Location"] == reverse("home_school:conversation_detail", args=[pk])


def test_existing_conversation_opens_instead_of_a_second_one(world, objects):
    pk = objects.side[1].conversation.pk
    response = _client(world.head_teacher).get(reverse("home_school:conversation_start", args=[world.child.pk]))
    assert response["Location"] == reverse("home_school:conversation_detail", args=[pk])
    response = _client(world.parent).get(reverse("home_school:portal_conversation_start", args=[world.child.pk]))
    assert response["Location"] == reverse("home_school:portal_conversation", args=[pk])


@pytest.mark.parametrize("role", ["subject_teacher", "other_head_teacher", "other_parent", "student_user", "office", "b.office"])
@pytest.mark.parametrize("name", ["home_school:conversation_detail", "home_school:portal_conversation"])
def test_non_members_cannot_post_into_a_conversation(world, objects, name, role):
    user = world.b.office if role == "b.office" else getattr(world, role)
    before = Message.objects.count()
    response = _client(user).post(reverse(name, args=[objects.side[1].conversation.pk]), {"body": "插话"})
    assert response.status_code == 404
    assert Message.objects.count() == before


def test_guardian_cannot_start_a_conversation_about_another_family(world, objects):
    before = Message.objects.count()
    url = reverse("home_school:portal_conversation_start", args=[world.other_child.pk])
    assert _client(world.parent).post(url, {"body": "你好"}).status_code == 404
    assert Message.objects.count() == before


def test_teacher_of_another_class_cannot_start_a_conversation(world, client_for):
    url = reverse("home_school:conversation_start", args=[world.child.pk])
    assert client_for(world.other_head_teacher).post(url, {"body": "你好"}).status_code == 404
    assert client_for(world.office).post(url, {"body": "你好"}).status_code == 403
    assert not Message.objects.exists()


# --- Notices ------------------------------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_guardian_of_a_child_who_left_cannot_open_the_notice_once_unlinked(world, parent_client):
    """Reach is the guardianship now: an unlinked guardian gets 404."""
    from tests.home_school.notices_support import make_notice

    notice = make_notice(world)
    url = reverse("home_school:portal_notice", args=[notice.pk])
    assert parent_client.get(url).status_code == 200
    world.parent_guardian.guardianships.all().delete()
    assert parent_client.get(url).status_code == 404


@time_machine.travel(NOW, tick=False)
def test_a_draft_is_not_on_the_portal(world, parent_client):
    from tests.home_school.notices_support import make_notice

    draft = make_notice(world, send_now=False)
    assert parent_client.get(reverse("home_school:portal_notice", args=[draft.pk])).status_code == 404


# --- Parent committee ---------------------------------------------------------------------------


def test_set_up_posts_are_for_the_class_head_teacher_and_the_office(world, client_for):
    from tests.home_school.committee_support import hs

    with time_machine.travel(NOW, tick=False):
        hs(world)
        url = reverse("home_school:committee_set_up")
        # Committees exist already: setting up again opens the same one.
        assert client_for(world.head_teacher).post(url, {"school_class": world.class1.pk}).status_code == 302
        assert client_for(world.head_teacher).post(url, {"school_class": world.class2.pk}).status_code == 403
        assert client_for(world.head_teacher).post(url, {}).status_code == 403
        assert client_for(world.head_teacher).post(url, {"school_class": world.b.class1.pk}).status_code == 404
        assert client_for(world.office).post(url, {"school_class": world.class2.pk}).status_code == 302
        assert client_for(world.parent).post(url, {"school_class": world.class1.pk}).status_code == 403
        assert client_for(world.subject_teacher).post(url, {"school_class": world.class1.pk}).status_code == 403


# --- Home visits: a supervisor --------------------------------------------------------------------


def test_a_supervisor_reads_a_visit_but_does_not_record_or_cancel_it(world):
    """赵老师 (maths in 六(1)) made 王老师's home-visit supervisor instead of
    the principal: reads 王老师's visit, may not record, cancel or remove
    a supervision; 李老师's and school B's visits stay out of reach."""
    from home_school.services import visits as visit_services

    record = {"done_on": "2026-11-20", "method": "visit", "family_situation": "好", "discussed": "学习"}
    with time_machine.travel(NOW, tick=False):
        objects = build(world, reach=True)
        (supervision,) = visit_services.supervisor_assign(
            actor=world.office,
            school=world.school,
            term=world.term,
            supervisor=world.subject_teacher,
            teachers=[world.head_teacher],
        )
        visits = [objects.side[number].visit for number in (1, 2, 3)]
        supervisions = [supervision, objects.side[2].supervision, objects.side[3].supervision]
        client = _client(world.subject_teacher)
        answers = {
            "visit_record GET": [client.get(reverse("home_school:visit_record", args=[v.pk])).status_code for v in visits],
            "visit_record POST": [
                client.post(reverse("home_school:visit_record", args=[v.pk]), record).status_code for v in visits
            ],
            "visit_cancel": [client.post(reverse("home_school:visit_cancel", args=[v.pk])).status_code for v in visits],
            "visit_supervisor_remove": [
                client.post(reverse("home_school:visit_supervisor_remove", args=[s.pk])).status_code for s in supervisions
            ],
        }
    assert answers == {
        "visit_record GET": [200, 404, 404],
        "visit_record POST": [403, 404, 404],
        "visit_cancel": [403, 404, 404],
        "visit_supervisor_remove": [403, 403, 403],
    }


# --- Evaluations ----------------------------------------------------------------------------------


def test_a_head_teacher_reads_a_superseded_revision_they_were_told_about(world, client_for):
    from moral_ed.services import evaluations as services
    from tests.moral_ed.test_evaluation_support import NOV, class_event, veto

    class_event(world, world.class1, -1)
    veto(world, world.class2, "打架")
    first = services.evaluation_publish(revision=services.evaluation_run(school=world.school, kind="monthly", period_start=NOV))
    class_event(world, world.class1, -3, day=datetime.date(2026, 11, 12))
    services.evaluation_publish(revision=services.evaluation_run(school=world.school, kind="monthly", period_start=NOV))
    first.refresh_from_db()
    assert first.status == "superseded"
    response = client_for(world.head_teacher).get(reverse("moral_ed:evaluation_revision", args=[first.pk]))
    assert response.status_code == 200
