import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.feedback import errors_text, form_errors_text
from classes import periods
from classes.policies import get_class_for
from classes.selectors import current_term
from core.idempotency import exactly_once
from students.selectors import roster_for_class

from .. import selectors, services
from ..forms import (
    GroupForm,
    GroupPointsForm,
    NominationForm,
    RecordForm,
    RedeemForm,
    RedemptionVoidForm,
    ReviewActionForm,
    RewardForm,
    RewardSwitchForm,
    StarDecisionForm,
    TimelineFilterForm,
    VoidForm,
)
from ..models import Dimension, GroupKind, StarStatus
from ..policies import (
    can_manage_class,
    can_record_points,
    can_void_event,
    get_class_for_managing,
    get_class_for_recording,
    get_event_for_voiding,
    get_group_for_managing,
    get_star_for_deciding,
    get_student_points_for,
    is_office,
)


def class_entry(request, pk):
    """Two-tap entry: tap students (or a group, or everyone), tap an item."""
    school_class = get_class_for_recording(request.user, request.school, pk)
    term = current_term(request.school)
    today = timezone.localdate()
    students = selectors.class_students_with_today(school_class, today)
    items = list(selectors.active_items(request.school))
    by_dimension = {value: {"label": label, "plus": [], "minus": []} for value, label in Dimension.choices}
    for item in items:
        by_dimension[item.dimension]["plus" if item.points > 0 else "minus"].append(item)
    groups = list(selectors.class_groups(school_class))
    for g in groups:
        g.member_ids = " ".join(str(s.pk) for s in students if g.pk in s.group_ids.values())
    can_manage = school_class.as_head if school_class.as_head is not None else can_manage_class(request.user, request.school, school_class)
    return render(
        request,
        "moral_ed/conduct/class_entry.html",
        {
            "school_class": school_class,
            "term": term,
            "today": today,
            "students": students,
            "dimensions": [d for d in by_dimension.values() if d["plus"] or d["minus"]],
            "groups": groups,
            "can_manage": can_manage,
            # The navigation's badge: one COUNT, for the head teacher only.
            "review_count": selectors.review_queue(school_class).count() if can_manage else 0,
        },
    )


@require_POST
@exactly_once
def points_record(request, pk):
    """Record the chosen item for the chosen students. Answers htmx with the
    new day totals and a fresh request key for the next tap (both
    out-of-band) and an undo button; plain posts redirect."""
    school_class = get_class_for_recording(request.user, request.school, pk)
    form = RecordForm(request.POST, item_lookup=lambda pk: selectors.active_item(request.school, pk))
    error = None
    if form.is_valid():
        item = form.cleaned_data["item"]
        try:
            events, batch, refused, today = services.points_record(
                actor=request.user,
                school=request.school,
                term=current_term(request.school),
                school_class=school_class,
                student_ids=form.cleaned_data["students"],
                item=item,
                note=form.cleaned_data["note"],
                release_time=school_class.release_time,
            )
        except ValidationError as e:
            error = errors_text(e)
    else:
        error = form_errors_text(form)
    if not request.htmx:
        if error:
            messages.error(request, error)
        else:
            messages.success(request, ngettext("Recorded “%(item)s” for %(n)s student.", "Recorded “%(item)s” for %(n)s students.", len(events)) % {"item": item.name, "n": len(events)})
        return redirect("moral_ed:class_entry", pk=school_class.pk)
    if error:
        return render(request, "moral_ed/conduct/_entry_result.html", {"error": error}, status=422)
    return render(
        request,
        "moral_ed/conduct/_entry_result.html",
        {
            "school_class": school_class,
            "item": item,
            "count": len(events),
            "batch": batch,
            "refused": refused,
            "today": today,
            "staged": item.points < 0,
        },
    )


