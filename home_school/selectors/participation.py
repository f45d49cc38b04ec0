"""Reads of the participation ledger. Totals are `Sum` in the database
over unvoided events. Staff read a class's list; a guardian reads only
their own events (own_month) — there is no read of other families'
points for the portal."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

from django.db.models import DecimalField, OuterRef, Prefetch, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from classes import periods
from students.models import Enrollment, Guardian, Guardianship

from ..models import ParticipationEvent

ZERO = Decimal(0)


def class_recognition(school_class, *, start: datetime.date, end: datetime.date):
    """The guardians of the class's current students, ranked by their
    points from `start` to `end`, each with `total`, `events` (all their
    events in the period, voided ones included, oldest first) and
    `class_links` (their children in this class). Three queries whatever
    the class size. A guardian's points count whatever class or activity
    they came from: the list ranks families, not deeds for this class."""
    students = Enrollment.objects.filter(school_class=school_class, end_date__isnull=True).values("student_id")
    in_period = ParticipationEvent.objects.filter(occurred_on__gte=start, occurred_on__lte=end)
    total = (
        in_period.filter(guardian=OuterRef("pk"), voided_at__isnull=True)
        .order_by()
        .values("guardian")
        .annotate(s=Sum("points"))
        .values("s")
    )
    decimal = DecimalField(max_digits=8, decimal_places=1)
    return (
        Guardian.objects.filter(school_id=school_class.school_id, pk__in=Guardianship.objects.filter(student_id__in=students).values("guardian_id"))
        .annotate(total=Coalesce(Subquery(total, output_field=decimal), Value(ZERO, output_field=decimal)))
        .prefetch_related(
            Prefetch("participation_events", queryset=in_period.select_related("voided_by").order_by("occurred_on", "pk"), to_attr="events"),
            Prefetch(
                "guardianships",
                queryset=Guardianship.objects.filter(student_id__in=students).select_related("student").order_by("student__student_number"),
                to_attr="class_links",
            ),
        )
        .order_by("-total", "name", "pk")
    )


def own_month(guardian, *, today: datetime.date) -> SimpleNamespace:
    """The guardian's own unvoided events this month and their total. Two queries."""
    month = periods.month_of(today)
    events = ParticipationEvent.objects.filter(
        guardian=guardian, occurred_on__gte=month.start, occurred_on__lte=month.end, voided_at__isnull=True
    )
    total = events.aggregate(t=Sum("points"))["t"] or ZERO
    return SimpleNamespace(month=month, total=total, events=list(events.order_by("-occurred_on", "-pk")))
