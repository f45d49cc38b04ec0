"""Forms of the evaluation pages: run a month now, publish a draft, filter."""

import datetime
import re

from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import EARLIEST_DAY, LATEST_DAY, Form, keyed_helper

from ..models import EvaluationKind

MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")


def parse_month(text: str) -> datetime.date:
    """"2026-11" → 2026-11-01; ValueError for anything else."""
    match = MONTH_RE.match((text or "").strip())
    if not match:
        raise ValueError(text)
    year, month = int(match.group(1)), int(match.group(2))
    # The years core.forms accepts for any school date.
    if not EARLIEST_DAY.year <= year <= LATEST_DAY.year:
        raise ValueError(text)
    return datetime.date(year, month, 1)


class MonthField(forms.CharField):
    """A month as YYYY-MM (the browser's month picker sends that) of the
    years 2000–2099; its pattern bounds its length."""

    widget = forms.TextInput(attrs={"type": "month", "placeholder": "2026-11", "inputmode": "numeric", "maxlength": "7"})
    default_error_messages = {"invalid": _("Enter a month as YYYY-MM, e.g. 2026-11.")}

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        try:
            return parse_month(value)
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


class EvaluationRunForm(Form):
    """The office computes (or recomputes) a month now."""

    month = MonthField(
        label=_("Month"),
        help_text=_("The month is computed from the ledgers as they are now. A published month gets a new revision to preview."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = keyed_helper()
        self.helper.add_input(Submit("submit", _("Compute now")))


class EvaluationPublishForm(Form):
    """Publishing needs nothing but the button (and the CSRF token); the
    digest the office previewed must still be the revision's."""

    digest = forms.CharField(
        max_length=64, widget=forms.HiddenInput,
        error_messages={"required": _("Open the preview again before publishing: it may have changed.")},
    )


class EvaluationFilterForm(Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("All kinds")), *EvaluationKind.choices], required=False)
