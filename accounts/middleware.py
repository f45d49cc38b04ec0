import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from classes.selectors import remember_current_term, with_current_term

from .models import STAFF_ROLES, Membership

SCHOOL_SESSION_KEY = "banwu_school_id"
LAST_SEEN_SESSION_KEY = "banwu_last_seen"


class SchoolContextMiddleware:
    """Sets request.school (the school the person works in now),
    request.schools and request.roles, read from the database on every
    request so role changes apply at once. One query, which also brings
    each school's current term (classes.selectors.current_term reuses it)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.school = None
        request.schools = []
        request.roles = frozenset()
        user = request.user
        if user.is_authenticated:
            memberships = list(
                with_current_term(Membership.objects.filter(user=user, school__is_active=True))
                .select_related("school")
                .order_by("school__code")
            )
            by_school = {}
            for m in memberships:
                if m.school.pk not in by_school:
                    remember_current_term(m.school, m)
                by_school.setdefault(m.school.pk, (m.school, set()))[1].add(m.role)
            request.schools = [school for school, _ in by_school.values()]
            wanted = request.session.get(SCHOOL_SESSION_KEY)
            chosen = by_school.get(wanted) or next(iter(by_school.values()), None)
            if chosen:
                request.school = chosen[0]
                request.roles = frozenset(chosen[1])
            # Prime accounts.policies.roles_in for this request.
            user.__dict__["_banwu_roles"] = {pk: frozenset(roles) for pk, (_, roles) in by_school.items()}
            request.is_staff_member = user.is_staff or any(roles & STAFF_ROLES for _, roles in by_school.values())
        else:
            request.is_staff_member = False
        return self.get_response(request)


class StaffIdleTimeoutMiddleware:
    """Ends a staff session after STAFF_IDLE_TIMEOUT seconds without a
    request. Guardians and students keep the ordinary session age."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get(LAST_SEEN_SESSION_KEY)
            # request.is_staff_member is set by SchoolContextMiddleware, which runs first.
            if request.is_staff_member and last_seen and now - last_seen > settings.STAFF_IDLE_TIMEOUT:
                logout(request)
                messages.info(request, _("You were signed out after a period of inactivity."))
                # The way back keeps its query string, encoded (a path with & or # must survive).
                return redirect(f"{reverse(settings.LOGIN_URL)}?{urlencode({'next': request.get_full_path()})}")
            # Write at most once a minute so every request does not save the session.
            if not last_seen or now - last_seen >= 60:
                request.session[LAST_SEEN_SESSION_KEY] = now
        return self.get_response(request)


class PasswordChangeRequiredMiddleware:
    """An account made with a one-time initial password can do nothing but
    change it (or log out)."""

    allowed_names = ("accounts:password_change", "accounts:logout", "set_language")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and user.must_change_password:
            allowed = {reverse(name) for name in self.allowed_names}
            if request.path not in allowed and not request.path.startswith(settings.STATIC_URL if settings.STATIC_URL.startswith("/") else "/" + settings.STATIC_URL):
                return redirect("accounts:password_change")
        return self.get_response(request)
