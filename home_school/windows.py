"""The days a person may type into home_school's forms, in one place
(core.forms.DayField / MomentField take them with `.window(earliest, latest)`).

- A plan (a parent meeting, a notice's sending time and deadline, a home
  visit, a volunteer activity, a follow-up's due date): from today to the
  end of the current school year. A meeting in 9999 or a follow-up due in
  year 1 is a typing slip, and families are told about plans at once.
- A record of what happened (a committee meeting held, a visit done):
  inside the current school year and not after today.

Without a current term (a school being set up) the school year is taken
as the year around today.
"""

import datetime

from django.utils import timezone

from classes.models import SchoolYear
from classes.selectors import current_term

# Used when the school has no current term: a year either side of today.
NO_TERM_SPAN = datetime.timedelta(days=365)


def school_year_bounds(school, *, today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    """(first day, last day) of the school's current school year: one query,
    remembered on the school object for the rest of the request."""
    today = today or timezone.localdate()
    if school is not None and "_school_year_bounds" in school.__dict__:
        return school._school_year_bounds
    term = current_term(school)
    bounds = None
    if term is not None:
        bounds = SchoolYear.objects.filter(pk=term.school_year_id).values_list("start_date", "end_date").first()
    if bounds is None:
        bounds = (today - NO_TERM_SPAN, today + NO_TERM_SPAN)
    if school is not None:
        school._school_year_bounds = bounds
    return bounds


def plan_window(school, *, today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    """From today to the end of the school year (a plan made in the
    summer holidays reaches a year ahead)."""
    today = today or timezone.localdate()
    _start, end = school_year_bounds(school, today=today)
    return today, (end if end >= today else today + NO_TERM_SPAN)


def record_window(school, *, today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    """From the first day of the school year to today."""
    today = today or timezone.localdate()
    start, _end = school_year_bounds(school, today=today)
    return min(start, today), today


def term_plan_window(term, *, today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    """From today to the end of `term` (a home visit belongs to a term)."""
    today = today or timezone.localdate()
    if term is None:
        return today, today + NO_TERM_SPAN
    return today, max(term.end_date, today)
