"""The messaging pages: lists, ordering, the student picker, the portal,
and query counts that do not grow with the number of conversations."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from home_school.services import messaging as services
from tests.factories import EnrollmentFactory, GuardianshipFactory, MembershipFactory, StudentFactory

from .messaging_fixtures import conversations, png_bytes, start  # noqa: F401


def _count(client, url):
    client.get(url)  # the first request of a session stamps it (idle timeout); count a steady one
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _families(world, n, school_class=None):
    """n students in class 1 (or another), each with a guardian who can log in."""
    students = []
    for _ in range(n):
        student = StudentFactory(school=world.school)
        EnrollmentFactory(student=student, school_class=school_class or world.class1)
        link = GuardianshipFactory(student=student, school=world.school)
        MembershipFactory(user=link.guardian.user, school=world.school, role="guardian")
        student.guardian_user = link.guardian.user
        students.append(student)
    return students


def _conversations(world, n):
    """n conversations of the head teacher; every third has a guardian's
    reply (unread) and one an attachment."""
    for i, student in enumerate(_families(world, n)):
        conversation, _ = start(
            world, teacher=world.head_teacher, student=student, body=f"消息{i}", files=[("p.png", png_bytes())] if i == 0 else ()
        )
        if i % 3 == 0:
            services.message_send(school=world.school, conversation=conversation, author=student.guardian_user, body="回复")


def test_teacher_list_query_count_does_not_grow(world, client_for):
    client = client_for(world.head_teacher)
    url = reverse("home_school:conversation_list")
    _conversations(world, 3)
    three = _count(client, url)
    _conversations(world, 27)
    thirty = _count(client, url)
    assert three == thirty, (three, thirty)


def test_portal_list_query_count_does_not_grow(world, client_for):
    client = client_for(world.parent)
    url = reverse("home_school:portal_messages")
    start(world, teacher=world.head_teacher, student=world.child)
    one = _count(client, url)
    for _ in range(3):
        child = StudentFactory(school=world.school)
        EnrollmentFactory(student=child, school_class=world.class2)
        GuardianshipFactory(student=child, guardian=world.parent_guardian, school=world.school)
        start(world, teacher=world.other_head_teacher, student=child)
    start(world, teacher=world.subject_teacher, student=world.child)
    assert _count(client, url) == one


def test_conversation_page_query_count_does_not_grow_with_messages(world, conversations, client_for):  # noqa: F811
    client = client_for(world.head_teacher)
    url = reverse("home_school:conversation_detail", args=[conversations.own.pk])
    few = _count(client, url)
    for i in range(10):
        services.message_send(
            school=world.school,
            conversation=conversations.own,
            author=world.parent,
            body=f"第{i}条",
            files=[("p.png", png_bytes())] if i % 2 else (),
        )
    client.get(url)
    assert _count(client, url) == few


def test_unread_conversations_come_first(world, client_for):
    a, b, c = _families(world, 3)
    first, _ = start(world, teacher=world.head_teacher, student=a, body="A")
    second, _ = start(world, teacher=world.head_teacher, student=b, body="B")
    services.message_send(school=world.school, conversation=first, author=a.guardian_user, body="A的回复")
    third, _ = start(world, teacher=world.head_teacher, student=c, body="C")  # newest, but read
    page = client_for(world.head_teacher).get(reverse("home_school:conversation_list")).content.decode()
    order = [page.index(reverse("home_school:conversation_detail", args=[conv.pk])) for conv in (first, third, second)]
    assert order == sorted(order)
    assert page.count("text-bg-danger") >= 1


def test_teacher_list_paginates(world, client_for):
    _conversations(world, 22)
    client = client_for(world.head_teacher)
    page1 = client.get(reverse("home_school:conversation_list")).content.decode()
    page2 = client.get(reverse("home_school:conversation_list") + "?page=2").content.decode()
    assert page1.count("/home-school/messages/") - page2.count("/home-school/messages/") > 0
    assert "page=2" in page1


def test_student_picker_finds_only_students_the_teacher_teaches(world, client_for):
    url = reverse("home_school:conversation_list")
    page = client_for(world.subject_teacher).get(url, {"q": "陈"}).content.decode()
    assert reverse("home_school:conversation_start", args=[world.child.pk]) in page
    page = client_for(world.subject_teacher).get(url, {"q": "吴浩然"}).content.decode()
    assert reverse("home_school:conversation_start", args=[world.other_child.pk]) not in page


def test_subject_teacher_starts_a_conversation_with_all_guardians(world, client_for):
    client = client_for(world.subject_teacher)
    url = reverse("home_school:conversation_start", args=[world.child.pk])
    page = client.get(url).content.decode()
    assert "陈妈妈" in page
    response = client.post(url, {"body": "数学作业请签字"})
    assert response.status_code == 302
    follow = client.get(response["Location"]).content.decode()
    assert "数学作业请签字" in follow


def test_portal_lists_conversations_of_every_child_with_the_childs_name(world, client_for):
    second_child = StudentFactory(school=world.school, name="陈小雷")
    EnrollmentFactory(student=second_child, school_class=world.class2)
    GuardianshipFactory(student=second_child, guardian=world.parent_guardian, school=world.school)
    start(world, teacher=world.head_teacher, student=world.child, body="关于小雨")
    start(world, teacher=world.other_head_teacher, student=second_child, body="关于小雷")
    page = client_for(world.parent).get(reverse("home_school:portal_messages")).content.decode()
    assert "陈小雨" in page and "陈小雷" in page
    assert "关于小雨" in page and "关于小雷" in page
    assert "吴浩然" not in page


def test_portal_offers_writing_to_the_head_teacher_when_no_conversation_exists(world, client_for):
    page = client_for(world.parent).get(reverse("home_school:portal_messages")).content.decode()
    assert reverse("home_school:portal_conversation_start", args=[world.child.pk]) in page


def test_portal_compose_box_is_phone_ready(world, conversations, client_for):  # noqa: F811
    page = client_for(world.parent).get(reverse("home_school:portal_conversation", args=[conversations.own.pk])).content.decode()
    form = page.split('class="card compose-form"')[0].rsplit("<form", 1)[1] + page.split('class="card compose-form"')[1]
    assert 'enctype="multipart/form-data"' in form
    assert 'accept="image/jpeg,image/png,image/webp,application/pdf"' in page
    assert "btn btn-primary w-100" in page
    assert 'name="viewport"' in page


def test_nav_shows_unread_count_to_teachers(world, conversations, client_for):  # noqa: F811
    services.message_send(school=world.school, conversation=conversations.own, author=world.parent, body="在吗")
    page = client_for(world.head_teacher).get(reverse("home_school:conversation_list")).content.decode()
    nav = page.split('id="nav"')[1].split("</ul>")[0]
    assert reverse("home_school:conversation_list") in nav and "text-bg-danger" in nav


def test_nav_hides_messages_from_staff_who_cannot_message(world, client_for):
    page = client_for(world.office).get(reverse("classes:class_list")).content.decode()
    assert reverse("home_school:conversation_list") not in page


def test_portal_section_links_to_messages_for_guardians_only(world, client_for):
    page = client_for(world.parent).get(reverse("home_school:portal_child", args=[world.child.pk])).content.decode()
    assert reverse("home_school:portal_messages") in page
    page = client_for(world.student_user).get(reverse("home_school:portal_child", args=[world.child.pk])).content.decode()
    assert reverse("home_school:portal_messages") not in page


TEMPLATES = sorted((Path(settings.BASE_DIR) / "templates" / "home_school" / "messaging").glob("*.html"))


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: p.name)
def test_templates_have_no_inline_script_or_style(path):
    text = path.read_text()
    assert "<script" not in text and "style=" not in text and not re.search(r"\son[a-z]+=", text)


def test_earlier_messages_page(world, conversations, client_for):  # noqa: F811
    from home_school.selectors import messaging as selectors

    for i in range(selectors.MESSAGES_PER_PAGE + 2):
        services.message_send(school=world.school, conversation=conversations.own, author=world.parent, body=f"第{i}条消息")
    client = client_for(world.head_teacher)
    url = reverse("home_school:conversation_detail", args=[conversations.own.pk])
    latest = client.get(url).content.decode()
    assert "第51条消息" in latest and "你好" not in latest and "?before=" in latest
    first_shown = conversations.own.messages.order_by("pk")[2].pk
    earlier = client.get(url, {"before": first_shown}).content.decode()
    assert "你好" in earlier
    assert client.get(url, {"before": "99999999999999999999999"}).status_code == 200
    assert client.get(url, {"before": "x"}).status_code == 200


def test_badge_count_agrees_with_the_lists_unread_rule(world, client_for):
    """The navigation's hand-written count and the lists' ORM annotation
    (selectors._with_unread) give the same answer on both sides, before and
    after reading, and ignore the person's own messages."""
    from home_school.selectors import messaging as sel
    from home_school.services.messaging import conversation_mark_read

    _conversations(world, 9)  # 3 with a guardian's unread reply
    teacher_list = list(sel.conversation_list_for_teacher(world.head_teacher, world.school))
    expected = sum(1 for c in teacher_list if c.unread_count > 0)
    assert expected == 3
    assert sel.unread_conversation_count(world.head_teacher, world.school, as_teacher=True) == expected
    first = next(c for c in teacher_list if c.unread_count > 0)
    conversation_mark_read(school=world.school, conversation=first, user=world.head_teacher, message_id=first.messages.order_by("-pk").first().pk)
    assert sel.unread_conversation_count(world.head_teacher, world.school, as_teacher=True) == 2
    # The guardian's side: their own reply is not unread for them; the teacher's answer is.
    guardian_user = first.messages.exclude(author=world.head_teacher).first().author
    assert sel.unread_conversation_count(guardian_user, world.school, as_teacher=False) == 0
    services.message_send(school=world.school, conversation=first, author=world.head_teacher, body="收到")
    assert sel.unread_conversation_count(guardian_user, world.school, as_teacher=False) == 1
    guardian_list = list(sel.conversation_list_for_guardian(guardian_user, world.school))
    assert sum(1 for c in guardian_list if c.unread_count > 0) == 1
    # Nothing of another school's teacher.
    assert sel.unread_conversation_count(world.b.head_teacher, world.b.school, as_teacher=True) == 0
