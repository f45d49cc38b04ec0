"""What the parts above classes add to the class page (classes:class_detail).

The class page is where a head teacher starts; the buttons at its top
lead into the parts (conduct points today; cadres, duty and mood later).
classes imports none of those parts: each registers its button here in
its AppConfig.ready, with the door that decides who sees it. The page
shows the buttons the person may use, in the order given.
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
