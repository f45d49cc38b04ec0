"""Views: Class inspections (班级量化考核) and vetoes (一票否决). Ends with `urls`.

- The inspection grid of one school day: the office and students on duty
  tap an item on a class's card; htmx swaps the card.
- A class's inspection history (its head teacher, the office, the principal).
- Vetoes: the office records and voids; the principal reads.
- The published weekly ranking (班级量化考核公示): every member of the school,
  class figures only.
"""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts import roles
from accounts.roles import holds
from classes import periods
from classes.selectors import current_term
from core.feedback import attempt, attempt_on_form, errors_text, form_errors_text, form_refused
from core.idempotency import exactly_once
from core.responses import refuse
from core.templatetags.banwu_tags import signed_points

from ..forms.inspections import (
    HistoryPeriodForm,
    InspectionDayForm,
    InspectionRecordForm,
    InspectionVoidForm,
    RankingWeekForm,
    VetoForm,
    VetoVoidForm,
)
from ..policies.inspections import (
    can_record_on,
    can_void_inspection,
    get_class_for_inspecting,
    get_class_for_inspection_history,
    get_inspection_for_voiding,
    get_veto_for_voiding,
    is_inspection_office,
    require_inspector,
    require_school_member,
    require_veto_office,
    require_veto_reader,
)
from ..selectors import inspections as selectors
from ..services import inspections as services

ZERO = selectors.ZERO


# --- The inspection grid ---------------------------------------------------------------


def _focus_item(items, value):
    """?item=<pk>: show only that item's button on every card (a duty
    student checking one thing across all classes)."""
    if value and str(value).isdecimal():
        return next((i for i in items if i.pk == int(value)), None)
    return None


def _cards(request, *, classes, items, day, focus=None):
    """The grid's cards (selectors.inspection_cards), each entry's void
    button as policies.inspections decides for this person."""
    return selectors.inspection_cards(
        request.school,
        classes=classes,
        items=items,
        day=day,
        focus=focus,
        can_void=lambda event: can_void_inspection(request.user, request.school, event),
    )


def _grid_url(day, focus=None, anchor=None):
    query = {"day": day.isoformat()}
    if focus is not None:
        query["item"] = focus.pk
    return f"{reverse('moral_ed:inspection_grid')}?{urlencode(query)}" + (f"#class-{anchor}" if anchor else "")


@require_GET
def inspection_grid(request):
    """The classes of the school, grouped by grade, each with a card of
    item buttons for one school day (today unless ?day=YYYY-MM-DD, never a
    day to come). The office may open earlier days of the term; a student
    on duty sees today only. Four queries of its own (items, classes, the
    day's entries, the week's totals), whatever the number of classes,
    items and entries."""
    require_inspector(request.user, request.school)
    today = timezone.localdate()
    form = InspectionDayForm(request.GET)
    day = today
    if "day" in request.GET:
        if form.is_valid():
            day = form.cleaned_data["day"]
        else:
            messages.error(request, _("%(error)s Showing today instead.") % {"error": form_errors_text(form)})
    term = current_term(request.school)
    if day != today and not can_record_on(request.user, request.school, day):
        messages.error(request, _("Students on duty record today's inspections only."))
        day = today
    if term is not None and day != today and not term.start_date <= day <= term.end_date:
        messages.error(request, _("The day must lie inside the current term.") + " " + _("Showing today instead."))
        day = today
    is_office = is_inspection_office(request.user, request.school)
    context = {"day": day, "today": today, "term": term, "is_office": is_office}
    if term is not None:
        items = list(selectors.active_inspection_items(request.school))
        focus = _focus_item(items, request.GET.get("item"))
        classes = list(selectors.inspection_classes(request.school, term))
        cards = _cards(request, classes=classes, items=items, day=day, focus=focus)
        grades = []
        for card in cards:
            if not grades or grades[-1]["grade"].pk != card.school_class.grade_id:
                grades.append({"grade": card.school_class.grade, "cards": []})
            grades[-1]["cards"].append(card)
        context.update(
            items=items,
            focus=focus,
            grades=grades,
            in_term=term.start_date <= day <= term.end_date,
            previous_day=day - datetime.timedelta(days=1) if is_office and day > term.start_date else None,
            next_day=day + datetime.timedelta(days=1) if is_office and day < today else None,
            day_form=InspectionDayForm(initial={"day": day}),
        )
    return render(request, "moral_ed/inspections/inspection_grid.html", context)


def _card_response(request, school_class, *, day, focus=None, flash=None, error=None):
    items = list(selectors.active_inspection_items(request.school))
    card = _cards(request, classes=[school_class], items=items, day=day, focus=focus)[0]
    return render(
        request,
        "moral_ed/inspections/_inspection_card.html",
        {
            "card": card,
            "day": day,
            "focus": focus,
            "flash": flash,
            "error": error,
            "in_term": True,
        },
    )


