"""A test URLconf: the project's URLs plus two views decorated with
core.idempotency.exactly_once, each writing one inbox notification with a
de-duplication key of its own (so that without the decorator a repeat
would write a second one)."""

import uuid

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import path

from config.urls import urlpatterns as project_urls
from core.idempotency import exactly_once
from notifications.services import notify


def _write(request):
    notify(school=request.school, recipients=[request.user], kind="test", title="once", dedupe_key=str(uuid.uuid4()))


@exactly_once
def write_and_redirect(request):
    if request.POST.get("fail") == "after-writing":
        _write(request)
        return HttpResponse("<p>refused</p>", status=422)
    if request.POST.get("fail"):
        return HttpResponse("<p>refused</p>", status=422)
    _write(request)
    messages.success(request, "写好了")
    return redirect("/done/")


@exactly_once
def write_fragment(request):
    _write(request)
    response = HttpResponse(f"<p>written {uuid.uuid4()}</p>")
    response["HX-Trigger"] = "written"
    return response


@exactly_once(anonymous=True)
def write_anonymously(request):
    _write(request)
    return redirect("/done/")


@exactly_once
def create_with_a_unique_rule(request):
    """Gives the person a role: one row per (person, school, role), so a twin
    of this request meets the first one's row before the key's INSERT."""
    from django.db import IntegrityError, transaction

    from accounts.models import Membership

    try:
        with transaction.atomic():
            Membership.objects.create(user=request.user, school=request.school, role="counsellor")
    except IntegrityError:
        return HttpResponse("<p>already</p>", status=422)
    return redirect("/done/")


@exactly_once
def save_once_or_show_the_form(request):
    """Like a form whose name must be unique: the first time it saves and
    redirects with a message; a repeat finds the name taken and shows the
    form again, on a page that shows the messages waiting."""
    from django.template import engines

    from accounts.models import Membership

    if Membership.objects.get_or_create(user=request.user, school=request.school, role="research_leader")[1]:
        messages.success(request, "保存好了")
        return redirect("/done/")
    page = "{% for m in messages %}<p>{{ m }}</p>{% endfor %}<form>这个名称已被使用</form>"
    return HttpResponse(engines["django"].from_string(page).render({}, request))


urlpatterns = [
    path("test/once/form/", save_once_or_show_the_form),
    path("test/once/unique/", create_with_a_unique_rule),
    path("test/once/anonymous/", write_anonymously),
    path("test/once/redirect/", write_and_redirect),
    path("test/once/fragment/", write_fragment),
    *project_urls,
]
