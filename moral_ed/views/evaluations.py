"""The evaluation archive (考评结果存档): the list of evaluated weeks and
months, a revision's results (the office's preview of a draft, with the
Publish button), the month's student totals, and the office's "compute a
month now" form. Who sees what: moral_ed.policies.evaluations. Ends with
`urls`."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.feedback import attempt, form_errors_text, form_refused
from core.idempotency import exactly_once

from ..forms.evaluations import EvaluationFilterForm, EvaluationPublishForm, EvaluationRunForm
from ..models import Dimension, EvaluationKind, RevisionStatus
from ..policies.evaluations import (
    can_run_evaluations,
    can_see_all_evaluations,
    get_revision_for,
    get_revision_for_publishing,
    require_evaluation_reader,
    require_evaluation_runner,
    visible_class_ids,
)
from ..selectors import evaluations as selectors
from ..services import evaluations as services

LIST_PAGE = 20
STUDENT_PAGE = 50
TOP_STUDENTS = 3


def evaluation_list(request):
    """Evaluated weeks and months, newest first, with their latest
    revision's status. Head teachers see published results only. Three
    queries after the policy, whatever the number of evaluations."""
    require_evaluation_reader(request.user, request.school)
    sees_all = can_see_all_evaluations(request.user, request.school)
    filters = EvaluationFilterForm(request.GET or None)
    kind = filters.cleaned_data["kind"] if filters.is_valid() else ""
    evaluations = selectors.evaluation_list_for(request.school, published_only=not sees_all, kind=kind or None)
    page = Paginator(evaluations, LIST_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "moral_ed/evaluations/evaluation_list.html",
        {
            "page": page,
            "filters": filters,
            "kind": kind,
            "sees_all": sees_all,
            "can_run": can_run_evaluations(request.user, request.school),
        },
    )


@exactly_once
def evaluation_run(request):
    """The office computes a month now (the same service as the monthly
    job): a new draft, a draft recomputed, or nothing when nothing changed."""
    require_evaluation_runner(request.user, request.school)
    form = EvaluationRunForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            revision = services.evaluation_run(
                school=request.school, kind=EvaluationKind.MONTHLY, period_start=form.cleaned_data["month"], actor=request.user
            )
        except ValidationError as e:
            form.add_error(None, e)
        else:
            number = {"n": revision.number}
            if revision.outcome == "unchanged":
                messages.info(request, _("Nothing changed since revision %(n)s.") % number)
            elif revision.outcome == "replaced":
                messages.success(request, _("The preview (revision %(n)s) is computed again.") % number)
            else:
                messages.success(request, _("Revision %(n)s is computed; check it, then publish.") % number)
            return redirect("moral_ed:evaluation_revision", pk=revision.pk)
    elif request.method == "POST":
        messages.error(request, form_errors_text(form))
    return render(request, "moral_ed/evaluations/evaluation_run.html", {"form": form})


def evaluation_revision(request, pk):
    """One revision's results. The office, the principal and the school
    administrator see everything (the office previews a draft and publishes
    it here); a head teacher sees their own classes' rows, their students'
    best totals and their own appraisal. A fixed number of queries,
    whatever the number of classes, students, groups or rooms."""
    revision = get_revision_for(request.user, request.school, pk)
    evaluation = revision.evaluation
    class_ids = visible_class_ids(request.user, request.school, revision)
    sees_all = class_ids is None
    results = list(selectors.class_results(revision, class_ids=class_ids))
    ranking = request.GET.get("ranking")
    ranking = ranking if ranking in ("grade", "school") else "grade"
    monthly = evaluation.kind == EvaluationKind.MONTHLY
    context = {
        "revision": revision,
        "evaluation": evaluation,
        "period": services.period_label(evaluation),
        "monthly": monthly,
        "sees_all": sees_all,
        "ranking": ranking,
        "results": results,
        "grades": selectors.results_by_grade(results),
        "civilized": [r for r in results if r.civilized],
        "vetoed": [r for r in results if r.vetoed],
        "revisions": list(selectors.revisions_of(evaluation, published_only=not sees_all)),
        "is_draft": revision.status == RevisionStatus.DRAFT,
        "can_publish": revision.status == RevisionStatus.DRAFT and can_run_evaluations(request.user, request.school),
        "dimensions": Dimension.choices,
    }
    if context["can_publish"]:
        context["publish_form"] = EvaluationPublishForm(initial={"digest": revision.digest})
    if monthly:
        context.update(
            best_groups=list(selectors.best_groups(revision, class_ids=class_ids)),
            top_students=list(selectors.top_students(revision, per_class=TOP_STUDENTS, class_ids=class_ids)),
            appraisals=list(selectors.appraisals(revision, teacher=None if sees_all else request.user)),
            dorms=list(selectors.dorm_results(revision)) if sees_all else [],
        )
    return render(request, "moral_ed/evaluations/evaluation_revision.html", context)


@require_POST
@exactly_once
def evaluation_publish(request, pk):
    revision = get_revision_for_publishing(request.user, request.school, pk)
    back = redirect("moral_ed:evaluation_revision", pk=revision.pk)
    form = EvaluationPublishForm(request.POST)
    if not form.is_valid():
        form_refused(request, form)
        return back
    if revision.status != RevisionStatus.DRAFT:
        messages.info(request, _("This revision was published already."))
        return back
    attempt(
        request,
        services.evaluation_publish,
        revision=revision,
        published_by=request.user,
        digest=form.cleaned_data["digest"],
        success=lambda published: _("Revision %(n)s is published.") % {"n": revision.number},
    )
    return back


def evaluation_students(request, pk):
    """A month's conduct totals per student and dimension, class by class,
    50 to a page (optionally one class). Head teachers: their own classes."""
    revision = get_revision_for(request.user, request.school, pk)
    if revision.evaluation.kind != EvaluationKind.MONTHLY:
        raise Http404
    class_ids = visible_class_ids(request.user, request.school, revision)
    classes = [r.school_class for r in selectors.class_results(revision, class_ids=class_ids).order_by("grade__level", "school_class__number")]
    chosen = request.GET.get("class", "")
    chosen_id = int(chosen) if chosen.isdecimal() and int(chosen) in {c.pk for c in classes} else None
    rows = selectors.student_results(revision, class_ids=class_ids, school_class_id=chosen_id)
    page = Paginator(rows, STUDENT_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "moral_ed/evaluations/evaluation_students.html",
        {
            "revision": revision,
            "evaluation": revision.evaluation,
            "period": services.period_label(revision.evaluation),
            "classes": classes,
            "chosen_id": chosen_id,
            "page": page,
            "dimensions": Dimension.choices,
        },
    )


urls = [
    path("evaluations/", evaluation_list, name="evaluation_list"),
    path("evaluations/run/", evaluation_run, name="evaluation_run"),
    path("evaluations/revision/<int:pk>/", evaluation_revision, name="evaluation_revision"),
    path("evaluations/revision/<int:pk>/publish/", evaluation_publish, name="evaluation_publish"),
    path("evaluations/revision/<int:pk>/students/", evaluation_students, name="evaluation_students"),
]