def _posted_focus(request):
    value = request.POST.get("focus")
    if value and value.isdecimal():
        return selectors.active_inspection_items(request.school).filter(pk=int(value)).first()
    return None


@require_POST
@exactly_once
def inspection_record(request, pk):
    """One tap: the item's points for the class on the day shown. htmx gets
    the class's card back (with the error in it when refused, and its forms
    with fresh request keys for the next tap); a plain post goes back to
    the grid."""
    school_class = get_class_for_inspecting(request.user, request.school, pk)
    term = current_term(request.school)
    form = InspectionRecordForm(request.POST, items=selectors.active_inspection_items(request.school), term=term)
    focus = _posted_focus(request)
    day = timezone.localdate()
    error = flash = None
    if not form.is_valid():
        error = form_errors_text(form)
    else:
        day = form.cleaned_data["day"]
        item = form.cleaned_data["item"]
        if not can_record_on(request.user, request.school, day):
            error = _("Students on duty record today's inspections only.")
            day = timezone.localdate()
        elif day > timezone.localdate():
            error = _("Inspections cannot be recorded for a day that has not come yet.")
            day = timezone.localdate()
        else:
            try:
                services.inspection_record(
                    actor=request.user,
                    school=request.school,
                    term=term,
                    school_class=school_class,
                    item=item,
                    occurred_on=day,
                    note=form.cleaned_data["note"],
                )
            except ValidationError as e:
                error = errors_text(e)
            else:
                flash = _("Recorded: %(item)s %(points)s.") % {"item": item.name, "points": signed_points(item.points)}
    if request.htmx:
        return _card_response(request, school_class, day=day, focus=focus, flash=flash, error=error)
    if error:
        messages.error(request, f"{school_class.name}: {error}")
    else:
        messages.success(request, f"{school_class.name}: {flash}")
    return redirect(_grid_url(min(day, timezone.localdate()), focus, school_class.pk))


@require_POST
@exactly_once
def inspection_void(request, pk):
    """Void an entry with a reason (the office; a duty student their own
    entry of today). It stays on the card, struck through."""
    event = get_inspection_for_voiding(request.user, request.school, pk)
    form = InspectionVoidForm(request.POST)
    focus = _posted_focus(request)
    error = flash = None
    if not form.is_valid():
        error = form_errors_text(form)
    else:
        try:
            if services.inspection_void(actor=request.user, event=event, reason=form.cleaned_data["reason"]):
                flash = _("The entry is voided; it stays in the record with your reason.")
            else:
                flash = _("The entry was voided already.")
        except ValidationError as e:
            error = errors_text(e)
    if request.htmx:
        return _card_response(request, event.school_class, day=event.occurred_on, focus=focus, flash=flash, error=error)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, flash)
    return redirect(_grid_url(event.occurred_on, focus, event.school_class_id))


# --- A class's inspection history -----------------------------------------------------------


HISTORY_PAGE_SIZE = 50


