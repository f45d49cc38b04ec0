"""Template helpers of the messaging part."""

from django import template
from django.utils import timezone
from django.utils.formats import date_format

from accounts import roles as role_groups
from accounts.models import Role

from ..models import Weekday
from ..selectors import messaging as selectors

register = template.Library()


@register.filter
def answer_time(value) -> str:
    """An office-hours start as the school reads it: weekday, date and
    time in local time (星期一 2026/11/23 16:00)."""
    if not value:
        return ""
    local = timezone.localtime(value)
    return f"{date_format(local, 'l')} {date_format(local, 'SHORT_DATETIME_FORMAT')}"


@register.simple_tag(takes_context=True)
def unread_conversations(context, side: str) -> int:
    """How many of the person's conversations hold unread messages: one
    query, only for people on that side (side is "teacher" or "guardian")."""
    request = context.get("request")
    school = getattr(request, "school", None)
    roles = getattr(request, "roles", frozenset())
    if school is None:
        return 0
    if side == "teacher":
        if not roles & role_groups.TEACHERS:
            return 0
        return selectors.unread_conversation_count(request.user, school, as_teacher=True)
    if Role.GUARDIAN not in roles:
        return 0
    return selectors.unread_conversation_count(request.user, school, as_teacher=False)


@register.filter
def office_hours_text(rows) -> str:
    """Office hours in one line, days with the same times run together:
    "星期一–星期五 16:00–17:30; 星期六 09:00–10:00"."""
    by_span = {}
    for row in rows:
        by_span.setdefault((row.start_time, row.end_time), set()).add(row.weekday)
    parts = []
    for (start, end), days in sorted(by_span.items(), key=lambda item: (min(item[1]), item[0])):
        runs, days = [], sorted(days)
        for day in days:
            if runs and day == runs[-1][-1] + 1:
                runs[-1].append(day)
            else:
                runs.append([day])
        labels = []
        for run in runs:
            first, last = Weekday(run[0]).label, Weekday(run[-1]).label
            labels.append(str(first) if len(run) == 1 else f"{first}, {last}" if len(run) == 2 else f"{first}–{last}")
        parts.append(f"{', '.join(labels)} {start:%H:%M}–{end:%H:%M}")
    return "; ".join(parts)
