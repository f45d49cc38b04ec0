"""Volunteer activities: staff pages under /home-school/volunteering/,
the guardian's under /portal/volunteering/."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from classes.models import SchoolClass
from classes.selectors import current_term
from core.feedback import attempt, attempt_on_form
from core.idempotency import exactly_once
from core.templatetags.banwu_tags import mask_mobile

from ..forms.volunteering import ActivityForm, DoneForm
from ..policies import volunteering as policies
from ..policies.committee import headed_class_ids, is_home_school_office, require_guardian, require_staff
from ..selectors import participation as participation_selectors
from ..selectors import volunteering as selectors
from ..selectors.committee import guardian_of
from ..services import volunteering as services


def volunteer_list(request):
    require_staff(request.user, request.school)
    return render(
        request,
        "home_school/volunteering/volunteer_list.html",
        {
            "activities": list(selectors.activity_list_for(request.user, request.school)),
            "can_create": policies.can_create_activity(request.user, request.school),
            "today": timezone.localdate(),
        },
    )


def _runnable_classes(user, school):
    term = current_term(school)
    if term is None:
        return SchoolClass.objects.none()
    qs = SchoolClass.objects.filter(school=school, school_year_id=term.school_year_id)
    if not is_home_school_office(user, school):
        qs = qs.filter(pk__in=headed_class_ids(user, school))
    return qs.select_related("grade").order_by("grade__level", "number")


@exactly_once
def volunteer_new(request):
    require_staff(request.user, request.school)
    if not policies.can_create_activity(request.user, request.school):
        raise PermissionDenied
    classes = list(_runnable_classes(request.user, request.school))
    office = is_home_school_office(request.user, request.school)
    form = ActivityForm(request.POST or None, classes=classes, whole_school=office, school=request.school)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        school_class = next((c for c in classes if c.pk == data["school_class"]), None)
        if school_class is None and not office:
            raise PermissionDenied
        outcome = attempt_on_form(
            request,
            form,
            services.volunteer_activity_create,
            actor=request.user,
            school=request.school,
            school_class=school_class,
            title=data["title"],
            date=data["date"],
            slots=data["slots"],
            description=data["description"],
            time_text=data["time_text"],
            place=data["place"],
            success=_("The activity is posted; its guardians are told."),
        )
        if outcome.ok:
            return redirect("home_school:volunteer_detail", pk=outcome.value.pk)
    return render(request, "home_school/volunteering/volunteer_form.html", {"form": form})


def volunteer_detail(request, pk):
    """Who signed up (with their children), and the organiser's check
    list of who actually came. Phone numbers in full for the organisers
    (the head teacher, the office), masked for the principal."""
    activity = policies.get_activity_for(request.user, request.school, pk)
    can_manage = policies.can_manage_activity(request.user, request.school, activity)
    signups = list(selectors.activity_signups(activity))
    for s in signups:
        s.contact = s.guardian.mobile if can_manage else mask_mobile(s.guardian.mobile)
    today = timezone.localdate()
    return render(
        request,
        "home_school/volunteering/volunteer_detail.html",
        {
            "activity": activity,
            "signups": signups,
            "can_manage": can_manage,
            "can_mark": can_manage and activity.date <= today and not activity.is_cancelled,
            "pending": [s for s in signups if not s.is_done],
        },
    )


@require_POST
@exactly_once
def volunteer_done(request, pk):
    activity = policies.get_activity_for_managing(request.user, request.school, pk)
    back = redirect("home_school:volunteer_detail", pk=activity.pk)
    form = DoneForm(request.POST, signups=activity.signups.only("pk"))
    if not form.is_valid():
        messages.error(request, " ".join(str(m) for m in form.errors.get("signups", [])))
        return back
    attempt(
        request,
        services.volunteer_mark_done,
        actor=request.user,
        activity=activity,
        signup_ids=form.cleaned_data["signups"],
        success=lambda count: ngettext("%(n)s volunteer confirmed.", "%(n)s volunteers confirmed.", count) % {"n": count},
    )
    return back


@require_POST
@exactly_once
def volunteer_cancel(request, pk):
    activity = policies.get_activity_for_managing(request.user, request.school, pk)
    if services.volunteer_activity_cancel(actor=request.user, activity=activity):
        messages.success(request, _("The activity is cancelled; the guardians who signed up are told."))
    else:
        messages.info(request, _("The activity was cancelled already."))
    return redirect("home_school:volunteer_detail", pk=activity.pk)


# --- Portal ---------------------------------------------------------------------------------


def portal_volunteer_list(request):
    """Activities the guardian can help with, and their own participation
    points this month (their own only)."""
    require_guardian(request.user, request.school)
    guardian = guardian_of(request.user, request.school)
    today = timezone.localdate()
    activities = list(selectors.portal_activity_list(request.user, request.school, guardian, today=today)) if guardian else []
    own = participation_selectors.own_month(guardian, today=today) if guardian else None
    return render(
        request,
        "home_school/volunteering/portal_volunteer_list.html",
        {"activities": activities, "own": own, "today": today},
    )


def portal_volunteer_detail(request, pk):
    activity = policies.get_portal_activity_for(request.user, request.school, pk)
    guardian = guardian_of(request.user, request.school)
    taken = selectors.taken_count(activity)
    today = timezone.localdate()
    return render(
        request,
        "home_school/volunteering/portal_volunteer_detail.html",
        {
            "activity": activity,
            "mine": selectors.own_signup(activity, guardian),
            "taken": taken,
            "full": taken >= activity.slots,
            "open": not activity.is_cancelled and activity.date >= today,
        },
    )


@require_POST
@exactly_once
def portal_volunteer_signup(request, pk):
    activity = policies.get_portal_activity_for(request.user, request.school, pk)
    guardian = guardian_of(request.user, request.school)
    if guardian is None:
        raise PermissionDenied
    attempt(request, services.volunteer_sign_up, guardian=guardian, activity=activity, success=_("You are signed up. Thank you!"))
    return redirect("home_school:portal_volunteer_detail", pk=activity.pk)


@require_POST
@exactly_once
def portal_volunteer_withdraw(request, pk):
    activity = policies.get_portal_activity_for(request.user, request.school, pk)
    guardian = guardian_of(request.user, request.school)
    if guardian is None:
        raise PermissionDenied
    outcome = attempt(request, services.volunteer_withdraw, guardian=guardian, activity=activity)
    if outcome.ok and outcome.value:
        messages.success(request, _("Your sign-up is taken back."))
    elif outcome.ok:
        messages.info(request, _("You were not signed up."))
    return redirect("home_school:portal_volunteer_detail", pk=activity.pk)


urls = [
    path("home-school/volunteering/", volunteer_list, name="volunteer_list"),
    path("home-school/volunteering/new/", volunteer_new, name="volunteer_new"),
    path("home-school/volunteering/<int:pk>/", volunteer_detail, name="volunteer_detail"),
    path("home-school/volunteering/<int:pk>/done/", volunteer_done, name="volunteer_done"),
    path("home-school/volunteering/<int:pk>/cancel/", volunteer_cancel, name="volunteer_cancel"),
    path("portal/volunteering/", portal_volunteer_list, name="portal_volunteer_list"),
    path("portal/volunteering/<int:pk>/", portal_volunteer_detail, name="portal_volunteer_detail"),
    path("portal/volunteering/<int:pk>/sign-up/", portal_volunteer_signup, name="portal_volunteer_signup"),
    path("portal/volunteering/<int:pk>/withdraw/", portal_volunteer_withdraw, name="portal_volunteer_withdraw"),
]
