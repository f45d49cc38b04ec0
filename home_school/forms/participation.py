from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import Form, IdField


class VoidForm(Form):
    reason = forms.CharField(
        label=_("Why are these points wrong?"),
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. marked present by mistake")}),
    )
    # The class list to go back to (only used to build the redirect).
    back = IdField(required=False)
