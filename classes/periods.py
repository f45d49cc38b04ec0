"""The one place that knows where school weeks, months and star periods
begin and end. Dates are local school dates (Asia/Shanghai)."""

import datetime
from dataclasses import dataclass


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date  # inclusive

    def __contains__(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def week_of(day: datetime.date) -> Period:
    """Monday to Sunday."""
    start = day - datetime.timedelta(days=day.weekday())
    return Period(start, start + datetime.timedelta(days=6))


def month_of(day: datetime.date) -> Period:
    start = day.replace(day=1)
    next_month = (start + datetime.timedelta(days=32)).replace(day=1)
    return Period(start, next_month - datetime.timedelta(days=1))


def previous_month(day: datetime.date) -> Period:
    return month_of(day.replace(day=1) - datetime.timedelta(days=1))


def two_months_of(day: datetime.date) -> Period:
    """Jan–Feb, Mar–Apr, … Nov–Dec: the 校园之星 are chosen every two months."""
    first_month = day.month - (day.month - 1) % 2
    start = datetime.date(day.year, first_month, 1)
    end = month_of(datetime.date(day.year, first_month + 1, 1)).end
    return Period(start, end)


def term_period(term) -> Period:
    return Period(term.start_date, term.end_date)
