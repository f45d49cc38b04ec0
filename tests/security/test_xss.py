"""Stored XSS and template injection: a payload saved in every free-text
field a person can write is shown as text on every page that shows it,
staff pages, portal pages and the admin alike.

Each field gets the payload with its own number (e.g. `<img src=x
onerror=alert(17)>` for field 17), so the test also proves that every
field was rendered, escaped, on at least one page. The rows are built by
the services (tests/permissions/world.build), then each field is set
to the payload as an administrator or a form would store it (services and
forms keep text as typed: escaping is the templates' job).
"""

import re

import pytest
import time_machine
from django.apps import apps
from django.contrib import admin
from django.db import IntegrityError, models, transaction
from django.test import Client
from django.urls import reverse

from tests import factories as f
from tests.permissions.table import URLS
from tests.permissions.test_table import quiet_refusals, url_names  # noqa: F401 (a fixture)
from tests.permissions.world import NOW, build, people, target

# (model label, field): every free-text field a person can write.
FIELDS = [
    ("accounts.User", "full_name"),
    ("classes.School", "name"),
    ("classes.SchoolYear", "name"),
    ("classes.Grade", "name"),
    ("classes.SchoolClass", "name"),
    ("classes.TeachingAssignment", "subject"),
    ("students.Student", "name"),
    ("students.Student", "student_number"),
    ("students.Guardian", "name"),
    ("students.RosterImport", "file_name"),
    ("moral_ed.ConductItem", "name"),
    ("moral_ed.ConductEvent", "note"),
    ("moral_ed.ConductEvent", "void_reason"),
    ("moral_ed.GuardianNote", "text"),
    ("moral_ed.StudentGroup", "name"),
    ("moral_ed.GroupEvent", "note"),
    ("moral_ed.GroupEvent", "void_reason"),
    ("moral_ed.Reward", "name"),
    ("moral_ed.Redemption", "void_reason"),
    ("moral_ed.StarCategory", "name"),
    ("moral_ed.StarCategory", "description"),
    ("moral_ed.StarAward", "reason"),
    ("moral_ed.InspectionItem", "name"),
    ("moral_ed.ClassEvent", "note"),
    ("moral_ed.ClassEvent", "void_reason"),
    ("moral_ed.ClassVeto", "reason"),
    ("moral_ed.ClassVeto", "void_reason"),
    ("moral_ed.TermAward", "reason"),
    ("moral_ed.TermAward", "decision_note"),
    ("moral_ed.PracticeRecord", "title"),
    ("moral_ed.PracticeRecord", "description"),
    ("moral_ed.PracticeRecord", "void_reason"),
    ("moral_ed.PracticeEvidence", "file_name"),
    ("moral_ed.DormBuilding", "name"),
    ("moral_ed.DormRoom", "number"),
    ("moral_ed.DormBed", "label"),
    ("moral_ed.DormItem", "name"),
    ("moral_ed.DormEvent", "note"),
    ("moral_ed.DormEvent", "void_reason"),
    ("moral_ed.EscalationStep", "name"),
    ("moral_ed.DormCase", "decision_note"),
    ("moral_ed.ClassResult", "veto_reason"),
    ("home_school.Committee", "name"),
    ("home_school.CommitteeMeeting", "title"),
    ("home_school.CommitteeMeeting", "place"),
    ("home_school.CommitteeMeeting", "minutes"),
    ("home_school.ParentMeeting", "title"),
    ("home_school.ParentMeeting", "place"),
    ("home_school.ParentMeeting", "description"),
    ("home_school.ParentMeeting", "minutes"),
    ("home_school.TopicProposal", "topic"),
    ("home_school.TopicProposal", "details"),
    ("home_school.AgendaItem", "title"),
    ("home_school.AgendaItem", "credited_name"),
    ("home_school.FollowUpAction", "text"),
    ("home_school.Message", "body"),
    ("home_school.Attachment", "file_name"),
    ("home_school.Notice", "title"),
    ("home_school.Notice", "body"),
    ("home_school.NoticeReceipt", "reply_comment"),
    ("home_school.ParentSchoolArticle", "title"),
    ("home_school.ParentSchoolArticle", "summary"),
    ("home_school.ParentSchoolArticle", "body"),
    ("home_school.ParticipationEvent", "note"),
    ("home_school.ParticipationEvent", "void_reason"),
    ("home_school.Suggestion", "body"),
    ("home_school.SuggestionReply", "body"),
    ("home_school.HomeVisit", "family_situation"),
    ("home_school.HomeVisit", "discussed"),
    ("home_school.HomeVisit", "follow_up"),
    ("home_school.VolunteerActivity", "title"),
    ("home_school.VolunteerActivity", "description"),
    ("home_school.VolunteerActivity", "time_text"),
    ("home_school.VolunteerActivity", "place"),
    ("notifications.Notification", "title"),
    ("notifications.Notification", "body"),
]

