"""The messaging rows of tests/test_reach.py's table, for the lead to
wire in with three lines there:

    from tests.home_school.messaging_reach_rows import conversations_for_reach, extend_reach_table
    extend_reach_table(URLS, TARGETS, EXPECTED)        # after EXPECTED and MANAGEMENT are built
    conversations_for_reach(world)                     # next to _conduct_events(world) in test_reach_by_url

The same expectations are tested on their own in test_messaging_reach.py.
"""

MESSAGING_URLS = {
    "home_school:conversation_start": "student",
    "home_school:portal_conversation_start": "student",
    "home_school:conversation_detail": "conversation",
    "home_school:portal_conversation": "conversation",
    "home_school:attachment_download": "attachment",
}
MESSAGING_TARGETS = {
    "conversation": {"own": "conversation_own", "other": "conversation_other", "other_school": "conversation_b"},
    "attachment": {"own": "attachment_own", "other": "attachment_other", "other_school": "attachment_b"},
}

_MSG_404 = {
    name: (404, 404, 404)
    for name in ["home_school:conversation_detail", "home_school:portal_conversation", "home_school:attachment_download"]
}
_MSG_NO_START = {"home_school:conversation_start": (403, 403, 403), "home_school:portal_conversation_start": (403, 403, 403)}
MESSAGING = {
    "anonymous": {name: (302, 302, 302) for name in [*_MSG_404, *_MSG_NO_START]},
    "head_teacher": {
        **_MSG_404,
        **_MSG_NO_START,
        "home_school:conversation_start": (302, 404, 404),
        "home_school:conversation_detail": (200, 404, 404),
        "home_school:portal_conversation": (302, 404, 404),
        "home_school:attachment_download": (200, 404, 404),
    },
    "other_head_teacher": {
        **_MSG_404,
        **_MSG_NO_START,
        "home_school:conversation_start": (404, 302, 404),
        "home_school:conversation_detail": (404, 200, 404),
        "home_school:portal_conversation": (404, 302, 404),
        "home_school:attachment_download": (404, 200, 404),
    },
    "subject_teacher": {**_MSG_404, **_MSG_NO_START, "home_school:conversation_start": (200, 404, 404)},
    "parent": {
        **_MSG_404,
        **_MSG_NO_START,
        "home_school:portal_conversation_start": (302, 404, 404),
        "home_school:conversation_detail": (302, 404, 404),
        "home_school:portal_conversation": (200, 404, 404),
        "home_school:attachment_download": (200, 404, 404),
    },
    "other_parent": {
        **_MSG_404,
        **_MSG_NO_START,
        "home_school:portal_conversation_start": (404, 302, 404),
        "home_school:conversation_detail": (404, 302, 404),
        "home_school:portal_conversation": (404, 200, 404),
        "home_school:attachment_download": (404, 200, 404),
    },
    "student_user": {**_MSG_404, **_MSG_NO_START},
    "office": {**_MSG_404, **_MSG_NO_START, "home_school:conversation_start": (403, 403, 404)},
    "counsellor": {**_MSG_404, **_MSG_NO_START, "home_school:conversation_start": (403, 403, 404)},
    "principal": {**_MSG_404, **_MSG_NO_START, "home_school:conversation_start": (403, 403, 404)},
    "b.office": {**_MSG_404, **_MSG_NO_START, "home_school:conversation_start": (404, 404, 403)},
    "b.parent": {
        **_MSG_404,
        **_MSG_NO_START,
        "home_school:portal_conversation_start": (404, 404, 302),
        "home_school:conversation_detail": (404, 404, 302),
        "home_school:portal_conversation": (404, 404, 200),
        "home_school:attachment_download": (404, 404, 200),
    },
}


def extend_reach_table(urls, targets, expected):
    urls.update(MESSAGING_URLS)
    targets.update(MESSAGING_TARGETS)
    for person, rows in MESSAGING.items():
        expected[person].update(rows)


def conversations_for_reach(world):
    """One conversation per target student, opened by their head teacher with a PNG."""
    import io

    from PIL import Image

    from home_school.services.messaging import conversation_start

    png = io.BytesIO()
    Image.new("RGB", (4, 4)).save(png, "PNG")
    for suffix, teacher, student in (
        ("own", world.head_teacher, world.child),
        ("other", world.other_head_teacher, world.other_child),
        ("b", world.b.head_teacher, world.b.child),
    ):
        conversation, message = conversation_start(
            school=student.school,
            student=student,
            teacher=teacher,
            started_by=teacher,
            body="你好",
            files=[("p.png", png.getvalue())],
        )
        setattr(world, f"conversation_{suffix}", conversation)
        setattr(world, f"attachment_{suffix}", message.attachments.get())
