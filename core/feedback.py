"""What a page tells the person after an action: the one-line messages, and
the tail most POST views share.

Most actions end the same way: call the service; if it refuses
(ValidationError), show why; if it worked, say so; go back to the page.
`attempt` is that tail, so a view reads as its policy check, its form and
its one service call:

    outcome = attempt(request, services.bed_assign, school=…, bed=bed, student=student,
                      success=_("%(name)s sleeps in %(bed)s this term.") % names)
    return back

`outcome.ok` says whether the service ran to the end and `outcome.value` is
what it returned, for the views that say more than one sentence or go on
to another page. A form that does not validate is shown the same way with
`form_refused(request, form)`.

A form page that shows the service's refusal on the form itself, above its
fields or beside the field named in the error, and renders the form again,
uses `attempt_on_form(request, form, service, …)` instead:

    outcome = attempt_on_form(request, form, services.visit_plan, …, success=_("The visit is planned."))
    if outcome.ok:
        return redirect("home_school:visit_list")
    return render(request, "…", {"form": form})
"""

from collections.abc import Callable
from typing import Any, NamedTuple

from django.contrib import messages
from django.core.exceptions import ValidationError


def errors_text(error: ValidationError) -> str:
    """A service's ValidationError as one sentence for messages.error."""
    return " ".join(error.messages)


def form_errors_text(form) -> str:
    """Every error of a bound, invalid form, in field order, as one line."""
    return " ".join(str(message) for errors in form.errors.values() for message in errors)


class Outcome(NamedTuple):
    ok: bool
    value: Any = None


REFUSED = Outcome(False)


def attempt(request, service: Callable, /, *args, success=None, **kwargs) -> Outcome:
    """Call `service(*args, **kwargs)`. If it raises ValidationError, show
    its message as an error and return REFUSED (the service's transaction
    is rolled back; the view's, if any, goes on). Otherwise show `success`
    (a sentence, or a function of the result returning a sentence or None)
    and return Outcome(True, result)."""
    try:
        value = service(*args, **kwargs)
    except ValidationError as e:
        messages.error(request, errors_text(e))
        return REFUSED
    text = success(value) if callable(success) else success
    if text:
        messages.success(request, text)
    return Outcome(True, value)


def attempt_on_form(request, form, service: Callable, /, *args, success=None, **kwargs) -> Outcome:
    """As `attempt`, but a refusal is added to `form` (a field's error
    beside its field, the rest above the form) instead of shown as a
    message, for the view to render the form again."""
    try:
        value = service(*args, **kwargs)
    except ValidationError as e:
        form.add_error(None, e)
        return REFUSED
    text = success(value) if callable(success) else success
    if text:
        messages.success(request, text)
    return Outcome(True, value)


def form_refused(request, form) -> Outcome:
    """Show every error of an invalid bound form as one error message."""
    messages.error(request, form_errors_text(form))
    return REFUSED