# Text fields that are not free text a person types, and why.
NOT_FREE_TEXT = {
    ("accounts.User", "password"): "a hash",
    ("accounts.User", "username"): "validated: letters, digits and @.+-_ only",
    ("accounts.User", "email"): "validated e-mail address",
    ("accounts.User", "first_name"): "unused (full_name is the name): no form or admin screen writes it",
    ("accounts.User", "last_name"): "unused (full_name is the name): no form or admin screen writes it",
    ("accounts.User", "mobile"): "validated: 11 digits",
    ("students.Guardian", "mobile"): "validated: 11 digits",
    ("accounts.AuditEvent", "action"): "a dotted constant",
    ("accounts.AuditEvent", "target_type"): "a model label",
    ("accounts.AuditEvent", "target_id"): "an id",
    ("accounts.AuditEvent", "target_repr"): "str() of a target whose text fields are listed here; append-only",
    ("classes.School", "code"): "an identifier set by the district administrator",
    ("moral_ed.EvaluationRevision", "digest"): "a hash",
    ("moral_ed.PracticeEvidence", "content_type"): "decided from the bytes",
    ("home_school.Attachment", "content_type"): "decided from the bytes",
    ("home_school.ParentMeeting", "online_link"): "a URL: http(s) only (test_meeting_link_is_http_only)",
    ("home_school.ParticipationEvent", "source_key"): "written by the collecting job",
    ("home_school.Suggestion", "code_hash"): "a hash",
    ("notifications.Notification", "kind"): "a dotted constant",
    ("notifications.Notification", "link"): "a path on this site (notifications.views.safe_link; test_notification_link_never_leaves_the_site)",
    ("notifications.Notification", "dedupe_key"): "written by services",
    ("notifications.Delivery", "channel"): "a configured channel name",
    ("notifications.Delivery", "error"): "an adapter's error text, shown in the admin only",
}

# Fields no page or admin screen shows (the check that each field was rendered skips them).
NOT_SHOWN = {}

# Models of FIELDS that the matrix world and _more_rows leave empty (none).
NO_ROWS_YET = set()

APPS = ("accounts", "classes", "students", "moral_ed", "home_school", "notifications")


def _text_fields():
    found = set()
    for label in APPS:
        for model in apps.get_app_config(label).get_models():
            for field in model._meta.concrete_fields:
                if isinstance(field, (models.CharField, models.TextField)) and not field.choices:
                    found.add((model._meta.label, field.name))
    return found


def test_every_text_field_is_in_the_corpus_or_explained():
    """A new free-text field must join FIELDS (or NOT_FREE_TEXT, with why)."""
    missing = sorted(_text_fields() - set(FIELDS) - set(NOT_FREE_TEXT))
    assert not missing, f"add these text fields to tests/security/test_xss.py FIELDS: {missing}"


# --- Payloads ----------------------------------------------------------------------------------

KINDS = ("img", "svg", "template", "javascript")


def payload(kind: str, n: int, max_length: int | None) -> str:
    long = {
        "img": f"<img src=x onerror=alert({n})>",
        "svg": f'"><svg onload=alert({n})>',
        "template": f"{{{{7*7}}}}x{n}{{% debug %}}",
        "javascript": f"javascript:alert({n})",
    }[kind]
    if max_length is None or len(long) <= max_length:
        return long
    short = {"img": f"<b>{n}</b>", "svg": f'"><b>{n}', "template": f"{{{{7*7}}}}x{n}", "javascript": f"js:{n}"}[kind]
    return short if len(short) <= max_length else f"<i{n}"  # a room number, a bed label


