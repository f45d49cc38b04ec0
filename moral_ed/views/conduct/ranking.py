"""The individual ranking inside a class and the class's totals per
dimension (staff only; guardians never see another student's points)."""

from django.shortcuts import render
from django.urls import path
from django.utils import timezone

from classes import periods
from classes.policies import get_class_for
from classes.selectors import current_term

from ...models import Dimension
from ...policies.conduct import can_record_points
from ...selectors import conduct as selectors

RANKING_PERIODS = ("week", "month", "term")


def class_ranking(request, pk):
    """Individual ranking inside a class and the class's totals per
    dimension. Staff only: the class's teachers, the office, the principal
    and the counsellor (classes.policies.get_class_for); guardians and
    students get 403 and never see another student's points."""
    school_class = get_class_for(request.user, request.school, pk)
    term = current_term(request.school)
    period = request.GET.get("period")
    period = period if period in RANKING_PERIODS else "term"
    context = {
        "school_class": school_class,
        "term": term,
        "period": period,
        "dimensions": Dimension.choices,
        "can_record": can_record_points(request.user, request.school, school_class),
    }
    if term is not None:
        today = timezone.localdate()
        span = {"week": periods.week_of, "month": periods.month_of}.get(period, lambda day: periods.term_period(term))(today)
        ranking = list(selectors.staff_ranking(school_class, term=term, start=span.start, end=span.end))
        # Competition ranking: equal totals share a place (1, 2, 2, 4).
        place, previous = 0, None
        for i, student in enumerate(ranking, start=1):
            if student.total != previous:
                place, previous = i, student.total
            student.place = place
        context.update(
            span=span,
            ranking=ranking,
            aggregates=selectors.class_aggregates(school_class, start=span.start, end=span.end),
        )
    return render(request, "moral_ed/conduct/class_ranking.html", context)


urls = [
    path("class/<int:pk>/ranking/", class_ranking, name="class_ranking"),
]
