"""Views: Term awards, social practice and community service credits, exports. Ends with `urls`.

Every page fetches its objects through moral_ed.policies.awards (404 out
of reach, 403 for people who may see but not act); posts call one
service and redirect back with a message; a ValidationError from a
service is shown as its (translated) message.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from accounts import roles
from accounts.roles import holds
from classes.models import Grade, Term
from classes.policies import require_staff
from classes.selectors import class_list_for, current_term, head_teacher_class_ids
from core.exports import xlsx_response
from core.feedback import attempt, form_errors_text, form_refused
from core.idempotency import exactly_once

from ..forms.awards import AwardFilterForm, DecisionForm, HeadTeacherProposalForm, PracticeForm, PracticeVoidForm, ProposalForm
from ..models import STUDENT_AWARDS, AwardKind, AwardStatus, Dimension, PracticeEvidence
from ..policies import awards as policies
from ..policies.conduct import is_office
from ..selectors import awards as selectors
from ..services import awards as services

PAGE_SIZE = 25


def _terms(school):
    return list(Term.objects.filter(school=school).select_related("school_year").order_by("-start_date"))


def _current_pk(request):
    term = current_term(request.school)
    return term.pk if term else None


def _safe_next(request, default):
    target = request.POST.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return default


def _querystring(request):
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


# --- Entry points for the menus ----------------------------------------------------------


def award_home(request):
    """The menu's "Term awards": the office's queue, the principal's list,
    a head teacher's class page (or the list of their classes)."""
    require_staff(request.user, request.school)
    if is_office(request.user, request.school):
        return redirect("moral_ed:award_queue")
    if policies.is_office_or_principal(request.user, request.school):
        return redirect("moral_ed:award_list")
    classes = _head_classes(request)
    if len(classes) == 1:
        return redirect("moral_ed:award_class", pk=classes[0].pk)
    return render(request, "moral_ed/awards/award_home.html", {"classes": classes})


def _head_classes(request):
    term = current_term(request.school)
    if term is None or not holds(request.user, request.school, roles.HEAD_TEACHERS):
        raise PermissionDenied
    return list(class_list_for(request.user, request.school).filter(pk__in=head_teacher_class_ids(request.user, request.school, term)))


# --- The class's award page -----------------------------------------------------------------


def _award_class_page(request, school_class, form=None, status=200):
    term = current_term(request.school)
    context = {"school_class": school_class, "term": term, "dimensions": Dimension.choices}
    if term is None:
        return render(request, "moral_ed/awards/award_class.html", context)
    candidates = selectors.award_candidates(school_class, term=term)
    proposals = list(selectors.class_awards(school_class, term=term))
    for s in candidates:
        s.proposed = [a for a in proposals if a.student_id == s.pk]
    can_propose = policies.can_propose_for_class(request.user, request.school, school_class)
    if can_propose and form is None:
        initial = {k: request.GET[k] for k in ("kind", "student") if request.GET.get(k)}
        form = ProposalForm(students=candidates, initial=initial)
    if form is not None:
        form.helper.form_action = reverse("moral_ed:award_propose", args=[school_class.pk])
    standing = selectors.class_standing(school_class, term=term)
    context.update(
        candidates=candidates,
        standing=standing,
        proposals=proposals,
        can_propose=can_propose,
        form=form if can_propose else None,
    )
    return render(request, "moral_ed/awards/award_class.html", context, status=status)


def award_class(request, pk):
    """Candidates of the class by term conduct total with their stars, the
    class's inspection standing and vetoes, its proposals, and (for its
    head teacher) the proposal form."""
    school_class = policies.get_class_for_awards(request.user, request.school, pk)
    return _award_class_page(request, school_class)


