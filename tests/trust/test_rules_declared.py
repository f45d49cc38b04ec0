"""Rules every model and form declares: a length limit on free text, a
Chinese message on every constraint a person can trip, and every form
built on core.forms (so typed text is cleaned before it is checked)."""

import importlib
import inspect
import pkgutil

import pytest
from django import forms as django_forms
from django.apps import apps
from django.db import models
from django.utils import translation

from core.forms import CleanedTextMixin

APPS = ("accounts", "classes", "students", "moral_ed", "home_school", "notifications", "psych", "research", "core")
# TextFields that hold what the product wrote, not what a person typed.
MACHINE_TEXT = {
    "core.RequestKey.body": "the stored answer of a request (HTML), written by core.idempotency",
}


def _models():
    return [m for m in apps.get_models() if m._meta.app_label in APPS]


def test_every_free_text_field_has_a_length_limit():
    missing = [
        f"{m._meta.label}.{f.name}"
        for m in _models()
        for f in m._meta.concrete_fields
        if isinstance(f, models.TextField) and not f.max_length and f"{m._meta.label}.{f.name}" not in MACHINE_TEXT
    ]
    assert not missing, f"TextFields without max_length (core.text has the limits): {missing}"


def test_every_constraint_has_a_chinese_message():
    missing = []
    for m in _models():
        for constraint in m._meta.constraints:
            message = constraint.violation_error_message
            if message is None or message == constraint.default_violation_error_message:
                missing.append(f"{m._meta.label}: {constraint.name}")
                continue
            with translation.override("zh-hans"):
                text = str(message)
            if not any("\u4e00" <= ch <= "\u9fff" for ch in text):
                missing.append(f"{m._meta.label}: {constraint.name} (no Chinese translation: {text})")
    assert not missing, "constraints without violation_error_message:\n" + "\n".join(missing)


def _form_classes():
    found = set()
    for label in APPS:
        try:
            package = importlib.import_module(label)
        except ImportError:
            continue
        modules = [f"{label}.forms", f"{label}.admin"]
        for sub in ("forms", "admin"):
            try:
                pkg = importlib.import_module(f"{label}.{sub}")
            except ImportError:
                continue
            if hasattr(pkg, "__path__"):
                modules += [f"{label}.{sub}.{name}" for _, name, _ in pkgutil.iter_modules(pkg.__path__)]
        modules += [f"{package.__name__}.roster.{name}" for _, name, _ in pkgutil.iter_modules(getattr(
            importlib.import_module(f"{label}.roster"), "__path__", []))] if label == "students" else []
        for name in modules:
            try:
                module = importlib.import_module(name)
            except ImportError:
                continue
            for _, obj in inspect.getmembers(module, inspect.isclass):
                if issubclass(obj, django_forms.BaseForm) and obj.__module__ == module.__name__:
                    found.add(obj)
    return sorted(found, key=lambda c: f"{c.__module__}.{c.__qualname__}")


def test_forms_are_found():
    assert len(_form_classes()) > 30


@pytest.mark.parametrize("form_class", _form_classes(), ids=lambda c: f"{c.__module__}.{c.__qualname__}")
def test_every_form_cleans_text_and_limits_its_length(form_class):
    assert issubclass(form_class, CleanedTextMixin), "build it on core.forms.Form or core.forms.ModelForm"
    unlimited = [
        name for name, field in form_class.base_fields.items()
        if type(field) in (django_forms.CharField,) and not field.max_length
    ]
    assert not unlimited, f"CharFields without max_length: {unlimited}"
    dates = [
        name for name, field in form_class.base_fields.items()
        if isinstance(field, (django_forms.DateField, django_forms.DateTimeField))
        and not hasattr(field, "window")
    ]
    assert not dates, f"date fields not built on core.forms.DayField / MomentField: {dates}"
