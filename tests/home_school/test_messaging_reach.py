"""Who reaches which messaging page, for every URL and every role.

200: may see; 302: must log in, or (a member on the other side's address)
sent to their own page, or (start) sent to the conversation that exists;
403: may see the page type but not act; 404: may not know it exists.
"""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from home_school.models import Message

from .messaging_fixtures import conversations  # noqa: F401

ROLES = [
    "head_teacher",
    "subject_teacher",
    "other_head_teacher",
    "parent",
    "other_parent",
    "student_user",
    "office",
    "counsellor",
    "principal",
    "b.office",
    "b.parent",
    "anonymous",
]

# Pages without an object id: role → status.
PAGES = {
    "home_school:conversation_list": {"head_teacher": 200, "subject_teacher": 200, "other_head_teacher": 200},
    "home_school:office_hours": {"head_teacher": 200, "subject_teacher": 200, "other_head_teacher": 200},
    "home_school:portal_messages": {"parent": 200, "other_parent": 200, "b.parent": 200},
}

# Pages with an object: role → (own, other, other school). "own" is class
# 六(1)'s: the head teacher's conversation with 陈小雨's family.
OBJECT_PAGES = {
    "home_school:conversation_start": {
        "head_teacher": (302, 404, 404),  # own: the conversation exists, so it opens
        "subject_teacher": (200, 404, 404),
        "other_head_teacher": (404, 302, 404),
        "parent": (403, 403, 403),
        "other_parent": (403, 403, 403),
        "student_user": (403, 403, 403),
        "office": (403, 403, 404),  # sees the student, may not write
        "counsellor": (403, 403, 404),
        "principal": (403, 403, 404),
        "b.office": (404, 404, 403),
        "b.parent": (403, 403, 403),
    },
    "home_school:portal_conversation_start": {
        "parent": (302, 404, 404),  # own: the conversation with the head teacher exists
        "other_parent": (404, 302, 404),
        "b.parent": (404, 404, 302),
        **{
            role: (403, 403, 403)
            for role in [
                "head_teacher",
                "subject_teacher",
                "other_head_teacher",
                "student_user",
                "office",
                "counsellor",
                "principal",
                "b.office",
            ]
        },
    },
    "home_school:conversation_detail": {
        "head_teacher": (200, 404, 404),
        "other_head_teacher": (404, 200, 404),
        "parent": (302, 404, 404),  # a guardian is sent to the portal page
        "other_parent": (404, 302, 404),
        "b.parent": (404, 404, 302),
    },
    "home_school:portal_conversation": {
        "head_teacher": (302, 404, 404),  # the teacher is sent to the staff page
        "other_head_teacher": (404, 302, 404),
        "parent": (200, 404, 404),
        "other_parent": (404, 200, 404),
        "b.parent": (404, 404, 200),
    },
    "home_school:attachment_download": {
        "head_teacher": (200, 404, 404),
        "other_head_teacher": (404, 200, 404),
        "parent": (200, 404, 404),
        "other_parent": (404, 200, 404),
        "b.parent": (404, 404, 200),
    },
}
KIND = {
    "home_school:conversation_start": "student",
    "home_school:portal_conversation_start": "student",
    "home_school:conversation_detail": "conversation",
    "home_school:portal_conversation": "conversation",
    "home_school:attachment_download": "attachment",
}


def _user(world, role):
    if role == "anonymous":
        return None
    obj = world
    for part in role.split("."):
        obj = getattr(obj, part)
    return obj


def _client(world, role):
    client = Client()
    user = _user(world, role)
    if user is not None:
        client.force_login(user)
    return client


def _target(world, convs, kind, which):
    if kind == "student":
        return {"own": world.child, "other": world.other_child, "other_school": world.b.child}[which]
    if kind == "conversation":
        return {"own": convs.own, "other": convs.other, "other_school": convs.other_school}[which]
    return {"own": convs.own_attachment, "other": convs.other_attachment, "other_school": convs.other_school_attachment}[which]


def _expected_page(name, role):
    if role == "anonymous":
        return 302
    return PAGES[name].get(role, 403)


def _expected_object(name, role, index):
    if role == "anonymous":
        return 302
    # Conversations and attachments: 404 for everyone who is not a member.
    return OBJECT_PAGES[name].get(role, (404, 404, 404))[index]


@pytest.mark.parametrize("role", ROLES)
def test_page_reach(world, conversations, role):  # noqa: F811
    client = _client(world, role)
    for name in PAGES:
        response = client.get(reverse(name))
        assert response.status_code == _expected_page(name, role), (name, role, response.status_code)
        if role == "anonymous":
            assert response["Location"].startswith(reverse(settings.LOGIN_URL))


@pytest.mark.parametrize("role", ROLES)
def test_object_reach(world, conversations, role):  # noqa: F811
    client = _client(world, role)
    for name in OBJECT_PAGES:
        for index, which in enumerate(["own", "other", "other_school"]):
            target = _target(world, conversations, KIND[name], which)
            response = client.get(reverse(name, args=[target.pk]))
            expected = _expected_object(name, role, index)
            assert response.status_code == expected, (name, role, which, response.status_code)
            if role == "anonymous":
                assert response["Location"].startswith(reverse(settings.LOGIN_URL))


def test_member_on_the_other_sides_address_is_sent_to_their_own_page(world, conversations, client_for):  # noqa: F811
    pk = conversations.own.pk
    parent = client_for(world.parent).get(reverse("home_school:conversation_detail", args=[pk]))
    assert parent["Location"] == reverse("home_school:portal_conversation", args=[pk])
    teacher = client_for(world.head_teacher).get(reverse("home_school:portal_conversation", args=[pk]))
    assert teacher["Location"] == reverse("home_school:conversation_detail", args=[pk])


def test_existing_conversation_opens_instead_of_a_second_one(world, conversations, client_for):  # noqa: F811
    response = client_for(world.head_teacher).get(reverse("home_school:conversation_start", args=[world.child.pk]))
    assert response["Location"] == reverse("home_school:conversation_detail", args=[conversations.own.pk])
    response = client_for(world.parent).get(reverse("home_school:portal_conversation_start", args=[world.child.pk]))
    assert response["Location"] == reverse("home_school:portal_conversation", args=[conversations.own.pk])


@pytest.mark.parametrize("role", ["subject_teacher", "other_head_teacher", "other_parent", "student_user", "office", "b.office"])
@pytest.mark.parametrize("name", ["home_school:conversation_detail", "home_school:portal_conversation"])
def test_non_members_cannot_post_into_a_conversation(world, conversations, name, role):  # noqa: F811
    before = Message.objects.count()
    response = _client(world, role).post(reverse(name, args=[conversations.own.pk]), {"body": "插话"})
    assert response.status_code == 404
    assert Message.objects.count() == before


def test_guardian_cannot_start_a_conversation_about_another_family(world, conversations, client_for):  # noqa: F811
    before = Message.objects.count()
    url = reverse("home_school:portal_conversation_start", args=[world.other_child.pk])
    assert client_for(world.parent).post(url, {"body": "你好"}).status_code == 404
    assert Message.objects.count() == before


def test_teacher_of_another_class_cannot_start_a_conversation(world, client_for):
    url = reverse("home_school:conversation_start", args=[world.child.pk])
    assert client_for(world.other_head_teacher).post(url, {"body": "你好"}).status_code == 404
    assert client_for(world.office).post(url, {"body": "你好"}).status_code == 403
    assert not Message.objects.exists()
