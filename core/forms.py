"""The bases and fields every form of banwu is built from.

- `Form`, `ModelForm` and `FormSet` clean every typed value before validation: no
  bidirectional or other control characters (core.text), so a length limit
  counts what is kept.
- `IdField` and `IdListField`: ids posted by a page, refused with a message
  when the database could not hold them (never a 500).
- `MultipleFileField`: several files in one input.
- `keyed_helper`: a crispy helper whose form carries a fresh request key.
- `DayField` and `MomentField`: a date or a time inside a window the form
  sets (`field.window(earliest, latest)`), and never outside 2000–2099
  whatever the form forgot.
"""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from .text import clean_text
from .uploads import ACCEPT

# BigAutoField: the largest id PostgreSQL (bigint) and SQLite hold.
ID_MAX = 2**63 - 1
INT64_MIN = -(2**63)
# No school date lies outside these, whatever the field.
EARLIEST_DAY = datetime.date(2000, 1, 1)
LATEST_DAY = datetime.date(2099, 12, 31)


def clean_data(data):
    """A copy of posted data (a QueryDict or a dict) with every typed value
    cleaned (core.text.clean_text); fields named like passwords are left."""
    if hasattr(data, "lists"):  # a QueryDict
        copy = data.copy()
        for key, values in data.lists():
            if "password" not in key:
                copy.setlist(key, [clean_text(v) if isinstance(v, str) else v for v in values])
        return copy
    return {
        key: value if "password" in key else (clean_text(value) if isinstance(value, str) else
                                               [clean_text(v) if isinstance(v, str) else v for v in value]
                                               if isinstance(value, (list, tuple)) else value)
        for key, value in data.items()
    }


class CleanedTextMixin:
    """Cleans the bound data before any field sees it (passwords excepted)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound and self.data:
            self.data = clean_data(self.data)


class Form(CleanedTextMixin, forms.Form):
    pass


class FormSet(forms.BaseFormSet):
    """A formset whose management form sees cleaned data too, as its forms do."""

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(clean_data(data) if data else data, *args, **kwargs)


class ModelForm(CleanedTextMixin, forms.ModelForm):
    pass


class IdField(forms.IntegerField):
    """The id of a row chosen on the page. Whether the person may use that
    row is the policy's or the service's check; this one refuses what is not
    an id at all."""

    default_error_messages = {
        "invalid": _("Choose an entry from the list."),
        "min_value": _("Choose an entry from the list."),
        "max_value": _("Choose an entry from the list."),
        "required": _("Choose an entry from the list."),
    }
    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", ID_MAX)
        super().__init__(**kwargs)


class IdListField(forms.Field):
    """A list of distinct ids (e.g. the students chosen on the entry page),
    at most `max_items` of them."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {
        "invalid": _("Choose entries from the list."),
        "too_many": _("Choose at most %(n)s at once."),
    }

    def __init__(self, *args, max_items=100, **kwargs):
        self.max_items = max_items
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        if not value:
            return []
        values = value if isinstance(value, (list, tuple)) else [value]
        if len(values) > self.max_items * 2:
            raise forms.ValidationError(self.error_messages["too_many"], code="too_many", params={"n": self.max_items})
        try:
            ids = sorted({int(str(v).strip()) for v in values})
        except (TypeError, ValueError):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        if any(not 1 <= i <= ID_MAX for i in ids):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        if len(ids) > self.max_items:
            raise forms.ValidationError(self.error_messages["too_many"], code="too_many", params={"n": self.max_items})
        return ids


def row_key(value, field):
    """`value` as a key of `field` (the target of a relation) when a row
    could have it; None otherwise (not a number, or an integer key outside
    1..2^63-1, which the database would refuse with an error)."""
    if isinstance(field, (models.AutoField, models.IntegerField)):
        try:
            number = int(str(value).strip())
        except (TypeError, ValueError):
            return None
        return number if 1 <= number <= ID_MAX else None
    try:
        return field.to_python(value)
    except ValidationError:
        return None


