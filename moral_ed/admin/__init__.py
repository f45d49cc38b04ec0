"""Admin pages of moral_ed, one module per aggregate."""

from . import awards, conduct, dorms, evaluations, inspections  # noqa: F401
