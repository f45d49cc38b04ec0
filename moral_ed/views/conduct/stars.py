"""Stars: the head teacher's nominations (with candidates from the
ledger) and the office's decisions on school stars."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from classes.selectors import current_term
from core.feedback import form_refused
from core.idempotency import exactly_once

from ...forms.conduct import NominationForm, StarDecisionForm
from ...models import StarStatus
from ...policies.conduct import get_class_for_managing, get_star_for_deciding, is_office
from ...selectors import conduct as selectors
from ...services import conduct as services


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
    students = list(selectors.class_roster(school_class))
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
                messages.success(
                    request, _("%(name)s is awarded “%(star)s”.") % {"name": student.name, "star": award.category.name}
                )
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
        form_refused(request, form)
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
    path("class/<int:pk>/stars/", class_stars, name="class_stars"),
    path("stars/pending/", star_queue, name="star_queue"),
    path("stars/<int:pk>/decide/", star_decide, name="star_decide"),
]
