"""Forms of the evaluation pages: run a month now, publish a draft, filter."""

import datetime
import re

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import EvaluationKind

MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")


def parse_month(text: str) -> datetime.date:
    """"2026-11" → 2026-11-01; ValueError for anything else."""
    match = MONTH_RE.match((text or "").strip())
    if not match:
        raise ValueError(text)
    year, month = int(match.group(1)), int(match.group(2))
    if not 2000 <= year <= 2100:
        raise ValueError(text)
    return datetime.date(year, month, 1)


class MonthField(forms.CharField):
    """A month as YYYY-MM (the browser's month picker sends that)."""

    widget = forms.TextInput(attrs={"type": "month", "placeholder": "2026-11", "inputmode": "numeric"})
    default_error_messages = {"invalid": _("Enter a month as YYYY-MM, e.g. 2026-11.")}

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        try:
            return parse_month(value)
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


class EvaluationRunForm(forms.Form):
    """The office computes (or recomputes) a month now."""

    month = MonthField(
        label=_("Month"),
        help_text=_("The month is computed from the ledgers as they are now. A published month gets a new revision to preview."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Compute now")))


class EvaluationPublishForm(forms.Form):
    """Publishing needs nothing but the button (and the CSRF token); the
    digest the office previewed must still be the revision's."""

    digest = forms.CharField(
        max_length=64, widget=forms.HiddenInput,
        error_messages={"required": _("Open the preview again before publishing: it may have changed.")},
    )


class EvaluationFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("All kinds")), *EvaluationKind.choices], required=False)
