"""A message written on a "new conversation" page joins the conversation
that exists already (the other guardian wrote first, or the page was
opened before it did): it is never dropped, attachments included. And a
PDF that runs JavaScript is refused on the page with a message."""

import uuid

from django.urls import reverse

from home_school.models import Attachment, Conversation, Message
from notifications.models import Notification

from .messaging_fixtures import PDF_WITH_JAVASCRIPT, conversations, png_bytes, start, upload  # noqa: F401


def test_a_guardians_new_message_joins_the_conversation_the_other_guardian_started(world, client_for):
    conversation, _first = start(world, teacher=world.head_teacher, student=world.child, body="家长会通知")
    url = reverse("home_school:portal_conversation_start", args=[world.child.pk])
    response = client_for(world.parent).post(url, {"body": "老师好，孩子今天请假", "attachments": [upload("假条.png", png_bytes())]})
    assert response.status_code == 302
    assert response["Location"] == reverse("home_school:portal_conversation", args=[conversation.pk])
    assert Conversation.objects.filter(student=world.child, teacher=world.head_teacher).count() == 1
    joined = Message.objects.filter(conversation=conversation).order_by("pk").last()
    assert (joined.author, joined.body) == (world.parent, "老师好，孩子今天请假")
    assert Attachment.objects.get(message=joined).file_name == "假条.png"
    # The teacher hears of it like any message in the conversation.
    assert Notification.objects.filter(recipient=world.head_teacher, kind="home_school.message").exists()


def test_opening_the_start_page_of_an_existing_conversation_still_leads_to_it(world, client_for):
    conversation, _first = start(world, teacher=world.head_teacher, student=world.child)
    response = client_for(world.parent).get(reverse("home_school:portal_conversation_start", args=[world.child.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("home_school:portal_conversation", args=[conversation.pk])


def test_a_teachers_first_message_joins_the_conversation_a_guardian_started(world, client_for):
    portal = reverse("home_school:portal_conversation_start", args=[world.child.pk])
    assert client_for(world.parent).post(portal, {"body": "想了解孩子的数学"}).status_code == 302
    conversation = Conversation.objects.get(student=world.child, teacher=world.head_teacher)
    url = reverse("home_school:conversation_start", args=[world.child.pk])
    response = client_for(world.head_teacher).post(url, {"body": "周五放学后面谈"})
    assert response["Location"] == reverse("home_school:conversation_detail", args=[conversation.pk])
    assert list(Message.objects.filter(conversation=conversation).order_by("pk").values_list("body", flat=True)) == [
        "想了解孩子的数学",
        "周五放学后面谈",
    ]


def test_the_same_join_sent_twice_writes_one_message(world, client_for):
    conversation, _first = start(world, teacher=world.head_teacher, student=world.child)
    client = client_for(world.parent)
    url = reverse("home_school:portal_conversation_start", args=[world.child.pk])
    key = str(uuid.uuid4())
    first = client.post(url, {"body": "收到", "request_key": key})
    again = client.post(url, {"body": "收到", "request_key": key})
    assert first["Location"] == again["Location"]
    assert Message.objects.filter(conversation=conversation, author=world.parent).count() == 1


def test_a_pdf_that_runs_javascript_is_refused_with_a_message(world, conversations, client_for):  # noqa: F811
    url = reverse("home_school:portal_conversation", args=[conversations.own.pk])
    before = Message.objects.count()
    response = client_for(world.parent).post(url, {"body": "成绩单", "attachments": [upload("成绩单.pdf", PDF_WITH_JAVASCRIPT)]})
    assert response.status_code == 200
    page = response.content.decode()
    assert "成绩单.pdf" in page and "自动运行" in page
    assert Message.objects.count() == before
