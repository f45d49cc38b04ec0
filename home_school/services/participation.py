"""The participation ledger: collecting guardians' deeds into
ParticipationEvent rows, and voiding one.

Facts already recorded elsewhere are the sources; the ledger copies them
with the school's point value of the day. Each source row gives one event
under a unique `source_key`, so collecting is idempotent: run it twice, or
on two workers at once, and the ledger holds the same rows (bulk_create
with ignore_conflicts on the unique key).

Sources (one collector each, registered in COLLECTORS):
- volunteering done: VolunteerSignup with done_at, activity not cancelled;
  key `volunteer:<sign-up id>`, on the activity's date;
- parent meeting attended: home_school.models.meetings.MeetingAttendance
  with present=True and the guardian who came known; key
  `meeting:<attendance id>`, on the meeting's local date;
- notice confirmed in time: home_school.models.notices.NoticeReceipt of a
  notice asking for a confirmation (or a reply), confirmed (replied)
  before the notice's deadline, or within NOTICE_GRACE of sending when it
  has none; credited to the guardian who confirmed; key
  `notice:<receipt id>`, on the local date of the confirmation.
A source corrected after collection (attendance unmarked, a confirmation
by the wrong guardian) leaves its event in place: a person voids it with a
reason (participation_void).
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import DateTimeField, ExpressionWrapper, F, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.services import audit_record
from core.ledger import REASON_MAX_LENGTH, void
from students.models import Guardian

from ..models import ParticipationEvent, ParticipationKind, ParticipationRule, VolunteerSignup

# Points a school starts with; an administrator changes them with
# ParticipationRule rows in the admin (DESIGN.md: rules are data).
DEFAULT_POINTS = {
    ParticipationKind.MEETING: Decimal("2"),
    ParticipationKind.NOTICE: Decimal("1"),
    ParticipationKind.VOLUNTEER: Decimal("3"),
}
# A notice without a deadline counts as confirmed in time within this long after it was sent.
NOTICE_GRACE = datetime.timedelta(hours=72)


def rule_points(school) -> dict[str, Decimal]:
    """The school's point value per kind: its rules over the defaults. One query."""
    points = dict(DEFAULT_POINTS)
    points.update(dict(ParticipationRule.objects.filter(school=school).values_list("kind", "points")))
    return points


@transaction.atomic
def participation_rules_install(*, school) -> int:
    """Give a school one rule row per kind with the default points, so an
    administrator sees and edits them. Idempotent: existing rows stay."""
    existing = set(ParticipationRule.objects.filter(school=school).values_list("kind", flat=True))
    rows = [ParticipationRule(school=school, kind=k, points=p) for k, p in DEFAULT_POINTS.items() if k not in existing]
    ParticipationRule.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def _local_bounds(start: datetime.date, end: datetime.date):
    """[start 00:00, end+1 00:00) in the school's time zone, as aware datetimes."""
    tz = timezone.get_current_timezone()
    lo = timezone.make_aware(datetime.datetime.combine(start, datetime.time.min), tz)
    hi = timezone.make_aware(datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min), tz)
    return lo, hi


def collect_volunteering(*, school, start, end, points) -> list[ParticipationEvent]:
    rows = (
        VolunteerSignup.objects.filter(
            school=school, done_at__isnull=False, activity__date__gte=start, activity__date__lte=end, activity__cancelled_at__isnull=True
        )
        .select_related("activity")
        .only("pk", "guardian_id", "activity__title", "activity__date")
        .order_by("pk")
    )
    return [
        ParticipationEvent(
            school=school,
            guardian_id=s.guardian_id,
            kind=ParticipationKind.VOLUNTEER,
            points=points[ParticipationKind.VOLUNTEER],
            source_key=f"volunteer:{s.pk}",
            note=s.activity.title[:200],
            occurred_on=s.activity.date,
        )
        for s in rows
    ]


