"""Forms of the messaging part. They check what is cheap (count, size,
empty text); what a file really is is decided from its bytes by
core.uploads.attachment_check."""

from django import forms
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from core.forms import Form, FormSet, MultipleFileField
from core.uploads import attachment_max_bytes

from ..models import MESSAGE_MAX_CHARS, Weekday
from ..services.messaging import MAX_ATTACHMENTS


class MessageForm(Form):
    body = forms.CharField(
        label=_("Message"),
        required=False,
        max_length=MESSAGE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": MESSAGE_MAX_CHARS}),
    )
    attachments = MultipleFileField(
        label=_("Photos or PDF"),
        required=False,
        # Empty files reach clean_attachments, which names them.
        allow_empty_file=True,
        help_text=_("Up to 3 files: photos (JPEG, PNG, WebP) or PDF."),
    )

    def clean_attachments(self):
        files = self.cleaned_data.get("attachments") or []
        if len(files) > MAX_ATTACHMENTS:
            raise ValidationError(_("Attach at most %(n)s files to one message."), params={"n": MAX_ATTACHMENTS})
        limit = attachment_max_bytes()
        errors = []
        for f in files:
            if not f.size:
                errors.append(ValidationError(_("“%(name)s” is empty."), params={"name": f.name}))
            elif f.size > limit:
                # Refused before it is read into memory.
                errors.append(
                    ValidationError(
                        _("“%(name)s” is larger than %(limit)s."), params={"name": f.name, "limit": filesizeformat(limit)}
                    )
                )
        if errors:
            raise ValidationError(errors)
        return files

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not (cleaned.get("body") or "").strip() and not cleaned.get("attachments"):
            raise ValidationError(_("Write a message or attach a file."))
        return cleaned

    def files_for_service(self):
        """(name, bytes) pairs; only called once the sizes were checked."""
        return [(f.name, f.read()) for f in self.cleaned_data.get("attachments") or []]


class StudentSearchForm(Form):
    q = forms.CharField(label=_("Student name or number"), required=False, max_length=50)


class OfficeHoursForm(Form):
    weekday = forms.TypedChoiceField(label=_("Day"), choices=[("", "—"), *Weekday.choices], coerce=int, required=False)
    start_time = forms.TimeField(
        label=_("Starts at"), required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    end_time = forms.TimeField(label=_("Ends at"), required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))

    def clean(self):
        cleaned = super().clean()
        values = [cleaned.get("weekday"), cleaned.get("start_time"), cleaned.get("end_time")]
        filled = [v is not None and v != "" for v in values]
        if any(filled) and not all(filled):
            raise ValidationError(_("Give the day, the start and the end, or leave the row empty."))
        return cleaned

    @property
    def span(self):
        """(weekday, start, end), or None for an empty row."""
        c = getattr(self, "cleaned_data", {})
        if c.get("weekday") in (None, "") or not c.get("start_time") or not c.get("end_time"):
            return None
        return (c["weekday"], c["start_time"], c["end_time"])


OfficeHoursFormSet = forms.formset_factory(OfficeHoursForm, formset=FormSet, extra=2, max_num=21, validate_max=True)