@require_POST
@exactly_once
def batch_undo(request, pk):
    school_class = get_class_for_recording(request.user, request.school, pk)
    try:
        batch = uuid.UUID(request.POST.get("batch", ""))
    except ValueError:
        return HttpResponseBadRequest(_("Nothing to undo."))
    voided = services.batch_undo(actor=request.user, school=request.school, batch=batch)
    ids = list(
        school_class.conduct_events.filter(batch=batch).values_list("student_id", flat=True)
    )
    today = selectors.today_totals(ids, timezone.localdate())
    if not request.htmx:
        messages.info(request, _("Undone.") if voided else _("Nothing to undo any more."))
        return redirect("moral_ed:class_entry", pk=school_class.pk)
    return render(
        request,
        "moral_ed/conduct/_entry_undone.html",
        {"voided": voided, "today": {pk: today.get(pk, 0) for pk in ids}},
    )


def student_points(request, pk):
    """A student's conduct: totals for the week, month and term, the trend,
    and the timeline with voided entries struck through."""
    student = get_student_points_for(request.user, request.school, pk)
    term = current_term(request.school)
    if term is None:
        return render(request, "moral_ed/conduct/student_points.html", {"student": student, "term": None})
    today = timezone.localdate()
    filters = TimelineFilterForm(request.GET or None)
    data = filters.cleaned_data if filters.is_valid() else {"voided": True}
    timeline = selectors.student_timeline(
        student,
        term=term,
        dimension=data.get("dimension") or None,
        start=data.get("start"),
        end=data.get("end"),
        include_voided=data.get("voided", True) if request.GET else True,
    )
    page = Paginator(timeline, 50).get_page(request.GET.get("page"))
    events = list(page.object_list)
    for e in events:
        e.can_void = not e.is_voided and can_void_event(request.user, request.school, e)
    totals = selectors.student_totals(student, term=term, today=today)
    current = student.current_enrollments[0] if student.current_enrollments else None
    return render(
        request,
        "moral_ed/conduct/student_points.html",
        {
            "student": student,
            "current": current,
            "term": term,
            "totals": totals,
            "dimensions": Dimension.choices,
            "page": page,
            "events": events,
            "filters": filters,
            "trend": selectors.student_trend(student, term=term),
            "stars": selectors.stars_of_student(student),
            "void_form": VoidForm(),
        },
    )


@require_POST
@exactly_once
def event_void(request, pk):
    event = get_event_for_voiding(request.user, request.school, pk)
    form = VoidForm(request.POST)
    if form.is_valid():
        try:
            if services.points_void(actor=request.user, event=event, reason=form.cleaned_data["reason"]):
                messages.success(request, _("The entry is voided; it stays in the record with your reason."))
            else:
                messages.info(request, _("The entry was voided already."))
        except ValidationError as e:
            messages.error(request, errors_text(e))
    else:
        messages.error(request, _("Say why the entry is voided."))
    return redirect("moral_ed:student_points", pk=event.student_id)


# --- The head teacher's and the office's management pages ------------------------------
#
# Every page fetches its class through a policy (404 out of reach, 403 for
# staff who see the class but may not use the page); guardians and students
# get 403 everywhere. Posts redirect back with a message; a ValidationError
# from a service is shown as its (translated) message.



def _class_students(school_class):
    """The class's current students, by student number: one query."""
    return roster_for_class(school_class).prefetch_related(None).only("pk", "name", "student_number", "school_id")


def review_queue(request, pk):
    """The head teacher's review queue: negative entries still waiting,
    grouped by student, each with the time it reaches guardians if nobody
    acts. Two queries after the policy whatever the number of entries."""
    school_class = get_class_for_managing(request.user, request.school, pk)
    by_student = {}
    for event in selectors.review_queue(school_class):
        entry = by_student.setdefault(event.student_id, {"student": event.student, "events": [], "due": event.release_due_at})
        entry["events"].append(event)
        if event.release_due_at and (entry["due"] is None or event.release_due_at < entry["due"]):
            entry["due"] = event.release_due_at
    return render(
        request,
        "moral_ed/conduct/review_queue.html",
        {"school_class": school_class, "students": list(by_student.values())},
    )


