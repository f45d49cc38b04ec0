"""Reads of conversations, messages and office hours, scoped to the person
asking. Who may see a conversation at all is decided in
home_school.policies.messaging; these build the lists and pages."""

import datetime

from django.db import connection
from django.db.models import Case, Count, F, IntegerField, OuterRef, Prefetch, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from classes.models import TeachingAssignment
from classes.selectors import current_term, taught_class_ids
from students.models import Enrollment, Guardian, Guardianship, Student
from students.selectors import children_ids, children_of

from ..models import AttachmentContent, Conversation, ConversationRead, Message, OfficeHours

MESSAGES_PER_PAGE = 50


def _open_enrollments(term):
    qs = Enrollment.objects.filter(end_date__isnull=True).select_related("school_class")
    if term is not None:
        qs = qs.filter(school_year_id=term.school_year_id)
    return qs


def messageable_students_for(user, school, *, term=None):
    """Students `user` may start a conversation about: those currently in a
    class they teach this term, as head teacher or subject teacher (the
    roles are checked by taught_class_ids). Each carries
    `current_enrollments`."""
    term = term or current_term(school)
    if term is None:
        return Student.objects.none()
    enrolled = Enrollment.objects.filter(
        school=school,
        school_year_id=term.school_year_id,
        end_date__isnull=True,
        school_class_id__in=taught_class_ids(user, school, term),
    ).values("student_id")
    return (
        Student.objects.filter(school=school, pk__in=enrolled)
        .prefetch_related(Prefetch("enrollments", queryset=_open_enrollments(term), to_attr="current_enrollments"))
        .order_by("student_number")
    )


def student_search(user, school, query: str, *, limit: int = 20):
    """The teacher's student picker: name or student number."""
    query = (query or "").strip()
    if not query:
        return []
    qs = messageable_students_for(user, school).filter(Q(name__icontains=query) | Q(student_number__startswith=query))
    return list(qs[:limit])


def _with_unread(qs, user):
    """Annotate `unread_count`: messages by others after the last one
    `user` read. Two correlated subqueries, so the list's query count does
    not depend on its length."""
    last_read = ConversationRead.objects.filter(conversation=OuterRef("pk"), user=user).values("last_read_message_id")[:1]
    unread = (
        Message.objects.filter(conversation=OuterRef("pk"), pk__gt=OuterRef("my_last_read"))
        .exclude(author=user)
        .order_by()
        .values("conversation")
        .annotate(n=Count("pk"))
        .values("n")
    )
    last_body = Message.objects.filter(conversation=OuterRef("pk")).order_by("-pk").values("body")[:1]
    return qs.annotate(
        my_last_read=Coalesce(Subquery(last_read), Value(0)),
    ).annotate(
        unread_count=Coalesce(Subquery(unread, output_field=IntegerField()), Value(0)),
        last_body=Subquery(last_body),
    )


def _unread_first(qs):
    return qs.order_by(
        Case(When(unread_count__gt=0, then=Value(0)), default=Value(1)),
        F("last_message_at").desc(nulls_last=True),
        "-pk",
    )


def conversation_list_for_teacher(user, school):
    """The teacher's conversations: unread first, then the most recent.
    Each carries the student with `current_enrollments` and
    `guardian_links` (current guardianships with the guardian)."""
    term = current_term(school)
    links = Guardianship.objects.filter(school=school).select_related("guardian").order_by("-is_primary", "pk")
    qs = Conversation.objects.filter(school=school, teacher=user).select_related("student")
    return _unread_first(_with_unread(qs, user)).prefetch_related(
        Prefetch("student__enrollments", queryset=_open_enrollments(term), to_attr="current_enrollments"),
        Prefetch("student__guardianships", queryset=links, to_attr="guardian_links"),
    )


def conversation_list_for_guardian(user, school):
    """Conversations about any of the guardian's children, unread first."""
    children = children_ids(user, school)
    qs = Conversation.objects.filter(school=school, student_id__in=children).select_related("student", "teacher")
    return _unread_first(_with_unread(qs, user))


def unread_conversation_count(user, school, *, as_teacher: bool) -> int:
    """How many of the person's conversations hold unread messages: a
    message by someone else after the last one the person read (the same
    rule as `_with_unread`). The navigation's badge, on every page, so it is
    one small hand-written query; the ORM spelling compiled three
    subqueries per page (docs/performance.md)."""
    conversation, message, read = Conversation._meta.db_table, Message._meta.db_table, ConversationRead._meta.db_table
    if as_teacher:
        scope, params = "c.teacher_id = %s", [user.pk]
    else:
        guardianship, guardian = Guardianship._meta.db_table, Guardian._meta.db_table
        scope = (
            f"c.student_id IN (SELECT g.student_id FROM {guardianship} g JOIN {guardian} gu ON gu.id = g.guardian_id "
            "WHERE g.school_id = %s AND gu.user_id = %s)"
        )
        params = [school.pk, user.pk]
    sql = (
        f"SELECT COUNT(*) FROM {conversation} c WHERE c.school_id = %s AND {scope} AND EXISTS ("
        f"SELECT 1 FROM {message} m WHERE m.conversation_id = c.id AND (m.author_id IS NULL OR m.author_id <> %s) "
        f"AND m.id > COALESCE((SELECT r.last_read_message_id FROM {read} r WHERE r.conversation_id = c.id AND r.user_id = %s), 0))"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [school.pk, *params, user.pk, user.pk])
        return cursor.fetchone()[0]


