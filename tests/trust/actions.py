"""The table of create forms and htmx create actions that the trust tests
walk (exactly once, the fuzz). Each part declares its rows in
actions_<app>.py; a row says who posts what where and which model gains
rows.

Objects come from the permission table's world (tests/permissions/
world.build, inside time_machine.travel(NOW)): `o` is side 1 (六(1)班,
its head teacher `head_teacher`, the child 陈小雨 and her guardian
`guardian`), `w` the conftest world.
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Action:
    name: str
    url_name: str
    actor: str  # a role of tests/permissions/world.people
    model: str  # "app_label.Model" that gains `rows` rows per request
    body: Callable  # (o, w) -> the POST body of one valid request
    args: Callable = lambda o, w: []  # (o, w) -> the URL's arguments
    rows: int = 1
    htmx: bool = False
    # Fields the fuzz leaves alone (with the reason), e.g. a choice whose
    # value decides which other fields are read.
    fuzz_skip: dict = field(default_factory=dict)


def all_actions() -> list[Action]:
    """Every row; TRUST_ONLY=moral_ed (a URL namespace) keeps one app's rows
    while that app is being worked on."""
    import os

    from .actions_home_school import ACTIONS as HOME_SCHOOL
    from .actions_moral_ed import ACTIONS as MORAL_ED

    rows = [*MORAL_ED, *HOME_SCHOOL]
    only = os.environ.get("TRUST_ONLY")
    return [r for r in rows if r.url_name.startswith(f"{only}:")] if only else rows