@require_POST
@exactly_once
def review_action(request, pk):
    """Release, merge or void some of one student's waiting entries. Only
    the class's entries still waiting are touched: ids of another class's
    entries, or of entries released or voided meanwhile, are ignored."""
    school_class = get_class_for_managing(request.user, request.school, pk)
    back = redirect("moral_ed:review_queue", pk=school_class.pk)
    form = ReviewActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors_text(form))
        return back
    events = list(selectors.review_queue(school_class).filter(pk__in=form.cleaned_data["events"]))
    if not events:
        messages.info(request, _("None of these entries is waiting for review any more."))
        return back
    ids = [e.pk for e in events]
    action = form.cleaned_data["action"]
    try:
        if action == ReviewActionForm.RELEASE:
            count = services.staged_release(actor=request.user, school=request.school, event_ids=ids)
            messages.success(
                request,
                ngettext("%(n)s entry is now shown to guardians.", "%(n)s entries are now shown to guardians.", count) % {"n": count},
            )
        elif action == ReviewActionForm.MERGE:
            if len({e.student_id for e in events}) > 1:
                raise ValidationError(_("Merge the entries of one student at a time."))
            services.staged_merge(
                actor=request.user, school=request.school, student=events[0].student, event_ids=ids, text=form.cleaned_data["text"]
            )
            messages.success(
                request,
                ngettext(
                    "Guardians see your note instead of %(n)s entry.", "Guardians see your note instead of %(n)s entries.", len(ids)
                )
                % {"n": len(ids)},
            )
        else:
            count = services.staged_void(actor=request.user, school=request.school, event_ids=ids, reason=form.cleaned_data["reason"])
            messages.success(
                request,
                ngettext(
                    "%(n)s entry is voided; it stays in the record with your reason.",
                    "%(n)s entries are voided; they stay in the record with your reason.",
                    count,
                )
                % {"n": count},
            )
    except ValidationError as e:
        messages.error(request, errors_text(e))
    return back


def _group_kind(request):
    kind = request.GET.get("kind")
    return kind if kind in GroupKind.values else GroupKind.STUDY


def class_groups(request, pk):
    """Group ranking of the class for this week and this month, and the
    month's best group. Group figures only, no individual points: anyone
    who records in the class may see it; the head teacher edits groups
    and records group points."""
    school_class = get_class_for_recording(request.user, request.school, pk)
    kind = _group_kind(request)
    today = timezone.localdate()
    week = periods.week_of(today)
    month = periods.month_of(today)
    can_manage = can_manage_class(request.user, request.school, school_class)
    return render(
        request,
        "moral_ed/conduct/class_groups.html",
        {
            "school_class": school_class,
            "kind": kind,
            "kinds": GroupKind.choices,
            "week": week,
            "month": month,
            "week_ranking": selectors.group_ranking(school_class, start=week.start, end=week.end, kind=kind),
            "month_ranking": selectors.group_ranking(school_class, start=month.start, end=month.end, kind=kind),
            "best": selectors.best_group_of_month(school_class, day=today, kind=kind),
            "can_manage": can_manage,
            "items": list(selectors.active_items(request.school)) if can_manage else [],
        },
    )