def existing_conversation(student, teacher):
    return Conversation.objects.filter(student=student, teacher=teacher).first()


def conversation_pairs(students, school) -> set[tuple[int, int]]:
    """(student id, teacher id) of the conversations about `students`."""
    return set(Conversation.objects.filter(school=school, student__in=students).values_list("student_id", "teacher_id"))


def attachment_bytes(attachment) -> bytes:
    """The stored bytes, read only when someone downloads them."""
    return bytes(AttachmentContent.objects.filter(attachment=attachment).values_list("data", flat=True).get())


def conversation_members(conversation, school):
    """[(user_id, display name)]: the teacher, then the current guardians
    (primary contact first). Guardians show by their name in the school,
    e.g. 陈妈妈."""
    links = (
        Guardianship.objects.filter(school=school, student_id=conversation.student_id)
        .select_related("guardian")
        .order_by("-is_primary", "pk")
    )
    members = [(conversation.teacher_id, conversation.teacher.get_full_name())]
    members += [(link.guardian.user_id, link.guardian.name) for link in links]
    return members


def conversation_messages(conversation, school, *, before: int | None = None, limit: int = MESSAGES_PER_PAGE):
    """The latest `limit` messages (or those before message id `before`),
    oldest first, with their attachments' facts (never their bytes).
    Returns (messages, has_earlier)."""
    qs = (
        Message.objects.filter(school=school, conversation=conversation)
        .select_related("author")
        .prefetch_related("attachments")
        .order_by("-pk")
    )
    if before:
        qs = qs.filter(pk__lt=before)
    page = list(qs[: limit + 1])
    return list(reversed(page[:limit])), len(page) > limit


def read_positions(conversation) -> dict[int, int]:
    """user id → id of the last message they read."""
    return dict(ConversationRead.objects.filter(conversation=conversation).values_list("user_id", "last_read_message_id"))


def attach_read_receipts(messages, members, reads) -> None:
    """Set `author_name` and `read_by` (names of the other current members
    who have read it) on each message. Authors no longer members (a
    removed guardian) show by their account name."""
    names = dict(members)
    for message in messages:
        message.author_name = names.get(message.author_id) or message.author.get_full_name()
        message.read_by = [
            name for user_id, name in members if user_id != message.author_id and reads.get(user_id, 0) >= message.pk
        ]


def head_teachers_of(students, school) -> dict:
    """student id → head teacher (User) of the student's current class this
    term, or None. One query for any number of students (each student must
    carry `current_enrollments`)."""
    term = current_term(school)
    class_of = {s.pk: s.current_enrollments[0].school_class_id for s in students if s.current_enrollments}
    if term is None or not class_of:
        return dict.fromkeys(s.pk for s in students)
    heads = TeachingAssignment.objects.filter(
        school=school, term=term, is_head_teacher=True, school_class_id__in=set(class_of.values())
    ).select_related("teacher")
    by_class = {h.school_class_id: h.teacher for h in heads}
    return {s.pk: by_class.get(class_of.get(s.pk)) for s in students}


def children_with_head_teachers(user, school) -> list[Student]:
    """The guardian's children, each with `head_teacher` (head_teachers_of)
    and `can_start`: a head teacher to write to and no conversation with
    them about this child yet. Three queries whatever the number of children."""
    children = list(children_of(user, school))
    heads = head_teachers_of(children, school)
    open_with = conversation_pairs(children, school)
    for child in children:
        child.head_teacher = heads.get(child.pk)
        child.can_start = child.head_teacher is not None and (child.pk, child.head_teacher.pk) not in open_with
    return children


# --- Office hours ------------------------------------------------------------------


def office_hours_of(teacher, school):
    return OfficeHours.objects.filter(school=school, teacher=teacher).order_by("weekday", "start_time")


def next_office_hours_start(rows, now: datetime.datetime) -> datetime.datetime | None:
    """When the teacher will next be in office hours, as an aware local
    datetime; None when `now` is inside office hours or there are none.
    `rows` have weekday (Monday 0), start_time and end_time in local time."""
    rows = list(rows)
    if not rows:
        return None
    tz = timezone.get_default_timezone()
    local = timezone.localtime(now, tz)
    today, clock = local.date(), local.time()
    for row in rows:
        if row.weekday == today.weekday() and row.start_time <= clock < row.end_time:
            return None
    # Eight days: today's later spans, the next six days, and today's weekday next week.
    for offset in range(8):
        day = today + datetime.timedelta(days=offset)
        starts = [r.start_time for r in rows if r.weekday == day.weekday() and (offset > 0 or r.start_time > clock)]
        if starts:
            return datetime.datetime.combine(day, min(starts), tzinfo=tz)
    return None


def answer_expected_at(teacher, school, now: datetime.datetime | None = None) -> datetime.datetime | None:
    """For a guardian writing now: the start of the teacher's next office
    hours, or None when they are in office hours (or have set none)."""
    return next_office_hours_start(office_hours_of(teacher, school), now or timezone.now())
