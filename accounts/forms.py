import copy
from urllib.parse import urlsplit

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, PasswordResetForm
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from core.forms import CleanedTextMixin

# Django's password fields take any length; hashing a megabyte of "password"
# on every try is work an attacker chooses. 128 characters is plenty.
PASSWORD_MAX = 128


def _limited(field):
    field = copy.deepcopy(field)
    field.max_length = PASSWORD_MAX
    field.validators.append(MaxLengthValidator(PASSWORD_MAX))
    field.widget.attrs["maxlength"] = str(PASSWORD_MAX)
    return field


class LoginForm(CleanedTextMixin, AuthenticationForm):
    """Username or mobile number and password. The error never says which
    of the two was wrong, so accounts cannot be enumerated."""

    username = forms.CharField(
        label=_("Username or mobile number"),
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username", "autocapitalize": "none"}),
    )
    password = _limited(AuthenticationForm.base_fields["password"])
    error_messages = {
        "invalid_login": _("The account or the password is not right. Please try again."),
        "inactive": _("The account or the password is not right. Please try again."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class BanwuPasswordChangeForm(CleanedTextMixin, PasswordChangeForm):
    old_password = _limited(PasswordChangeForm.base_fields["old_password"])
    new_password1 = _limited(PasswordChangeForm.base_fields["new_password1"])
    new_password2 = _limited(PasswordChangeForm.base_fields["new_password2"])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Change password")))


class SiteDomainPasswordResetForm(CleanedTextMixin, PasswordResetForm):
    """Reset links are built from settings.SITE_URL, never from the
    request's Host header (a forged Host would otherwise receive the link)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Send reset link")))

    def save(self, *args, **kwargs):
        site = urlsplit(settings.SITE_URL)
        kwargs["domain_override"] = site.netloc
        kwargs["use_https"] = site.scheme == "https"
        return super().save(*args, **kwargs)
