"""Every audit action a service writes is declared in core.audit.ACTIONS,
and every declared action is written somewhere: the admin's list of
actions is the log's whole vocabulary."""

import ast
from pathlib import Path

from django.conf import settings

from accounts import services as account_services
from core.audit import ACTIONS, action_label
from moral_ed.models import AwardStatus, StarStatus

# The two actions spelled as f-strings, with every value they can take.
EXPANDED = {
    "moral_ed.award.{locked.status}": {f"moral_ed.award.{s}" for s in (AwardStatus.APPROVED, AwardStatus.DECLINED)},
    "moral_ed.star.{status}": {f"moral_ed.star.{s}" for s in (StarStatus.CONFIRMED, StarStatus.DECLINED)},
}
CONSTANTS = {"ROLE_GRANTED": account_services.ROLE_GRANTED, "ROLE_REVOKED": account_services.ROLE_REVOKED}
# Actions chosen into a local variable first: (file, variable) -> its values.
VARIABLES = {
    ("moral_ed/services/evaluations.py", "action"): {"moral_ed.evaluation.computed", "moral_ed.evaluation.recomputed"},
    # accounts.services.audit_record itself passes its argument on.
    ("accounts/services.py", "action"): set(),
}


def _written_actions():
    """(file, action) for every `action=` keyword of an audit_record call or
    an AuditEvent(...) in the product's code."""
    root = Path(settings.BASE_DIR)
    found = []
    for path in root.glob("*/**/*.py"):
        rel = path.relative_to(root).as_posix()
        if rel.startswith((".venv/", "tests/", "bench/")) or "/migrations/" in rel:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for call in ast.walk(tree):
            if not isinstance(call, ast.Call):
                continue
            name = call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", "")
            if name not in ("audit_record", "AuditEvent"):
                continue
            for kw in call.keywords:
                if kw.arg != "action":
                    continue
                found.append((rel, _values(rel, kw.value)))
    return found


def _values(rel, value) -> set[str]:
    """The action names an `action=` expression can take."""
    if isinstance(value, ast.Constant):
        return {value.value}
    if isinstance(value, ast.IfExp):
        return _values(rel, value.body) | _values(rel, value.orelse)
    if isinstance(value, ast.Name):
        if (rel, value.id) in VARIABLES:
            return VARIABLES[rel, value.id]
        return {CONSTANTS.get(value.id, f"<unknown name {value.id}>")}
    if isinstance(value, ast.JoinedStr):
        spelled = "".join(p.value if isinstance(p, ast.Constant) else "{" + ast.unparse(p.value) + "}" for p in value.values)
        return EXPANDED.get(spelled, {f"<unknown f-string {spelled}>"})
    return {f"<not a name: {ast.unparse(value)}>"}


def test_every_written_action_is_declared():
    written = _written_actions()
    assert len(written) > 40, "the walk found the services' audit calls"
    undeclared = sorted((rel, action) for rel, actions in written for action in actions if action not in ACTIONS)
    assert not undeclared, f"declare these in core.audit.ACTIONS: {undeclared}"


def test_every_declared_action_is_written():
    written = {action for _, actions in _written_actions() for action in actions}
    assert not set(ACTIONS) - written, f"no service writes {sorted(set(ACTIONS) - written)}"


def test_the_admin_shows_the_words():
    assert str(action_label("moral_ed.veto.recorded")) == str(ACTIONS["moral_ed.veto.recorded"])
    assert action_label("an.old.name") == "an.old.name"