def _group_form(request, school_class, group=None):
    students = selectors.class_students_with_today(school_class, timezone.localdate())
    names = {g.pk: g.name for g in selectors.class_groups(school_class)}
    for s in students:
        s.group_names = "、".join(names[gid] for gid in s.group_ids.values() if gid in names and (group is None or gid != group.pk))
    if group is None:
        initial = {"kind": _group_kind(request)}
    else:
        initial = {"kind": group.kind, "name": group.name, "students": [s.pk for s in students if group.pk in s.group_ids.values()]}
    form = GroupForm(request.POST or None, students=students, initial=initial, editing=group is not None)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.group_save(
                actor=request.user,
                school_class=school_class,
                kind=form.cleaned_data["kind"],
                name=form.cleaned_data["name"],
                student_ids=form.cleaned_data["students"],
                group=group,
            )
        except (ValidationError, IntegrityError) as e:
            # Taken meanwhile by a twin of this request: exactly_once answers with its answer.
            if isinstance(e, IntegrityError):  # by someone else, at the same moment
                e = ValidationError({"name": _("Another group of this class already has this name.")})
            form.add_error(None, e)
        else:
            messages.success(request, _("Group “%(name)s” saved.") % {"name": saved.name})
            return redirect(f"{reverse('moral_ed:class_groups', args=[school_class.pk])}?kind={saved.kind}")
    return render(request, "moral_ed/conduct/group_form.html", {"school_class": school_class, "group": group, "form": form})


@exactly_once
def group_create(request, pk):
    school_class = get_class_for_managing(request.user, request.school, pk)
    return _group_form(request, school_class)


@exactly_once
def group_edit(request, pk):
    group = get_group_for_managing(request.user, request.school, pk)
    return _group_form(request, group.school_class, group)


@require_POST
@exactly_once
def group_points(request, pk):
    """Points for a group as a whole (the head teacher)."""
    group = get_group_for_managing(request.user, request.school, pk)
    back = redirect(f"{reverse('moral_ed:class_groups', args=[group.school_class_id])}?kind={group.kind}")
    term = current_term(request.school)
    form = GroupPointsForm(request.POST, items=selectors.active_items(request.school))
    if term is None:
        messages.error(request, _("The school has no current term yet."))
    elif not form.is_valid():
        messages.error(request, form_errors_text(form))
    else:
        item = form.cleaned_data["item"]
        try:
            services.group_points_record(actor=request.user, term=term, group=group, item=item, note=form.cleaned_data["note"])
        except ValidationError as e:
            messages.error(request, errors_text(e))
        else:
            messages.success(
                request, _("Recorded “%(item)s” for the group %(group)s.") % {"item": item.name, "group": group.name}
            )
    return back


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


def class_bank(request, pk):
    """The character bank: balances, the reward catalogue, redeeming and
    recent redemptions. Anyone who records in the class may look; the
    head teacher changes it."""
    school_class = get_class_for_recording(request.user, request.school, pk)
    can_manage = can_manage_class(request.user, request.school, school_class)
    balances = selectors.bank_balances(school_class)
    rewards = list(selectors.class_rewards(school_class))
    context = {
        "school_class": school_class,
        "balances": balances,
        "rewards": rewards,
        "redemptions": list(selectors.class_redemptions(school_class)[:30]),
        "can_manage": can_manage,
    }
    if can_manage:
        reward_form = RewardForm()
        reward_form.helper.form_action = reverse("moral_ed:reward_add", args=[school_class.pk])
        context.update(
            reward_form=reward_form,
            redeem_form=RedeemForm(students=balances, rewards=[r for r in rewards if r.is_active]),
        )
    return render(request, "moral_ed/conduct/class_bank.html", context)


def _bank(school_class):
    return redirect("moral_ed:class_bank", pk=school_class.pk)


@require_POST
@exactly_once
def reward_add(request, pk):
    school_class = get_class_for_managing(request.user, request.school, pk)
    form = RewardForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors_text(form))
        return _bank(school_class)
    try:
        reward = services.reward_save(
            actor=request.user, school_class=school_class, name=form.cleaned_data["name"], cost=form.cleaned_data["cost"]
        )
    except ValidationError as e:
        messages.error(request, errors_text(e))
    except IntegrityError:
        # The same name saved meanwhile (a twin of this request is answered
        # with the first answer: the redirect lets exactly_once find it).
        messages.error(request, _("The class offers a reward with this name already."))
    else:
        messages.success(request, _("Reward “%(name)s” added.") % {"name": reward.name})
    return _bank(school_class)


