from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import services
from .forms import BanwuPasswordChangeForm, LoginForm, SiteDomainPasswordResetForm
from .middleware import SCHOOL_SESSION_KEY
from .selectors import home_url_for


@method_decorator(login_not_required, name="dispatch")
class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


def home(request):
    """Send each person to the home page of their role."""
    return redirect(home_url_for(request.user, request.school, request.roles))


def password_change(request):
    form = BanwuPasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = services.password_change(user=request.user, form=form)
        update_session_auth_hash(request, user)
        messages.success(request, _("Your password has been changed."))
        return redirect("accounts:home")
    template = "portal/password_change.html" if not request.is_staff_member else "accounts/password_change.html"
    return render(request, template, {"form": form, "forced": request.user.must_change_password})


@require_POST
def school_switch(request):
    try:
        school_id = int(request.POST.get("school", ""))
    except ValueError:
        return HttpResponseBadRequest(_("Unknown school."))
    if school_id not in {s.pk for s in request.schools}:
        return HttpResponseBadRequest(_("Unknown school."))
    request.session[SCHOOL_SESSION_KEY] = school_id
    return redirect("accounts:home")


@method_decorator(login_not_required, name="dispatch")
class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    form_class = SiteDomainPasswordResetForm
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


@method_decorator(login_not_required, name="dispatch")
class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


@method_decorator(login_not_required, name="dispatch")
class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


@method_decorator(login_not_required, name="dispatch")
class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


def no_school(request):
    """A logged-in person with no role in any active school."""
    return render(request, "accounts/no_school.html", status=403)