def collect_meeting_attendance(*, school, start, end, points) -> list[ParticipationEvent]:
    from ..models.meetings import MeetingAttendance

    lo, hi = _local_bounds(start, end)
    rows = (
        MeetingAttendance.objects.filter(
            school=school,
            present=True,
            guardian__isnull=False,
            guardian__school=school,
            meeting__starts_at__gte=lo,
            meeting__starts_at__lt=hi,
        )
        .select_related("meeting")
        .only("pk", "guardian_id", "meeting__title", "meeting__starts_at")
        .order_by("pk")
    )
    return [
        ParticipationEvent(
            school=school,
            guardian_id=a.guardian_id,
            kind=ParticipationKind.MEETING,
            points=points[ParticipationKind.MEETING],
            source_key=f"meeting:{a.pk}",
            note=a.meeting.title[:200],
            occurred_on=timezone.localdate(a.meeting.starts_at),
        )
        for a in rows
    ]


def collect_notice_confirmations(*, school, start, end, points) -> list[ParticipationEvent]:
    from ..models.notices import NoticeReceipt, ReceiptType

    lo, hi = _local_bounds(start, end)
    grace_end = ExpressionWrapper(F("notice__sent_at") + NOTICE_GRACE, output_field=DateTimeField())
    events = []
    # A confirmation notice counts its confirmation; a notice asking for a choice counts the reply.
    for receipt_type, at, by in (
        (ReceiptType.CONFIRM, "confirmed_at", "confirmed_by"),
        (ReceiptType.REPLY, "replied_at", "replied_by"),
    ):
        in_time = Q(notice__reply_deadline__isnull=False, **{f"{at}__lte": F("notice__reply_deadline")}) | Q(
            notice__reply_deadline__isnull=True, **{f"{at}__lte": grace_end}
        )
        guardian = Guardian.objects.filter(school=school, user=OuterRef(by)).values("pk")[:1]
        rows = (
            NoticeReceipt.objects.filter(
                in_time,
                school=school,
                notice__receipt_type=receipt_type,
                notice__sent_at__isnull=False,
                **{f"{at}__gte": lo, f"{at}__lt": hi, f"{by}__isnull": False},
            )
            .annotate(guardian_pk=Subquery(guardian))
            .filter(guardian_pk__isnull=False)
            .select_related("notice")
            .only("pk", at, "notice__title")
            .order_by("pk")
        )
        events += [
            ParticipationEvent(
                school=school,
                guardian_id=r.guardian_pk,
                kind=ParticipationKind.NOTICE,
                points=points[ParticipationKind.NOTICE],
                source_key=f"notice:{r.pk}",
                note=r.notice.title[:200],
                occurred_on=timezone.localdate(getattr(r, at)),
            )
            for r in rows
        ]
    return events


# The sources participation_collect reads, in order. A new source is a
# function (school, start, end, points) → unsaved events with unique keys.
COLLECTORS = [collect_volunteering, collect_meeting_attendance, collect_notice_confirmations]


def participation_collect(*, school, start: datetime.date, end: datetime.date) -> int:
    """Insert the ledger rows missing for deeds from `start` to `end`
    (inclusive, local dates). Idempotent (unique source_key, conflicts
    ignored); returns how many rows this call found missing (a worker
    running at the same moment may have written some of them). Called by
    the nightly task and the recognition page's refresh button; nobody's
    permission is needed to copy facts already recorded."""
    points = rule_points(school)
    rows = [row for collector in COLLECTORS for row in collector(school=school, start=start, end=end, points=points)]
    if not rows:
        return 0
    existing = set(
        ParticipationEvent.objects.filter(source_key__in=[r.source_key for r in rows]).values_list("source_key", flat=True)
    )
    missing = [r for r in rows if r.source_key not in existing]
    ParticipationEvent.objects.bulk_create(missing, ignore_conflicts=True, batch_size=500)
    return len(missing)


@transaction.atomic
def participation_void(*, actor, event: ParticipationEvent, reason: str) -> bool:
    """Void one event (it stays, struck through, out of every total).
    Once only: a conditional UPDATE on voided_at IS NULL; returns False if
    it was voided already. The caller checked get_event_for_voiding."""
    changed = void(ParticipationEvent.objects.filter(pk=event.pk), actor=actor, reason=reason, missing=_("Say why the points are voided."))
    if changed:
        audit_record(
            actor=actor,
            school=event.school,
            action="home_school.participation.voided",
            target=event,
            data={"reason": reason.strip()[:REASON_MAX_LENGTH]},
        )
    return bool(changed)