def escaped_marks(kind: str, n: int) -> tuple[str, ...]:
    """What the page shows when field n was rendered escaped."""
    return {
        "img": (f"&lt;img src=x onerror=alert({n})&gt;", f"&lt;b&gt;{n}&lt;/b&gt;"),
        "svg": (f"&quot;&gt;&lt;svg onload=alert({n})&gt;", f"&quot;&gt;&lt;b&gt;{n}"),
        "template": (f"{{{{7*7}}}}x{n}",),
        "javascript": (f"javascript:alert({n})", f"js:{n}"),
    }[kind] + (f"&lt;i{n}",)


RAW = {
    "img": re.compile(r"<img src=x onerror=|<b>\d+</b>|<i\d\d", re.I),
    "svg": re.compile(r"<svg onload=|\"><b>\d|<i\d\d", re.I),
    # 7*7 evaluated then the letter x, standing alone: an id such as 4913, or
    # 49x6 inside a random CSRF token, is no sign of it.
    "template": re.compile(r"(?<![\w%-])49x\d+(?![\w])|sql_queries|'csrf_token'|<i\d\d"),
    "javascript": re.compile(r"(href|src|action|formaction)\s*=\s*[\"']?\s*javascript:|<i\d\d", re.I),
}


def _more_rows(world, objects):
    """Rows of the conduct and home-school models the matrix world does not
    make, so that each of their fields is rendered somewhere."""
    from home_school.services import meetings as meeting_services
    from home_school.services import participation as participation_services
    from home_school.services import suggestions as suggestion_services
    from moral_ed.services import conduct as conduct_services
    from students.roster.services import roster_import_create

    own = objects.side[1]
    for _ in range(4):  # a balance to redeem from
        conduct_services.points_record(
            actor=world.head_teacher, school=world.school, term=world.term, school_class=world.class1,
            student_ids=[world.child.pk], item=own.item, note="助人",
        )
    reward = conduct_services.reward_save(actor=world.head_teacher, school_class=world.class1, name="奖励", cost=1)
    group_event = conduct_services.group_points_record(actor=world.head_teacher, term=world.term, group=own.group, item=own.item, note="合作")
    conduct_services.group_points_record(actor=world.head_teacher, term=world.term, group=own.group, item=own.item, note="合作")
    conduct_services.group_event_void(actor=world.head_teacher, event=group_event, reason="记错")
    redemption = conduct_services.reward_redeem(actor=world.head_teacher, student=world.child, reward=reward)
    conduct_services.reward_redeem(actor=world.head_teacher, student=world.child, reward=reward)
    conduct_services.redemption_void(actor=world.head_teacher, redemption=redemption, reason="退回")
    conduct_services.staged_merge(actor=world.head_teacher, school=world.school, student=world.child, event_ids=[own.event.pk], text="合并")
    other = conduct_services.points_record(
        actor=world.head_teacher, school=world.school, term=world.term, school_class=world.class1,
        student_ids=[world.classmate.pk], item=own.item, note="课堂积极",
    )[0][0]
    conduct_services.points_void(actor=world.head_teacher, event=other, reason="记错")
    meeting_services.agenda_item_add(actor=world.head_teacher, meeting=own.meeting, title="议程")
    meeting_services.proposal_decide(actor=world.head_teacher, proposal=own.proposal, accept=True, title="议题")
    suggestion_services.suggestion_reply(actor=world.head_teacher, suggestion=own.suggestion, body="谢谢")
    participation_services.participation_void(actor=world.office, event=objects.side[2].participation_event, reason="重复")
    roster_import_create(school=world.school, uploaded_by=world.school_admin, file_name="名单.csv", content="学号,姓名\n".encode())


