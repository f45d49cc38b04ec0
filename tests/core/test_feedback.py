"""core.feedback.attempt: the tail of a POST view (call the service, show
why it refused or that it worked)."""

from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from core.feedback import REFUSED, attempt, attempt_on_form, form_refused


def _request():
    request = RequestFactory().post("/")
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def _shown(request):
    return [(m.level_tag, str(m)) for m in get_messages(request)]


def test_a_refusal_is_shown_and_reported():
    request = _request()

    def refuse(*, reason):
        raise ValidationError(reason)

    outcome = attempt(request, refuse, reason="不能为空。", success="已保存。")

    assert outcome == REFUSED and not outcome.ok
    assert _shown(request) == [("error", "不能为空。")]


def test_a_field_refusal_is_one_line():
    request = _request()

    def refuse():
        raise ValidationError({"note": "写上原因。", "day": "日期不对。"})

    attempt(request, refuse)

    assert _shown(request) == [("error", "写上原因。 日期不对。")]


def test_success_is_shown_with_the_value():
    request = _request()

    outcome = attempt(request, lambda a, *, b: a + b, 1, b=2, success=lambda total: f"共 {total} 分。")

    assert outcome.ok and outcome.value == 3
    assert _shown(request) == [("success", "共 3 分。")]


def test_no_sentence_no_message():
    request = _request()

    outcome = attempt(request, lambda: False, success=lambda changed: "已作废。" if changed else None)

    assert outcome.ok and outcome.value is False
    assert _shown(request) == []


def test_an_invalid_form_is_one_error_line():
    class NoteForm(forms.Form):
        note = forms.CharField(max_length=3, error_messages={"max_length": "太长了。"})
        day = forms.DateField(error_messages={"required": "选日期。"})

    request = _request()
    form = NoteForm({"note": "太长的备注"})
    assert not form.is_valid()

    assert form_refused(request, form) == REFUSED
    assert _shown(request) == [("error", "太长了。 选日期。")]


class _VisitForm(forms.Form):
    note = forms.CharField(required=False)


def test_on_a_form_a_refusal_goes_onto_the_form_not_into_messages():
    request = _request()
    form = _VisitForm({"note": "x"})
    assert form.is_valid()

    def refuse():
        raise ValidationError({"note": "写上原因。", "__all__": "这个学生已经转走了。"})

    outcome = attempt_on_form(request, form, refuse, success="已保存。")

    assert outcome == REFUSED
    assert form.errors == {"note": ["写上原因。"], "__all__": ["这个学生已经转走了。"]}
    assert _shown(request) == []


def test_on_a_form_success_is_a_message():
    request = _request()
    form = _VisitForm({"note": "x"})
    assert form.is_valid()

    outcome = attempt_on_form(request, form, lambda *, note: note * 2, note="好", success=lambda v: f"已保存：{v}")

    assert outcome.ok and outcome.value == "好好"
    assert form.errors == {}
    assert _shown(request) == [("success", "已保存：好好")]
