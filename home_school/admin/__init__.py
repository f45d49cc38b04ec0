"""Admin of home_school, one module per part. Django's autodiscovery imports
home_school.admin, so each part's module is imported here."""

from . import (  # noqa: F401
    committee,
    meetings,  # noqa: F401
    messaging,  # noqa: F401
    notices,  # noqa: F401
    parent_school,
    participation,
    suggestions,
    visits,  # noqa: F401
    volunteering,
)
