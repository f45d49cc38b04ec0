"""Every list page of the committee, volunteering, participation,
suggestion and parent-school parts makes the same number of queries
whatever the number of rows (two sizes, after a warm-up request)."""

import datetime

import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role
from home_school.services import committee as committee_services
from home_school.services import parent_school as article_services
from home_school.services import suggestions as suggestion_services
from home_school.services import volunteering as volunteer_services
from tests import factories as f

from .committee_support import NEXT_FRIDAY, NOV20, TODAY, event, hs


def _count(client, url):
    client.get(url)  # the first request of a session stamps it
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def _family(world, school_class):
    """A new student of `school_class` with a new guardian (with a login)."""
    student = f.StudentFactory(school=world.school)
    f.EnrollmentFactory(student=student, school_class=school_class)
    g = f.GuardianFactory(school=world.school)
    f.GuardianshipFactory(student=student, guardian=g, school=world.school)
    f.MembershipFactory(user=g.user, school=world.school, role=Role.GUARDIAN)
    return g


def _grow(world, ns, n):
    """n more of everything: members, meetings, sign-ups, events,
    activities, suggestions (with replies) and articles."""
    type(ns.act_c1).objects.filter(pk=ns.act_c1.pk).update(slots=100)
    for _ in range(n):
        g = _family(world, world.class1)
        committee_services.committee_member_add(
            actor=world.head_teacher, committee=ns.c1, guardian=g, role="member", start_date=datetime.date(2026, 9, 10)
        )
        committee_services.committee_member_add(
            actor=world.office, committee=ns.cs, guardian=g, role="member", start_date=datetime.date(2026, 9, 10)
        )
        members = list(ns.c1.members.values_list("pk", flat=True))
        committee_services.committee_meeting_save(
            actor=world.head_teacher, committee=ns.c1, held_on=datetime.date(2026, 10, 20), title="例会", attendee_ids=members
        )
        volunteer_services.volunteer_sign_up(guardian=g, activity=ns.act_c1, today=TODAY)
        event(world.school, g, f"grow:{g.pk}:1")
        event(world.school, g, f"grow:{g.pk}:2", kind="notice_confirmed", points="1")
        other_class = f.SchoolClassFactory(school=world.school, school_year=world.year, grade=world.grade)
        committee_services.committee_set_up(actor=world.office, school=world.school, school_class=other_class)
        volunteer_services.volunteer_activity_create(
            actor=world.head_teacher, school=world.school, school_class=world.class1, title="护学岗", date=NEXT_FRIDAY,
            slots=5, today=TODAY,
        )
        for user, to, school_class in ((world.parent, "head_teacher", world.class1), (g.user, "office", None)):
            cache.clear()  # the daily rate limit
            s, _code = suggestion_services.suggestion_submit(
                school=world.school, user=user, recipient=to, school_class=school_class, body="建议", anonymous=False, today=TODAY
            )
            suggestion_services.suggestion_reply(actor=world.office if to == "office" else world.head_teacher, suggestion=s, body="收到")
        article_services.article_save(
            actor=world.office, school=world.school, title="家庭教育", category="family", body="正文", is_published=True,
            published_on=datetime.date(2026, 11, 2),
        )
    cache.clear()


PAGES = [
    ("office", "committee_list", None),
    ("office", "committee_detail", "cs"),
    ("head_teacher", "committee_detail", "c1"),
    ("head_teacher", "committee_meeting_detail", "meet_c1"),
    ("head_teacher", "volunteer_list", None),
    ("head_teacher", "volunteer_detail", "act_c1"),
    ("head_teacher", "participation_class", "class1"),
    ("office", "participation_home", None),
    ("head_teacher", "suggestion_list", None),
    ("office", "suggestion_list", None),
    ("office", "article_list", None),
    ("parent", "portal_committee_list", None),
    ("parent", "portal_committee_detail", "c1"),
    ("parent", "portal_volunteer_list", None),
    ("parent", "portal_suggestion_list", None),
    ("parent", "portal_article_list", None),
]


def test_list_pages_do_not_grow_with_rows(world, client_for):
    """All pages at once (building the rows is the slow part): each
    page's count with one more of everything, then with four more."""
    counts = {}
    with time_machine.travel(NOV20, tick=False):
        ns = hs(world)
        clients = {p: client_for(getattr(world, p)) for p in {page[0] for page in PAGES}}
        urls = []
        for person, url_name, target in PAGES:
            args = [world.class1.pk] if target == "class1" else [getattr(ns, target).pk] if target else []
            url = reverse(f"home_school:{url_name}", args=args) + ("?show=all" if url_name == "suggestion_list" else "")
            urls.append((person, url_name, url))
        for size in (1, 3):
            _grow(world, ns, size)
            for person, url_name, url in urls:
                counts.setdefault((person, url_name), []).append(_count(clients[person], url))
    grown = {key: c for key, c in counts.items() if c[0] != c[1]}
    assert not grown, f"query counts grew with rows: {grown}"
    print({f"{p}:{n}": c[0] for (p, n), c in counts.items()})
