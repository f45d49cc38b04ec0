from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.forms import Form

from .models import NotificationPreference

CHANNEL_LABELS = {"email": _("E-mail"), "sms": _("Text message (SMS)"), "wechat": _("WeChat")}


class PreferenceForm(Form):
    """Quiet hours, the daily digest (guardians) and the channels a person
    wants besides the inbox. Saved by services.preference_update."""

    quiet_start = forms.TimeField(
        label=_("Quiet from"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"required": _("Enter when quiet hours start."), "invalid": _("Enter a time such as 21:30.")},
    )
    quiet_end = forms.TimeField(
        label=_("Quiet until"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"required": _("Enter when quiet hours end."), "invalid": _("Enter a time such as 07:00.")},
        help_text=_("Messages that are not urgent wait until quiet hours end. Urgent safety notices come at once."),
    )
    daily_digest = forms.BooleanField(
        label=_("Send me one summary a day (around 18:00) instead of each message"),
        required=False,
    )
    channels = forms.MultipleChoiceField(
        label=_("Also send my messages by"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Everything always stays in your inbox here."),
        error_messages={"invalid_choice": _("Choose channels from the list.")},
    )

    def __init__(self, *args, channel_names, allow_digest: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.channel_names = list(channel_names)
        self.fields["channels"].choices = [(name, CHANNEL_LABELS.get(name, name)) for name in self.channel_names]
        if not self.channel_names:
            del self.fields["channels"]
        if not allow_digest:
            del self.fields["daily_digest"]
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Save")))

    @classmethod
    def initial_for(cls, pref: NotificationPreference, channel_names) -> dict:
        return {
            "quiet_start": pref.quiet_start,
            "quiet_end": pref.quiet_end,
            "daily_digest": pref.daily_digest,
            "channels": [name for name in channel_names if name not in pref.channels_off],
        }

    def clean(self):
        data = super().clean()
        start, end = data.get("quiet_start"), data.get("quiet_end")
        if start is not None and end is not None:
            try:
                NotificationPreference(quiet_start=start, quiet_end=end).clean()
            except ValidationError as e:
                for field, messages in e.message_dict.items():
                    for message in messages:
                        self.add_error(field if field in self.fields else None, message)
        return data

    def channels_off(self, current_off) -> list[str]:
        """Channels not ticked are off; names no longer configured keep their setting."""
        if "channels" not in self.fields:
            return list(current_off)
        on = set(self.cleaned_data.get("channels") or [])
        kept = [c for c in current_off if c not in self.channel_names]
        return kept + [name for name in self.channel_names if name not in on]