def _store(kind):
    """Write the payload into every field of FIELDS, for every row."""
    numbers = {}
    for n, (label, name) in enumerate(FIELDS, start=10):
        numbers[n] = (label, name)
        model = apps.get_model(label)
        field = model._meta.get_field(name)
        for i, pk in enumerate(model.objects.order_by("pk").values_list("pk", flat=True)):
            suffix = f"#{i}" if i else ""  # rows stay distinct where a name is unique
            room = None if field.max_length is None else field.max_length - len(suffix)
            try:
                with transaction.atomic():
                    model.objects.filter(pk=pk).update(**{name: payload(kind, n, room) + suffix})
            except IntegrityError:
                pass  # a constraint wants this field empty on this row (e.g. no guardian to credit)
    return numbers


def _is_html(response):
    return response.get("Content-Type", "").startswith("text/html")


def _page_problems(kind, url, response, numbers, seen):
    body = response.content.decode()
    problems = []
    for match in RAW[kind].finditer(body):
        problems.append(f"{url}: unescaped {match.group(0)!r} …{body[max(0, match.start() - 60):match.end() + 20]!r}")
    for n in numbers:
        if any(mark in body for mark in escaped_marks(kind, n)):
            seen.add(n)
    return problems


# Pages rendered for each kind of person (the table says which they may open);
# the student and the principal only where the others did not open the same URL.
VIEWERS = ("head_teacher", "office", "guardian", "student", "principal")
ONLY_NEW_PAGES = {"student", "principal"}


def _render_site(world, objects, kind, numbers, seen):
    names = url_names()
    problems, rendered = [], set()
    for role in VIEWERS:
        client = Client()
        client.force_login(people(world)[role])
        for name, spec in URLS.items():
            if name not in names or spec["get"].get(role) != 200:
                continue
            kwargs = names[name]
            if spec["obj"] == "reset" or (kwargs and spec["obj"] is None):
                continue
            url = reverse(name, kwargs={kwargs[0]: target(objects, spec["obj"], role).pk}) if kwargs else reverse(name)
            if role in ONLY_NEW_PAGES and url in rendered:
                continue
            rendered.add(url)
            response = client.get(url)
            if response.status_code != 200:
                problems.append(f"{role} {url}: {response.status_code}")
            elif _is_html(response):
                problems += _page_problems(kind, f"{role} {url}", response, numbers, seen)
    return problems


def _render_writes(world, objects, kind, numbers, seen):
    """Answers that echo what was just written: the htmx entry result and
    the message shown after a redirect."""
    own = objects.side[1]
    client = Client()
    client.force_login(world.head_teacher)
    problems = []
    response = client.post(
        reverse("moral_ed:points_record", args=[world.class1.pk]),
        {"students": [world.child.pk], "item": own.item.pk},
        headers={"HX-Request": "true"},
    )
    problems += _page_problems(kind, "points_record (htmx)", response, numbers, seen)
    text = payload(kind, 99, 30)
    for name, data in (
        ("moral_ed:reward_add", {"name": text, "cost": "2"}),
        ("moral_ed:group_create", {"kind": "study", "name": text, "students": [world.classmate.pk]}),
    ):
        response = client.post(reverse(name, args=[world.class1.pk]), data, follow=True)
        problems += _page_problems(kind, name, response, {99: None}, seen)
        if 99 not in seen:
            problems.append(f"{name}: the message with the new name is not shown")
        seen.discard(99)
    return problems


