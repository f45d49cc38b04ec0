"""A fresh request key (core.idempotency) in the forms crispy renders
whole: the form, and so its helper, is made once per page, so each page
carries its own key, as `{% request_key %}` gives the hand-written forms."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Hidden

from core.idempotency import FIELD, new_key


def keyed_helper() -> FormHelper:
    """A FormHelper whose form posts a new request key."""
    helper = FormHelper()
    helper.add_input(Hidden(FIELD, new_key()))
    return helper