@require_GET
def class_inspections(request, pk):
    """A class's inspection entries of a week or a month (?period=week|month,
    ?day= any day in it), with the period's total, the total per item and
    the class's vetoes; read-only, 50 entries a page."""
    school_class = get_class_for_inspection_history(request.user, request.school, pk)
    form = HistoryPeriodForm(request.GET)
    period, day = form.cleaned_or_default()
    if request.GET.get("day") and "day" in form.errors:
        messages.error(request, _("%(error)s Showing the current period instead.") % {"error": form_errors_text(form)})
    today = timezone.localdate()
    day = min(day, today)
    span = periods.month_of(day) if period == "month" else periods.week_of(day)
    total = selectors.class_inspection_totals(request.school, span.start, span.end, class_ids=[school_class.pk]).get(
        school_class.pk, ZERO
    )
    page = Paginator(selectors.class_inspection_history(school_class, span.start, span.end), HISTORY_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    previous_day = span.start - datetime.timedelta(days=1)
    next_day = span.end + datetime.timedelta(days=1)

    def link(**changes):
        query = {"period": period, "day": day.isoformat(), **changes}
        return "?" + urlencode(query)

    return render(
        request,
        "moral_ed/inspections/inspection_class.html",
        {
            "school_class": school_class,
            "period": period,
            "span": span,
            "total": total,
            "by_item": selectors.class_item_totals(school_class, span.start, span.end),
            "vetoes": list(selectors.veto_list(request.school, school_class=school_class, start=span.start, end=span.end)),
            "page": page,
            "entries": list(page.object_list),
            "week_link": link(period="week"),
            "month_link": link(period="month"),
            "previous_link": link(day=previous_day.isoformat()),
            "next_link": link(day=next_day.isoformat()) if next_day <= today else None,
            "page_link": link(),
            "is_office": is_inspection_office(request.user, request.school),
        },
    )


# --- Vetoes -------------------------------------------------------------------------------


VETO_PAGE_SIZE = 30


def _veto_page(request, form=None, status=200):
    is_office = is_inspection_office(request.user, request.school)
    term = current_term(request.school)
    if is_office and form is None:
        form = VetoForm(classes=selectors.inspection_classes(request.school, term), term=term)
    page = Paginator(selectors.veto_list(request.school), VETO_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "moral_ed/inspections/inspection_vetoes.html",
        {
            "page": page,
            "vetoes": list(page.object_list),
            "form": form if is_office else None,
            "is_office": is_office,
            "void_form": VetoVoidForm(),
            "term": term,
        },
        status=status,
    )


@require_GET
def veto_list(request):
    """Every veto of the school, newest first, voided ones struck through;
    the office records and voids here, the principal reads."""
    require_veto_reader(request.user, request.school)
    return _veto_page(request)


@require_POST
@exactly_once
def veto_record(request):
    require_veto_office(request.user, request.school)
    term = current_term(request.school)
    classes = list(selectors.inspection_classes(request.school, term))
    form = VetoForm(request.POST, classes=classes, term=term)
    if form.is_valid():
        school_class = next(c for c in classes if c.pk == form.cleaned_data["school_class"])
        outcome = attempt_on_form(
            request,
            form,
            services.veto_record,
            school=request.school,
            school_class=school_class,
            occurred_on=form.cleaned_data["occurred_on"],
            reason=form.cleaned_data["reason"],
            recorded_by=request.user,
            success=_("Veto recorded against %(cls)s; the head teacher is told.") % {"cls": school_class.name},
        )
        if outcome.ok:
            return redirect("moral_ed:veto_list")
    return _veto_page(request, form=form, status=422)


@require_POST
@exactly_once
def veto_void(request, pk):
    veto = get_veto_for_voiding(request.user, request.school, pk)
    form = VetoVoidForm(request.POST)
    if not form.is_valid():
        form_refused(request, form)
    else:
        outcome = attempt(request, services.veto_void, actor=request.user, veto=veto, reason=form.cleaned_data["reason"])
        if outcome.ok and outcome.value:
            messages.success(request, _("The veto against %(cls)s is withdrawn.") % {"cls": veto.school_class.name})
        elif outcome.ok:
            messages.info(request, _("The veto was withdrawn already."))
    return redirect("moral_ed:veto_list")


# --- The published weekly ranking ----------------------------------------------------------


def _layout(request) -> str:
    """Staff read in the staff layout, guardians and students in the
    portal. A student on duty who is nothing else reads in the staff
    layout too: it links only to their own pages, the portal's to pages
    they cannot open."""
    if request.is_staff_member:
        return "base.html"
    if holds(request.user, request.school, roles.PORTAL):
        return "portal/base.html"
    return "base.html"


@require_GET
def ranking_published(request):
    """The latest published weekly class ranking of the school (or the week
    of ?week=YYYY-MM-DD) and the list of earlier published weeks. Class
    figures only: no student is named, counted or linked here."""
    require_school_member(request.user, request.school)
    weeks = list(selectors.published_weekly_evaluations(request.school)[:30])
    evaluation = weeks[0] if weeks else None
    form = RankingWeekForm(request.GET)
    if request.GET.get("week"):
        # ?week= comes from the list of published weeks: anything but a day
        # of 2000–2099 is a hand-made link, answered with what is wrong.
        if not form.is_valid() or form.cleaned_data["week"] is None:
            return refuse(request, form_errors_text(form) or _("Give the day as YYYY-MM-DD."))
        wanted = form.cleaned_data["week"]
        evaluation = (
            selectors.published_weekly_evaluations(request.school)
            .filter(period_start__lte=wanted, period_end__gte=wanted)
            .first()
        )
        if evaluation is None:
            raise Http404
    grades, revision = selectors.published_weekly_ranking(evaluation) if evaluation is not None else ([], None)
    return render(
        request,
        "moral_ed/inspections/inspection_ranking.html",
        {
            "layout": _layout(request),
            "evaluation": evaluation,
            "revision": revision,
            "grades": grades,
            "weeks": weeks,
        },
    )


urls = [
    path("inspections/", inspection_grid, name="inspection_grid"),
    path("inspections/class/<int:pk>/record/", inspection_record, name="inspection_record"),
    path("inspections/entry/<int:pk>/void/", inspection_void, name="inspection_void"),
    path("inspections/class/<int:pk>/", class_inspections, name="class_inspections"),
    path("inspections/vetoes/", veto_list, name="veto_list"),
    path("inspections/vetoes/new/", veto_record, name="veto_record"),
    path("inspections/vetoes/<int:pk>/void/", veto_void, name="veto_void"),
    path("ranking/", ranking_published, name="ranking_published"),
]
