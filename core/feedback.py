"""Turning validation errors into the one-line message a page shows."""

from django.core.exceptions import ValidationError


def errors_text(error: ValidationError) -> str:
    """A service's ValidationError as one sentence for messages.error."""
    return " ".join(error.messages)


def form_errors_text(form) -> str:
    """Every error of a bound, invalid form, in field order, as one line."""
    return " ".join(str(message) for errors in form.errors.values() for message in errors)
