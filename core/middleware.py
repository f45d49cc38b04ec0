import logging

from django.db import DataError
from django.utils.translation import gettext as _

from .responses import refuse

logger = logging.getLogger("banwu.refused")


class DatabaseRefusalMiddleware:
    """The last net: a value the database or Python's date arithmetic
    cannot hold (an id past 2^63, year 10000) answers 400 with a message,
    never a 500. Forms are meant to refuse such values first (core.forms),
    so each use of this net is logged as an error to be fixed, and the
    answer says it came from here (tests/core look for that header)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, (DataError, OverflowError)):
            return None
        logger.error("A value reached the database unchecked: %s %s", request.method, request.path, exc_info=exception)
        response = refuse(request, _("A number or date you sent is out of range. Check it and try again."))
        response["X-Refused-By"] = "database"
        return response