@require_POST
@exactly_once
def reward_switch(request, pk):
    """Switch a reward of the class off (or on again)."""
    school_class = get_class_for_managing(request.user, request.school, pk)
    form = RewardSwitchForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a reward from the list."))
        return _bank(school_class)
    reward = get_object_or_404(selectors.class_rewards(school_class), pk=form.cleaned_data["reward"])
    try:
        reward = services.reward_save(
            actor=request.user, school_class=school_class, name=reward.name, cost=reward.cost, reward=reward, is_active=not reward.is_active
        )
    except ValidationError as e:
        messages.error(request, errors_text(e))
    else:
        if reward.is_active:
            messages.success(request, _("“%(name)s” is offered again.") % {"name": reward.name})
        else:
            messages.success(request, _("“%(name)s” is no longer offered.") % {"name": reward.name})
    return _bank(school_class)


@require_POST
@exactly_once
def bank_redeem(request, pk):
    """Spend a student's balance on a reward; a balance too low is refused
    with the service's message."""
    school_class = get_class_for_managing(request.user, request.school, pk)
    students = list(_class_students(school_class))
    rewards = list(selectors.class_rewards(school_class, active_only=True))
    form = RedeemForm(request.POST, students=students, rewards=rewards)
    if not form.is_valid():
        messages.error(request, form_errors_text(form))
        return _bank(school_class)
    student = next(s for s in students if s.pk == form.cleaned_data["student"])
    reward = next(r for r in rewards if r.pk == form.cleaned_data["reward"])
    try:
        services.reward_redeem(actor=request.user, student=student, reward=reward)
    except ValidationError as e:
        messages.error(request, errors_text(e))
    else:
        messages.success(request, _("%(name)s redeemed “%(reward)s”.") % {"name": student.name, "reward": reward.name})
    return _bank(school_class)


@require_POST
@exactly_once
def redemption_void(request, pk):
    school_class = get_class_for_managing(request.user, request.school, pk)
    form = RedemptionVoidForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors_text(form))
        return _bank(school_class)
    redemption = get_object_or_404(selectors.class_redemptions(school_class), pk=form.cleaned_data["redemption"])
    try:
        if services.redemption_void(actor=request.user, redemption=redemption, reason=form.cleaned_data["reason"]):
            messages.success(request, _("The redemption is voided and the points are back in the bank."))
        else:
            messages.info(request, _("The redemption was voided already."))
    except ValidationError as e:
        messages.error(request, errors_text(e))
    return _bank(school_class)


@exactly_once
def class_stars(request, pk):
    """The head teacher's stars: each active star's current period with
    candidates suggested from the ledger, the nomination form, and this
    term's awards of the class. Candidates cost one query per distinct
    (period, dimension) pair, at most 3 × 6, whatever the number of stars
    or students."""
    school_class = get_class_for_managing(request.user, request.school, pk)
    term = current_term(request.school)
    if term is None:
        return render(request, "moral_ed/conduct/class_stars.html", {"school_class": school_class, "term": None})
    today = timezone.localdate()
    students = list(_class_students(school_class))
    categories = selectors.active_star_categories(request.school)
    initial = {k: request.GET[k] for k in ("category", "student") if request.GET.get(k, "").isdecimal()}
    form = NominationForm(request.POST or None, categories=categories, students=students, initial=initial)
    if request.method == "POST" and form.is_valid():
        student = next(s for s in students if s.pk == form.cleaned_data["student"])
        try:
            award = services.star_nominate(
                actor=request.user,
                category=form.cleaned_data["category"],
                student=student,
                school_class=school_class,
                reason=form.cleaned_data["reason"],
                term=term,
            )
        except (ValidationError, IntegrityError) as e:
            # Named meanwhile by a twin of this request: exactly_once answers with its answer.
            if isinstance(e, IntegrityError):  # by someone else, at the same moment
                e = ValidationError(_("%(name)s is already named for this star in this period.") % {"name": student.name})
            form.add_error(None, e)
        else:
            if award.status == StarStatus.CONFIRMED:
                messages.success(request, _("%(name)s is awarded “%(star)s”.") % {"name": student.name, "star": award.category.name})
            else:
                messages.success(
                    request,
                    _("%(name)s is nominated for “%(star)s”; the moral-education office decides.")
                    % {"name": student.name, "star": award.category.name},
                )
            return redirect("moral_ed:class_stars", pk=school_class.pk)
    awards = list(selectors.class_star_awards(school_class, since=term.start_date))
    named = {(a.category_id, a.student_id, a.period_start) for a in awards}
    stars, suggestions = [], {}
    for category in categories:
        category.current = services.star_period(category, today, term)
        key = (category.current.start, category.current.end, category.dimension)
        if key not in suggestions:
            suggestions[key] = list(
                selectors.star_candidates(school_class, category, start=category.current.start, end=category.current.end)
            )
        category.candidates = [
            {"student": s, "named": (category.pk, s.pk, category.current.start) in named} for s in suggestions[key]
        ]
        stars.append(category)
    return render(
        request,
        "moral_ed/conduct/class_stars.html",
        {"school_class": school_class, "term": term, "stars": stars, "form": form, "awards": awards},
    )