@require_POST
@exactly_once
def award_propose(request, pk):
    school_class = policies.get_class_for_proposing(request.user, request.school, pk)
    term = current_term(request.school)
    if term is None:
        messages.error(request, _("The school has no current term yet."))
        return redirect("moral_ed:award_class", pk=school_class.pk)
    students = list(selectors.student_term_totals(school_class, term=term).order_by("student_number"))
    form = ProposalForm(request.POST, students=students)
    if form.is_valid():
        student = next((s for s in students if s.pk == form.cleaned_data["student"]), None)
        kind = form.cleaned_data["kind"]
        try:
            award = services.award_propose(
                actor=request.user,
                term=term,
                kind=kind,
                school_class=school_class,
                student=student if kind in STUDENT_AWARDS else None,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as e:
            # A twin of this request proposed it meanwhile: exactly_once answers with its answer.
            form.add_error(None, e)
        else:
            messages.success(
                request,
                _("Proposed “%(award)s”: %(subject)s. The moral-education office decides.")
                % {"award": award.get_kind_display(), "subject": student.name if student and kind in STUDENT_AWARDS else school_class.name},
            )
            return redirect("moral_ed:award_class", pk=school_class.pk)
    messages.error(request, form_errors_text(form))
    return _award_class_page(request, school_class, form=form, status=422)


@require_POST
@exactly_once
def award_withdraw(request, pk):
    award = policies.get_award_for_withdrawing(request.user, request.school, pk)
    if award.kind == AwardKind.OUTSTANDING_HEAD_TEACHER:
        back = f"{reverse('moral_ed:award_queue')}?kind={award.kind}"
    else:
        back = reverse("moral_ed:award_class", args=[award.school_class_id])
    attempt(request, services.award_withdraw, actor=request.user, award=award, success=_("The proposal is withdrawn."))
    return redirect(back)


# --- The office's queue ---------------------------------------------------------------------


def award_queue(request):
    """A term's proposals by kind, filtered by grade and status, waiting
    ones first, paginated; each with its basis, the class's live veto
    state and the approve/decline form. The office proposes outstanding
    head teachers here too."""
    policies.require_office(request.user, request.school)
    terms = _terms(request.school)
    grades = list(Grade.objects.filter(school=request.school).order_by("level"))
    filters = AwardFilterForm(request.GET or None, terms=terms, grades=grades, initial={"term": _current_pk(request)})
    term = filters.chosen_term(current_term(request.school))
    context = {"filters": filters, "term": term, "kinds": AwardKind.choices}
    if term is None:
        return render(request, "moral_ed/awards/award_queue.html", context)
    kind, grade, status = filters.value("kind"), filters.value("grade"), filters.value("status")
    page = Paginator(selectors.award_queue(request.school, term=term, kind=kind, grade_id=grade, status=status), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context.update(
        page=page,
        awards=selectors.award_queue_rows(page.object_list, term=term),
        querystring=_querystring(request),
        kind=kind,
        counts=selectors.award_kind_counts(request.school, term=term, status=AwardStatus.PROPOSED),
        head_form=_head_form(request, term) if term.pk == getattr(current_term(request.school), "pk", None) else None,
    )
    return render(request, "moral_ed/awards/award_queue.html", context)


def _head_form(request, term, data=None):
    classes = list(selectors.classes_with_head_teachers(request.school, term=term))
    form = HeadTeacherProposalForm(data, classes=classes)
    form.helper.form_action = reverse("moral_ed:award_propose_head")
    form.classes = {c.pk: c for c in classes}
    return form


@require_POST
@exactly_once
def award_propose_head(request):
    policies.require_office(request.user, request.school)
    term = current_term(request.school)
    back = f"{reverse('moral_ed:award_queue')}?kind={AwardKind.OUTSTANDING_HEAD_TEACHER}"
    if term is None:
        messages.error(request, _("The school has no current term yet."))
        return redirect(back)
    form = _head_form(request, term, request.POST)
    if not form.is_valid():
        form_refused(request, form)
        return redirect(back)
    attempt(
        request,
        services.award_propose,
        actor=request.user,
        term=term,
        kind=AwardKind.OUTSTANDING_HEAD_TEACHER,
        school_class=form.classes[form.cleaned_data["school_class"]],
        reason=form.cleaned_data["reason"],
        success=lambda award: _("Proposed %(name)s as outstanding head teacher.") % {"name": award.teacher.get_full_name()},
    )
    return redirect(back)


@require_POST
@exactly_once
def award_decide(request, pk):
    award = policies.get_award_for_deciding(request.user, request.school, pk)
    back = _safe_next(request, f"{reverse('moral_ed:award_queue')}?term={award.term_id}&kind={award.kind}")
    form = DecisionForm(request.POST)
    if not form.is_valid():
        form_refused(request, form)
        return redirect(back)
    approve = form.cleaned_data["decision"] == DecisionForm.APPROVE
    outcome = attempt(request, services.award_decide, actor=request.user, award=award, approve=approve, note=form.cleaned_data["note"])
    if outcome.ok:
        award = outcome.value
        names = {"award": award.get_kind_display(), "subject": services.award_subject(award)}
        if approve:
            messages.success(request, _("Approved: “%(award)s” for %(subject)s.") % names)
        else:
            messages.info(request, _("Declined: “%(award)s” for %(subject)s.") % names)
    return redirect(back)


# --- The award list and the exports ------------------------------------------------------------


def award_list(request):
    """The approved awards of a term: every class for the office and the
    principal, their classes for head teachers."""
    require_staff(request.user, request.school)
    terms = _terms(request.school)
    filters = AwardFilterForm(request.GET or None, terms=terms, initial={"term": _current_pk(request)})
    term = filters.chosen_term(current_term(request.school))
    context = {"filters": filters, "term": term}
    if term is None:
        policies.award_list_class_ids(request.user, request.school, None)
        return render(request, "moral_ed/awards/award_list.html", context)
    class_ids = policies.award_list_class_ids(request.user, request.school, term)
    qs = selectors.award_list_for(request.school, term=term, class_ids=class_ids, status=AwardStatus.APPROVED)
    if filters.value("kind"):
        qs = qs.filter(kind=filters.value("kind"))
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    school_wide = class_ids is None
    context.update(
        page=page,
        awards=list(page.object_list),
        querystring=_querystring(request),
        school_wide=school_wide,
        revisions=list(selectors.published_revisions(request.school)) if school_wide else [],
    )
    return render(request, "moral_ed/awards/award_list.html", context)


def award_export(request):
    """The award list of a term, every status (office, principal)."""
    policies.require_office_or_principal(request.user, request.school)
    filters = AwardFilterForm(request.GET or None, terms=_terms(request.school))
    term = filters.chosen_term(current_term(request.school))
    if term is None:
        messages.error(request, _("The school has no current term yet."))
        return redirect("moral_ed:award_list")
    rows = [
        [
            a.get_kind_display(),
            a.school_class.name,
            a.student.name if a.student_id else (a.teacher.get_full_name() if a.teacher_id else ""),
            a.student.student_number if a.student_id else "",
            a.reason,
            a.get_status_display(),
            a.decision_note,
            a.proposed_by.get_full_name(),
        ]
        for a in selectors.award_list_for(request.school, term=term)
    ]
    header = [pgettext("term award", "Award"), _("Class"), _("Student / teacher"), _("Student number"), _("Reason"), _("Status"), _("Decision note"), _("Proposed by")]
    return xlsx_response(f"awards-{term.school_year.name}-{term.number}.xlsx", _("Term awards"), header, rows)


def award_export_rankings(request, pk):
    """A published evaluation revision's class ranking (office, principal)."""
    revision = policies.get_revision_for_export(request.user, request.school, pk)
    rows = [
        [
            str(r.grade),
            r.school_class.name,
            r.score,
            r.rank_in_grade,
            r.rank_in_school,
            _("yes") if r.vetoed else _("no"),
            r.veto_reason,
            _("yes") if r.civilized else _("no"),
        ]
        for r in selectors.revision_class_results(revision)
    ]
    header = [_("Grade"), _("Class"), _("Score"), _("Rank in grade"), _("Rank in school"), _("Vetoed"), _("Veto reason"), _("Civilized class")]
    evaluation = revision.evaluation
    name = f"class-ranking-{evaluation.kind}-{evaluation.period_start:%Y-%m-%d}-r{revision.number}.xlsx"
    return xlsx_response(name, _("Class ranking"), header, rows)


def award_export_class_totals(request, pk):
    """Student term totals of a class (its head teacher, office, principal)."""
    school_class = policies.get_class_for_awards(request.user, request.school, pk)
    filters = AwardFilterForm(request.GET or None, terms=_terms(request.school))
    term = filters.chosen_term(current_term(request.school))
    if term is None:
        messages.error(request, _("The school has no current term yet."))
        return redirect("moral_ed:award_class", pk=school_class.pk)
    students = selectors.student_term_totals(school_class, term=term).order_by("student_number")
    rows = [
        [s.student_number, s.name, *[getattr(s, value) for value in Dimension.values], s.total, s.stars] for s in students
    ]
    header = [_("Student number"), _("Name"), *[str(label) for _value, label in Dimension.choices], _("Total"), pgettext("count", "Stars")]
    return xlsx_response(f"term-totals-{school_class.name}-{term.school_year.name}-{term.number}.xlsx", school_class.name, header, rows)


# --- Practice records ----------------------------------------------------------------------------


def practice_home(request):
    """The menu's "Practice credits": every class of the school year with
    how many students lack each kind (office, principal), or a head
    teacher's class page (or their classes)."""
    require_staff(request.user, request.school)
    term = current_term(request.school)
    if term is None:
        return render(request, "moral_ed/awards/practice_home.html", {"term": None})
    if policies.reads_all_practice(request.user, request.school):
        classes = selectors.practice_school_overview(request.school, school_year=term.school_year)
    else:
        mine = {c.pk for c in _head_classes(request)}
        if len(mine) == 1:
            return redirect("moral_ed:practice_class", pk=mine.pop())
        classes = [c for c in selectors.practice_school_overview(request.school, school_year=term.school_year) if c.pk in mine]
    return render(request, "moral_ed/awards/practice_home.html", {"term": term, "classes": classes})


def practice_class(request, pk):
    """The class's students with their records of the school year, credits
    and the kinds they still miss."""
    school_class = policies.get_class_for_practice(request.user, request.school, pk)
    missing_only = request.GET.get("missing") == "1"
    students = selectors.practice_overview(school_class, school_year=school_class.school_year, missing_only=missing_only)
    return render(
        request,
        "moral_ed/awards/practice_class.html",
        {
            "school_class": school_class,
            "school_year": school_class.school_year,
            "students": students,
            "missing_only": missing_only,
            "missing_social": sum(1 for s in students if "social_practice" not in s.kinds),
            "missing_community": sum(1 for s in students if "community_service" not in s.kinds),
            "can_record": policies.can_record_practice(request.user, request.school, school_class),
            "void_form": PracticeVoidForm(),
        },
    )


@exactly_once
def practice_add(request, pk):
    """Record a social practice or community service for a student, with evidence."""
    student = policies.get_student_for_practice(request.user, request.school, pk)
    term = current_term(request.school)
    form = PracticeForm(request.POST or None, request.FILES or None, school_year=term.school_year if term else None)
    if request.method == "POST" and form.is_valid():
        if term is None:
            form.add_error(None, _("The school has no current term yet."))
        else:
            try:
                services.practice_record(
                    actor=request.user,
                    school=request.school,
                    school_year=term.school_year,
                    student=student,
                    kind=form.cleaned_data["kind"],
                    title=form.cleaned_data["title"],
                    occurred_on=form.cleaned_data["occurred_on"],
                    hours=form.cleaned_data["hours"],
                    description=form.cleaned_data["description"],
                    files=form.files_for_service(),
                )
            except ValidationError as e:
                form.add_error(None, e)
            else:
                messages.success(request, _("Practice record saved for %(name)s.") % {"name": student.name})
                if student.current_class is not None:
                    return redirect("moral_ed:practice_class", pk=student.current_class.pk)
                return redirect("moral_ed:practice_home")
    status = 422 if request.method == "POST" else 200
    return render(request, "moral_ed/awards/practice_form.html", {"student": student, "form": form, "term": term}, status=status)


@require_POST
@exactly_once
def practice_void(request, pk):
    record = policies.get_record_for_voiding(request.user, request.school, pk)
    back = _safe_next(request, reverse("moral_ed:practice_home"))
    form = PracticeVoidForm(request.POST)
    if not form.is_valid():
        form_refused(request, form)
        return redirect(back)
    outcome = attempt(request, services.practice_void, actor=request.user, record=record, reason=form.cleaned_data["reason"])
    if outcome.ok and outcome.value:
        messages.success(request, _("The record is voided; it stays with your reason and no longer counts for credits."))
    elif outcome.ok:
        messages.info(request, _("The record was voided already."))
    return redirect(back)


def practice_evidence(request, pk):
    """An evidence file's bytes, always as a download, to those who may
    read the record (policies.awards.get_evidence_for)."""
    evidence = policies.get_evidence_for(request.user, request.school, pk)
    data = get_object_or_404(PracticeEvidence.objects.only("data"), pk=evidence.pk).data
    response = HttpResponse(bytes(data), content_type=evidence.content_type)
    response["Content-Disposition"] = content_disposition_header(True, evidence.file_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def practice_portal(request, pk):
    """A guardian's (or the student's own) read-only view of the child's
    practice records and credits, by school year."""
    child = policies.get_child_for_practice(request.user, request.school, pk)
    term = current_term(request.school)
    years = selectors.practice_of_student(child, current_year=term.school_year if term else None)
    return render(request, "moral_ed/awards/practice_portal.html", {"child": child, "years": years})


urls = [
    path("awards/", award_home, name="award_home"),
    path("awards/queue/", award_queue, name="award_queue"),
    path("awards/approved/", award_list, name="award_list"),
    path("awards/export/", award_export, name="award_export"),
    path("awards/propose-head-teacher/", award_propose_head, name="award_propose_head"),
    path("awards/class/<int:pk>/", award_class, name="award_class"),
    path("awards/class/<int:pk>/propose/", award_propose, name="award_propose"),
    path("awards/class/<int:pk>/totals.xlsx", award_export_class_totals, name="award_export_class_totals"),
    path("awards/<int:pk>/decide/", award_decide, name="award_decide"),
    path("awards/<int:pk>/withdraw/", award_withdraw, name="award_withdraw"),
    path("awards/ranking/<int:pk>.xlsx", award_export_rankings, name="award_export_rankings"),
    path("practice/", practice_home, name="practice_home"),
    path("practice/class/<int:pk>/", practice_class, name="practice_class"),
    path("practice/student/<int:pk>/new/", practice_add, name="practice_add"),
    path("practice/record/<int:pk>/void/", practice_void, name="practice_void"),
    path("practice/evidence/<int:pk>/", practice_evidence, name="practice_evidence"),
    path("portal/child/<int:pk>/practice/", practice_portal, name="practice_portal"),
]
