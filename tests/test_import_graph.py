"""The apps' layers, held by a walk over every import (docs/architecture.md,
"Layers").

An app imports only from its own layer or the layers below, and from
another app only that app's public modules (its models, selectors,
policies, services, roles ...). A shared part (exports, feedback, template
tags, the ledger base, uploads, the audit vocabulary ...) lives in core,
which imports no domain app; so nothing imports another app's views,
forms, admin, templatetags or helpers.
"""

import ast
from pathlib import Path

from django.conf import settings

# Lower number, lower layer. The spine (people, the school's structure,
# students) is one layer: its apps know each other's models.
LAYERS = {
    "core": 0,
    "accounts": 1,
    "classes": 1,
    "students": 1,
    "notifications": 2,
    "moral_ed": 3,
    "home_school": 4,
    "psych": 4,
    "research": 4,
    "demo": 9,  # fills every part; nothing imports it
}

# What an app offers the apps above it (and its neighbours in the spine).
PUBLIC = {
    "models",
    "selectors",
    "policies",
    "services",
    "roles",
    "extensions",
    "periods",
    "admin_scoping",
}


def _imports(path: Path):
    """(line, imported module, imported names) of every absolute import."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module, [a.name for a in node.names]
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name, []


def violations(files: dict[str, list[tuple[int, str, list[str]]]]) -> list[str]:
    """`files` maps a path like "moral_ed/views/awards.py" to its imports."""
    found = []
    for rel, imports in files.items():
        app = rel.split("/")[0]
        for line, module, names in imports:
            parts = module.split(".")
            target = parts[0]
            if target not in LAYERS or target == app:
                continue
            where = f"{rel}:{line} imports {module}"
            if LAYERS[target] > LAYERS[app]:
                found.append(f"{where}: {target} is above {app}")
                continue
            if target == "core":
                continue
            # `from accounts import roles` names the module in `names`.
            modules = [parts[1]] if len(parts) > 1 else names
            private = [m for m in modules if m not in PUBLIC]
            if private:
                found.append(f"{where}: {', '.join(private)} is not one of {target}'s public modules (a shared part belongs in core)")
    return found


def _project_files():
    root = Path(settings.BASE_DIR)
    files = {}
    for app in LAYERS:
        for path in (root / app).rglob("*.py"):
            rel = path.relative_to(root).as_posix()
            if "/migrations/" in rel:
                continue
            files[rel] = list(_imports(path))
    return files


def test_every_app_is_placed_in_a_layer():
    apps = {name.split(".")[0] for name in settings.INSTALLED_APPS if (Path(settings.BASE_DIR) / name.split(".")[0]).is_dir()}
    assert apps == set(LAYERS)


def test_the_layers_hold():
    files = _project_files()
    assert len(files) > 150, "the walk found the apps' modules"
    assert violations(files) == []


def test_core_imports_no_domain_app():
    files = {rel: imports for rel, imports in _project_files().items() if rel.startswith("core/")}
    assert files
    domain = set(LAYERS) - {"core"}
    assert [(rel, m) for rel, imports in files.items() for _, m, _ in imports if m.split(".")[0] in domain] == []


def test_the_walk_catches_what_it_is_for():
    """An import up a layer, another app's view or helper, and a shared
    part kept in a domain app are each caught; public modules pass."""
    found = violations(
        {
            "classes/views.py": [(5, "moral_ed.policies", ["can_record_points"])],
            "moral_ed/views/awards.py": [(7, "home_school.views", ["x"]), (8, "classes.exports", ["xlsx_response"])],
            "home_school/views/portal.py": [(9, "accounts", ["roles", "feedback"]), (10, "moral_ed.selectors", ["x"])],
            "students/roster/services.py": [(3, "classes.models", ["School"]), (4, "core.text", ["clean"])],
        }
    )
    assert found == [
        "classes/views.py:5 imports moral_ed.policies: moral_ed is above classes",
        "moral_ed/views/awards.py:7 imports home_school.views: home_school is above moral_ed",
        "moral_ed/views/awards.py:8 imports classes.exports: exports is not one of classes's public modules (a shared part belongs in core)",
        "home_school/views/portal.py:9 imports accounts: feedback is not one of accounts's public modules (a shared part belongs in core)",
    ]