class RowField(forms.ModelChoiceField):
    """A row chosen from the queryset the view (or the admin) gives. A
    posted value no row could have (not a number, past 2^63) is an invalid
    choice, never a query."""

    def to_python(self, value):
        if value not in self.empty_values and row_key(value, _key_field(self)) is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class RowsField(forms.ModelMultipleChoiceField):
    """Rows chosen from the queryset the view (or the admin) gives, at most
    `max_items` of them; a value no row could have makes the choice
    invalid before the database is asked."""

    def __init__(self, *args, max_items=100, **kwargs):
        self.max_items = max_items
        super().__init__(*args, **kwargs)

    def _check_values(self, value):
        try:
            values = list(dict.fromkeys(value))
        except TypeError:
            values = [value]
        key = _key_field(self)
        if len(values) > self.max_items or any(v not in self.empty_values and row_key(v, key) is None for v in values):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice", params={"value": ""})
        return super()._check_values(values)


def _key_field(field):
    meta = field.queryset.model._meta
    return meta.get_field(field.to_field_name) if field.to_field_name else meta.pk


def _day_text(day: datetime.date) -> str:
    return formats.date_format(day, "DATE_FORMAT")


def check_day(day: datetime.date, *, earliest: datetime.date | None, latest: datetime.date | None) -> None:
    """Raise the window's message when `day` lies outside it."""
    low = max(earliest or EARLIEST_DAY, EARLIEST_DAY)
    high = min(latest or LATEST_DAY, LATEST_DAY)
    if low <= day <= high:
        return
    if earliest and latest:
        message = _("Choose a day from %(earliest)s to %(latest)s.")
    elif day < low:
        message = _("Choose a day on or after %(earliest)s.")
    else:
        message = _("Choose a day on or before %(latest)s.")
    raise forms.ValidationError(message, code="outside_window", params={"earliest": _day_text(low), "latest": _day_text(high)})


class Windowed:
    """A date or date-time field's window: `field.window(earliest, latest)`
    (dates; either may be None) sets the rule, and the date picker's min
    and max when the field has one. Returns the field."""

    earliest = None
    latest = None

    def window(self, earliest=None, latest=None):
        self.earliest, self.latest = earliest, latest
        kind = getattr(self.widget, "input_type", None)
        for attr, day, time in (("min", earliest, "T00:00"), ("max", latest, "T23:59")):
            if day is None or kind not in ("date", "datetime-local"):
                self.widget.attrs.pop(attr, None)
            else:
                self.widget.attrs[attr] = day.isoformat() + (time if kind == "datetime-local" else "")
        return self


class DayField(Windowed, forms.DateField):
    """A school day a person types: inside the form's window."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "date"}))
        super().__init__(*args, **kwargs)

    def validate(self, value):
        super().validate(value)
        if value is not None:
            check_day(value, earliest=self.earliest, latest=self.latest)


class MomentField(Windowed, forms.DateTimeField):
    """A local date and time a person types: its day inside the form's window."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"))
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        try:
            return super().to_python(value)
        except OverflowError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None

    def validate(self, value):
        super().validate(value)
        if value is not None:
            check_day(timezone.localtime(value).date() if timezone.is_aware(value) else value.date(),
                      earliest=self.earliest, latest=self.latest)


def keyed_helper(helper=None):
    """A crispy FormHelper (a new one, or `helper`) whose form posts a fresh
    request key (core.idempotency), as `{% request_key %}` gives hand-written
    forms. A form, and so its helper, is made once per page view."""
    from crispy_forms.helper import FormHelper
    from crispy_forms.layout import Hidden

    from .idempotency import FIELD, new_key

    helper = helper or FormHelper()
    helper.add_input(Hidden(FIELD, new_key()))
    return helper


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern). What each
    file is, is decided from its bytes by core.uploads.attachment_check."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        one = super().clean
        if isinstance(data, list | tuple):
            return [one(d, initial) for d in data if d]
        return [one(data, initial)] if data else []
