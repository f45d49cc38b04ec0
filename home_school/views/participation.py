"""The head teacher's monthly recognition list of guardians
(/home-school/participation/). Staff only: guardians never see other
families' points (their own are on /portal/volunteering/)."""

import datetime

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from classes import periods
from core.feedback import attempt
from core.forms import EARLIEST_DAY, LATEST_DAY
from core.idempotency import exactly_once

from ..forms.participation import VoidForm
from ..policies import participation as policies
from ..policies.committee import require_staff
from ..selectors import participation as selectors
from ..services import participation as services


def _month(request) -> periods.Period:
    """?month=2026-11; anything else, or a month outside the years a
    school keeps (core.forms: 2000–2099, so the previous and next months
    exist too): this month."""
    value = str(request.GET.get("month") or request.POST.get("month") or "")[:7]
    try:
        day = datetime.date.fromisoformat(f"{value}-01")
    except ValueError:
        day = None
    if day is None or not EARLIEST_DAY <= day <= LATEST_DAY:
        day = timezone.localdate()
    return periods.month_of(day)


def participation_home(request):
    """Pick a class; a head teacher with one class goes straight to it."""
    require_staff(request.user, request.school)
    classes = list(policies.recognition_classes(request.user, request.school))
    if len(classes) == 1:
        return redirect("home_school:participation_class", pk=classes[0].pk)
    return render(request, "home_school/participation/participation_home.html", {"classes": classes})


def participation_class(request, pk):
    school_class = policies.get_class_for_recognition(request.user, request.school, pk)
    month = _month(request)
    ranking = list(selectors.class_recognition(school_class, start=month.start, end=month.end))
    # Competition ranking: equal totals share a place (1, 2, 2, 4); nobody
    # with no points is placed.
    place, previous = 0, None
    for i, guardian in enumerate(ranking, start=1):
        if guardian.total != previous:
            place, previous = i, guardian.total
        guardian.place = place if guardian.total > 0 else None
    this_month = periods.month_of(timezone.localdate())
    return render(
        request,
        "home_school/participation/participation_class.html",
        {
            "school_class": school_class,
            "month": month,
            "previous": periods.previous_month(month.start).start,
            "next": month.end + datetime.timedelta(days=1) if month.start < this_month.start else None,
            "ranking": ranking,
            "points": services.rule_points(request.school),
            "void_form": VoidForm(),
            # The principal reads the list; collecting and voiding are the head teacher's and the office's.
            "can_act": policies.can_collect(request.user, request.school, school_class),
        },
    )


@require_POST
@exactly_once
def participation_refresh(request, pk):
    """Collect the month's deeds now instead of waiting for the night."""
    school_class = policies.get_class_for_collecting(request.user, request.school, pk)
    month = _month(request)
    count = services.participation_collect(school=request.school, start=month.start, end=month.end)
    messages.success(request, ngettext("%(n)s new entry collected.", "%(n)s new entries collected.", count) % {"n": count})
    return redirect(f"{reverse('home_school:participation_class', args=[school_class.pk])}?month={month.start:%Y-%m}")


@require_POST
@exactly_once
def participation_void(request, pk):
    event = policies.get_event_for_voiding(request.user, request.school, pk)
    form = VoidForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the points are voided."))
    else:
        outcome = attempt(request, services.participation_void, actor=request.user, event=event, reason=form.cleaned_data["reason"])
        if outcome.ok and outcome.value:
            messages.success(request, _("The points are voided; the entry stays with your reason."))
        elif outcome.ok:
            messages.info(request, _("These points were voided already."))
    back = form.cleaned_data.get("back") if form.is_valid() else None
    if back:
        return redirect(f"{reverse('home_school:participation_class', args=[back])}?month={event.occurred_on:%Y-%m}")
    return redirect("home_school:participation_home")


urls = [
    path("home-school/participation/", participation_home, name="participation_home"),
    path("home-school/participation/class/<int:pk>/", participation_class, name="participation_class"),
    path("home-school/participation/class/<int:pk>/refresh/", participation_refresh, name="participation_refresh"),
    path("home-school/participation/events/<int:pk>/void/", participation_void, name="participation_void"),
]