def star_queue(request):
    """The office's queue of school-star nominations waiting for a decision."""
    if not is_office(request.user, request.school):
        raise PermissionDenied
    return render(
        request,
        "moral_ed/conduct/star_queue.html",
        {"nominations": list(selectors.pending_school_stars(request.school))},
    )


@require_POST
@exactly_once
def star_decide(request, pk):
    award = get_star_for_deciding(request.user, request.school, pk)
    form = StarDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors_text(form))
        return redirect("moral_ed:star_queue")
    was_pending = award.status == StarStatus.NOMINATED
    award = services.star_decide(actor=request.user, award=award, confirm=form.cleaned_data["decision"] == "confirm")
    names = {"name": award.student.name, "star": award.category.name}
    if not was_pending:
        messages.info(request, _("This nomination was decided already."))
    elif award.status == StarStatus.CONFIRMED:
        messages.success(request, _("%(name)s is awarded “%(star)s”.") % names)
    else:
        messages.info(request, _("%(name)s is not awarded “%(star)s” this time.") % names)
    return redirect("moral_ed:star_queue")


urls = [
    path("class/<int:pk>/", class_entry, name="class_entry"),
    path("class/<int:pk>/record/", points_record, name="points_record"),
    path("class/<int:pk>/undo/", batch_undo, name="batch_undo"),
    path("student/<int:pk>/", student_points, name="student_points"),
    path("event/<int:pk>/void/", event_void, name="event_void"),
]

# The head teacher's and the office's management pages.
urls += [
    path("class/<int:pk>/review/", review_queue, name="review_queue"),
    path("class/<int:pk>/review/act/", review_action, name="review_action"),
    path("class/<int:pk>/groups/", class_groups, name="class_groups"),
    path("class/<int:pk>/groups/new/", group_create, name="group_create"),
    path("group/<int:pk>/edit/", group_edit, name="group_edit"),
    path("group/<int:pk>/points/", group_points, name="group_points"),
    path("class/<int:pk>/ranking/", class_ranking, name="class_ranking"),
    path("class/<int:pk>/bank/", class_bank, name="class_bank"),
    path("class/<int:pk>/bank/rewards/new/", reward_add, name="reward_add"),
    path("class/<int:pk>/bank/rewards/switch/", reward_switch, name="reward_switch"),
    path("class/<int:pk>/bank/redeem/", bank_redeem, name="bank_redeem"),
    path("class/<int:pk>/bank/void/", redemption_void, name="redemption_void"),
    path("class/<int:pk>/stars/", class_stars, name="class_stars"),
    path("stars/pending/", star_queue, name="star_queue"),
    path("stars/<int:pk>/decide/", star_decide, name="star_decide"),
]
