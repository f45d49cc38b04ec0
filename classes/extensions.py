"""What the parts above classes add to it, so that classes imports none of
them. Each part registers here in its AppConfig.ready (moral_ed.apps):

- **Class page actions.** The class page (classes:class_detail) is where a
  head teacher starts; the buttons at its top lead into the parts (conduct
  points today; cadres, duty and mood later), each with the door that
  decides who sees it. The page shows those the person may use, in order.
- **Opening a school.** A school added in the admin (classes.admin.SchoolAdmin)
  gets each part's defaults: the admin calls `school_opened(school)` in its
  transaction, which runs every registered step, in order. A plain call
  list, not a signal: STYLE.md keeps signals out of domain rules, and a
  step that fails rolls the new school back.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class ClassPageAction:
    name: str  # unique, e.g. "moral_ed.conduct_points"
    label: str  # lazily translated
    url_name: str  # takes the class's pk
    allowed: Callable  # (user, school, school_class) -> bool
    order: int = 100
    primary: bool = False


_actions: dict[str, ClassPageAction] = {}


def action_register(action: ClassPageAction) -> None:
    """Register once per name; registering the same action again (a second
    ready() in tests) is a no-op, another action under a taken name is a
    programming error."""
    if action.name in _actions and _actions[action.name] != action:
        raise ValueError(f"a class page action named {action.name!r} is registered already")
    _actions[action.name] = action


def actions_for(user, school, school_class) -> list[dict]:
    """The buttons `user` may use on this class's page: label, url and
    whether it is the page's main button."""
    return [
        {"label": a.label, "url": reverse(a.url_name, args=[school_class.pk]), "primary": a.primary}
        for a in sorted(_actions.values(), key=lambda a: (a.order, a.name))
        if a.allowed(user, school, school_class)
    ]


_openers: dict[str, tuple[int, Callable]] = {}


def school_opening_register(name: str, step: Callable, order: int = 100) -> None:
    """`step(school=…)` runs when a school is opened; same rule for names as
    action_register."""
    if name in _openers and _openers[name] != (order, step):
        raise ValueError(f"a school opening step named {name!r} is registered already")
    _openers[name] = (order, step)


def school_opened(school) -> None:
    """Run every registered step for a new school. The caller holds the
    transaction (the admin's)."""
    for _, step in sorted(_openers.values(), key=lambda entry: entry[0]):
        step(school=school)
