"""The one way a request is refused with a message in place of a page:
a small page for a browser, a fragment for htmx (422, which the entry and
inspection pages swap in place)."""

from django.shortcuts import render


def refuse(request, message: str, *, status: int = 400):
    if getattr(request, "htmx", False):
        return render(request, "core/_refused.html", {"message": message}, status=422)
    return render(request, "core/refused.html", {"message": message}, status=status)
