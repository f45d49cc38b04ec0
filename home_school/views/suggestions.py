"""The suggestion box: the recipients' pages under
/home-school/suggestions/, the guardian's under /portal/suggestions/.

An anonymous writer's code appears once, in the response to the post
that stored the suggestion (no redirect, so it is never put in the
session or a message cookie, and the response is marked no-store). To
read replies the writer types the code again each time: nothing in the
session remembers which suggestion was theirs.

Nor does core.idempotency: the new-suggestion view is
`exactly_once(anonymous=True)`, whose row names neither the person nor the
school and keeps the day only, and the code is put into the page outside it
(`_code_shown_once`), so the stored answer, and a repeat of the same
request, only say that the suggestion was sent.
"""

import functools

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from classes.models import SchoolClass
from core.feedback import attempt
from core.idempotency import REPLAYED, exactly_once, key_of

from ..forms.suggestions import CodeForm, ReplyForm, SuggestionForm
from ..policies import suggestions as policies
from ..policies.committee import guardian_class_ids, require_guardian, require_staff
from ..selectors import suggestions as selectors
from ..services import suggestions as services


def suggestion_list(request):
    require_staff(request.user, request.school)
    waiting = request.GET.get("show") != "all"
    return render(
        request,
        "home_school/suggestions/suggestion_list.html",
        {"suggestions": list(selectors.inbox_for(request.user, request.school, waiting_only=waiting)), "waiting": waiting},
    )


def suggestion_detail(request, pk):
    suggestion = policies.get_suggestion_for(request.user, request.school, pk)
    can_reply = policies.can_reply_suggestion(request.user, request.school, suggestion)
    form = None
    if can_reply:
        form = ReplyForm()
        form.helper.form_action = reverse("home_school:suggestion_reply", args=[suggestion.pk])
    return render(
        request,
        "home_school/suggestions/suggestion_detail.html",
        {
            "suggestion": suggestion,
            "replies": selectors.thread(suggestion),
            "can_reply": can_reply,
            "form": form,
        },
    )


@require_POST
@exactly_once
def suggestion_reply(request, pk):
    suggestion = policies.get_suggestion_for_replying(request.user, request.school, pk)
    form = ReplyForm(request.POST)
    if form.is_valid():
        attempt(
            request,
            services.suggestion_reply,
            actor=request.user,
            suggestion=suggestion,
            body=form.cleaned_data["body"],
            success=_("Your reply is sent."),
        )
    else:
        messages.error(request, _("Write the reply first."))
    return redirect("home_school:suggestion_detail", pk=suggestion.pk)


# --- Portal ---------------------------------------------------------------------------------


def portal_suggestion_list(request):
    require_guardian(request.user, request.school)
    return render(
        request,
        "home_school/suggestions/portal_suggestion_list.html",
        {"suggestions": list(selectors.portal_list_for(request.user, request.school))},
    )


def _children_classes(request):
    return list(
        SchoolClass.objects.filter(school=request.school, pk__in=guardian_class_ids(request.user, request.school)).order_by(
            "grade__level", "number"
        )
    )


def _code_seed(request) -> str:
    return f"{request.user.pk}:{key_of(request)}"


def _code_shown_once(view):
    """Put the anonymous writer's code into the answer outside exactly_once,
    which keeps no page for this view (see the module's docstring). A repeat
    of the same request (a double tap, a retry after a lost answer) shows
    the same code: it is derived from the request's key, which only the
    writer's browser holds."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        code = getattr(response, "anonymous_code", None)
        if code is None and response.has_header(REPLAYED) and response.status_code == 200:
            candidate = services.code_from_seed(_code_seed(request))
            if services.suggestion_by_code(school=request.school, code=candidate) is not None:
                code = candidate
        if code is None:
            return response
        page = render(
            request, "home_school/suggestions/portal_suggestion_code.html", {"code": services.code_format(code), "issued": True}
        )
        add_never_cache_headers(page)
        return page

    return wrapper


@_code_shown_once
@exactly_once(anonymous=True, effects_outside=True)  # the daily limit is counted in the cache
def portal_suggestion_new(request):
    require_guardian(request.user, request.school)
    form = SuggestionForm(request.POST or None, classes=_children_classes(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            suggestion, code = services.suggestion_submit(
                school=request.school,
                user=request.user,
                recipient=data["recipient"],
                school_class=data["school_class"],
                body=data["body"],
                anonymous=data["anonymous"],
                code_seed=_code_seed(request),
            )
        except ValidationError as e:
            # Rules of the model's fields, some not on the form (a repeat of
            # this request meets its own code_hash): shown above the form.
            form.add_error(None, e.messages)
        else:
            if code is None:
                messages.success(request, _("Your suggestion is sent."))
                return redirect("home_school:portal_suggestion_detail", pk=suggestion.pk)
            # Stored without the code; _code_shown_once adds it to this answer only.
            response = render(request, "home_school/suggestions/portal_suggestion_code.html", {"issued": True})
            add_never_cache_headers(response)
            response.anonymous_code = code
            return response
    return render(request, "home_school/suggestions/portal_suggestion_new.html", {"form": form})


def portal_suggestion_detail(request, pk):
    suggestion = policies.get_portal_suggestion_for(request.user, request.school, pk)
    return render(
        request,
        "home_school/suggestions/portal_suggestion_thread.html",
        {"suggestion": suggestion, "replies": selectors.thread(suggestion)},
    )


def portal_suggestion_code(request):
    """Type the code, see the anonymous suggestion and its replies. The
    page is not remembered: each visit needs the code again."""
    require_guardian(request.user, request.school)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        suggestion = services.suggestion_by_code(school=request.school, code=form.cleaned_data["code"])
        if suggestion is not None:
            response = render(
                request,
                "home_school/suggestions/portal_suggestion_thread.html",
                {"suggestion": suggestion, "replies": selectors.thread(suggestion), "by_code": True},
            )
            add_never_cache_headers(response)
            return response
        form.add_error("code", _("No suggestion matches this code. Check it and try again."))
    return render(request, "home_school/suggestions/portal_suggestion_code.html", {"form": form})


urls = [
    path("home-school/suggestions/", suggestion_list, name="suggestion_list"),
    path("home-school/suggestions/<uuid:pk>/", suggestion_detail, name="suggestion_detail"),
    path("home-school/suggestions/<uuid:pk>/reply/", suggestion_reply, name="suggestion_reply"),
    path("portal/suggestions/", portal_suggestion_list, name="portal_suggestion_list"),
    path("portal/suggestions/new/", portal_suggestion_new, name="portal_suggestion_new"),
    path("portal/suggestions/code/", portal_suggestion_code, name="portal_suggestion_code"),
    path("portal/suggestions/<uuid:pk>/", portal_suggestion_detail, name="portal_suggestion_detail"),
]