def _render_admin(kind, numbers, seen):
    superuser = f.UserFactory(username="root-xss", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(superuser)
    problems = []
    with_text = {label for label, _name in FIELDS}
    for model in admin.site._registry:
        if model._meta.label not in with_text:
            continue
        info = model._meta.app_label, model._meta.model_name
        changelist = reverse("admin:{}_{}_changelist".format(*info))
        urls = [changelist]
        first = model.objects.order_by("pk").first()
        if first is not None:
            urls.append(reverse("admin:{}_{}_change".format(*info), args=[first.pk]))
        for url in urls:
            response = client.get(url)
            if response.status_code != 200:
                problems.append(f"admin {url}: {response.status_code}")
            elif _is_html(response):
                problems += _page_problems(kind, f"admin {url}", response, numbers, seen)
    return problems


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.usefixtures("quiet_refusals")
def test_stored_payloads_are_shown_as_text_everywhere(world, kind):
    seen = set()
    with time_machine.travel(NOW, tick=False):
        objects = build(world)
        _more_rows(world, objects)
        numbers = _store(kind)
        problems = _render_site(world, objects, kind, numbers, seen)
        problems += _render_writes(world, objects, kind, numbers, seen)
        if kind in ("img", "svg"):  # the admin escapes all text alike: two payloads show it
            problems += _render_admin(kind, numbers, seen)
    assert not problems, "\n".join(problems)
    if kind in ("img", "svg"):
        # Each field with rows was shown somewhere (escaped), so the check above looked at it.
        unseen = [
            numbers[n] for n in numbers
            if n not in seen and numbers[n] not in NOT_SHOWN and apps.get_model(numbers[n][0]).objects.exists()
        ]
        assert not unseen, f"never shown on a page or in the admin: {unseen}"
        empty = {label for label, _name in FIELDS if not apps.get_model(label).objects.exists()}
        assert empty == NO_ROWS_YET, f"models without rows: {sorted(empty)}; make rows in _more_rows, or say why in NO_ROWS_YET"


# --- URLs a person may type -------------------------------------------------------------------


def test_meeting_link_is_http_only(world, client_for):
    """The one URL a person types (a meeting's online link) is refused
    unless http(s), by the form and by the service."""
    from django.core.exceptions import ValidationError

    from home_school.models import ParentMeeting
    from home_school.services import meetings as meeting_services
    from tests.home_school.meetings_support import MEETING_AT

    with time_machine.travel(NOW, tick=False):
        for link in ("javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,<script>alert(1)</script>", "vbscript:msgbox(1)"):
            response = client_for(world.head_teacher).post(
                reverse("home_school:meeting_create"),
                {"school_class": world.class1.pk, "title": "家长会", "starts_at": "2026-12-02 19:00", "online_link": link},
            )
            assert response.status_code == 200, link  # shown again with the error
            with pytest.raises(ValidationError):
                meeting_services.meeting_schedule(
                    actor=world.head_teacher, school=world.school, term=world.term, title="家长会", starts_at=MEETING_AT,
                    online_link=link, school_class=world.class1,
                )
        assert not ParentMeeting.objects.exists()


def test_notification_link_never_leaves_the_site(world, client_for):
    """A notification's link is followed only when it is a path on this site."""
    from notifications.models import Notification

    for n, link in enumerate(["javascript:alert(1)", "//evil.example/x", "https://evil.example/", "/\\evil.example", " /x"]):
        note = Notification.objects.create(
            school=world.school, recipient=world.parent, kind="tests.link", title="t", link=link, dedupe_key=f"tests.link:{n}"
        )
        response = client_for(world.parent).get(reverse("notifications:open", args=[note.pk]))
        assert response.status_code == 302
        assert response["Location"] == reverse("notifications:inbox"), link


def test_article_links_are_http_only_and_escaped(world, client_for):
    """The parent-school article's light markup links http(s) addresses
    only; a javascript: address and an attribute break-out stay text."""
    from home_school.services import parent_school as article_services

    with time_machine.travel(NOW, tick=False):
        article = article_services.article_save(
            actor=world.office, school=world.school, title="链接", category="family", is_published=True,
            body='**粗体** javascript:alert(1) https://ok.example/a?b=1&c=2 https://x.example/"onmouseover=alert(1) <a href="javascript:alert(2)">x</a>',
        )
        page = client_for(world.parent).get(reverse("home_school:portal_article_detail", args=[article.pk])).content.decode()
    assert "<strong>粗体</strong>" in page
    assert 'href="https://ok.example/a?b=1&amp;c=2"' in page
    assert not RAW["javascript"].search(page)
    assert 'onmouseover=alert(1)"' not in page and "<a href=\"javascript" not in page
    assert "&lt;a href=&quot;javascript:alert(2)&quot;&gt;" in page
