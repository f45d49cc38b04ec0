from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from . import channels, selectors, services
from .forms import PreferenceForm
from .policies import get_notification_for

PAGE_SIZE = 30


def _layout(request) -> str:
    """Staff read their inbox in the staff layout, guardians and students in the portal."""
    return "base.html" if request.is_staff_member else "portal/base.html"


def safe_link(link: str) -> str | None:
    """Only a path on this site ("/…"): never another host, whatever a
    notification's link says (open-redirect protection)."""
    if not link or not link.startswith("/") or link.startswith("//") or "\\" in link:
        return None
    if not url_has_allowed_host_and_scheme(link, allowed_hosts=set()):
        return None
    return link


@require_http_methods(["GET"])
def inbox(request):
    page = Paginator(selectors.inbox_for(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/inbox.html",
        {"layout": _layout(request), "page": page, "notifications": page.object_list},
    )


@require_POST
def mark_all_read(request):
    count = services.notification_mark_all_read(user=request.user)
    if count:
        messages.success(
            request, ngettext("%(count)s notification marked read.", "%(count)s notifications marked read.", count) % {"count": count}
        )
    return redirect("notifications:inbox")


@require_http_methods(["GET", "POST"])
def open_notification(request, pk):
    """Mark read and go to what the notification is about (a path on this
    site); without one, back to the inbox."""
    notification = get_notification_for(request.user, pk)
    services.notification_open(user=request.user, notification=notification)
    return redirect(safe_link(notification.link) or "notifications:inbox")


@require_http_methods(["GET", "POST"])
def preferences(request):
    pref = selectors.preference_for(request.user)
    names = list(channels.configured())
    allow_digest = not request.is_staff_member
    if request.method == "POST":
        form = PreferenceForm(request.POST, channel_names=names, allow_digest=allow_digest)
        if form.is_valid():
            try:
                services.preference_update(
                    user=request.user,
                    quiet_start=form.cleaned_data["quiet_start"],
                    quiet_end=form.cleaned_data["quiet_end"],
                    daily_digest=form.cleaned_data.get("daily_digest", pref.daily_digest),
                    channels_off=form.channels_off(pref.channels_off),
                )
            except ValidationError as e:
                form.add_error(None, e.messages)
            else:
                messages.success(request, _("Your notification settings are saved."))
                return redirect("notifications:preferences")
    else:
        form = PreferenceForm(
            initial=PreferenceForm.initial_for(pref, names), channel_names=names, allow_digest=allow_digest
        )
    return render(request, "notifications/preferences.html", {"layout": _layout(request), "form": form})
