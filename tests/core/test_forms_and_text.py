"""core.forms and core.text: ids the database can hold, dates inside a
window, typed text without invisible controls; core.middleware answers
400 where a value slips past a form."""

import datetime

import pytest
from django import forms as django_forms
from django.db import DataError
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import translation

from core import forms
from core.middleware import DatabaseRefusalMiddleware
from core.text import clean_text, has_unwanted


class Sample(forms.Form):
    item = forms.IdField()
    students = forms.IdListField(max_items=3, required=False)
    day = forms.DayField(required=False)
    at = forms.MomentField(required=False)
    title = django_forms.CharField(max_length=5, required=False)
    password = django_forms.CharField(max_length=50, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["day"].window(datetime.date(2026, 9, 1), datetime.date(2027, 1, 31))


def _form(**data):
    return Sample({"item": "1", **data})


@pytest.mark.parametrize("value", ["0", "-1", "9223372036854775808", "1e3", "abc"])
def test_an_id_the_database_cannot_hold_is_refused_with_a_message(value):
    form = Sample({"item": value})
    assert not form.is_valid()
    with translation.override("zh-hans"):
        assert form.errors["item"] == ["请从列表中选择。"]


def test_the_largest_id_is_accepted():
    assert Sample({"item": str(2**63 - 1)}).is_valid()


@pytest.mark.parametrize("values", [["1", "9223372036854775808"], ["0"], ["x"], ["1", "2", "3", "4"], [str(n) for n in range(500)]])
def test_id_lists_refuse_bad_ids_and_too_many(values):
    assert not _form(students=values).is_valid()


def test_id_lists_are_distinct_and_sorted():
    form = Sample({"item": "1", "students": ["3", "1", "3"]})
    assert form.is_valid() and form.cleaned_data["students"] == [1, 3]


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "2026-08-31", "2027-02-01"])
def test_a_day_outside_the_window_is_refused_in_chinese(day):
    form = _form(day=day)
    with translation.override("zh-hans"):  # the request's language, as the middleware sets it
        assert not form.is_valid()
        assert form.errors["day"] == ["请选择 2026年9月1日 至 2027年1月31日 之间的日期。"]


def test_a_one_sided_window_names_the_side_that_was_crossed():
    with translation.override("en"):
        with pytest.raises(django_forms.ValidationError) as late:
            forms.check_day(datetime.date(9999, 1, 1), earliest=datetime.date(2026, 9, 1), latest=None)
        with pytest.raises(django_forms.ValidationError) as early:
            forms.check_day(datetime.date(2026, 8, 1), earliest=datetime.date(2026, 9, 1), latest=None)
        assert "on or before" in late.value.messages[0]
        assert "on or after" in early.value.messages[0]


def test_a_day_inside_the_window_is_accepted():
    assert _form(day="2026-11-20").is_valid()


@pytest.mark.parametrize("at", ["9999-12-31 23:59", "0001-01-01 00:00", "1999-12-31 10:00"])
def test_a_moment_outside_the_sane_years_is_refused(at):
    form = _form(at=at)
    assert not form.is_valid() and "at" in form.errors


def test_bidi_and_control_characters_are_stripped_before_the_length_counts():
    form = _form(title="\u202e测试\u2066\u0000\u202c")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["title"] == "测试"


def test_passwords_are_left_as_typed():
    form = _form(password="a\u202eb")
    assert form.is_valid() and form.cleaned_data["password"] == "a\u202eb"


def test_clean_text_keeps_line_breaks_and_tabs():
    assert clean_text("一\n二\t三\r\n") == "一\n二\t三\r\n"
    assert has_unwanted("a\u2067b") and not has_unwanted("普通文字")


@pytest.mark.parametrize("error", [DataError("value out of range"), OverflowError("date value out of range")])
def test_a_value_the_database_refuses_answers_400_not_500(world, error):
    request = RequestFactory().post("/x/")
    request.user = world.head_teacher
    request.is_staff_member = True
    request.school = world.school
    request.htmx = False
    middleware = DatabaseRefusalMiddleware(lambda r: HttpResponse())
    with translation.override("zh-hans"):
        response = middleware.process_exception(request, error)
    assert response.status_code == 400
    assert response["X-Refused-By"] == "database"
    assert "超出范围" in response.content.decode()


def test_other_errors_are_left_to_django():
    middleware = DatabaseRefusalMiddleware(lambda r: HttpResponse())
    assert middleware.process_exception(RequestFactory().get("/"), ValueError("x")) is None


def test_a_window_is_shown_to_the_date_picker_too():
    day = forms.DayField().window(datetime.date(2026, 9, 1), datetime.date(2027, 1, 31))
    moment = forms.MomentField().window(datetime.date(2026, 9, 1), None)

    assert (day.widget.attrs["min"], day.widget.attrs["max"]) == ("2026-09-01", "2027-01-31")
    assert moment.widget.attrs["min"] == "2026-09-01T00:00" and "max" not in moment.widget.attrs


@pytest.mark.parametrize("value", ["9223372036854775808", "-1", "0", "abc", "1.5"])
def test_a_row_no_row_could_have_is_an_invalid_choice_without_a_query(db, django_assert_num_queries, value):
    from classes.models import School

    field = forms.RowField(queryset=School.objects.all())
    many = forms.RowsField(queryset=School.objects.all())
    with django_assert_num_queries(0):
        for f in (field, many):
            with pytest.raises(django_forms.ValidationError) as refused:
                f.clean(value if f is field else [value])
            assert refused.value.code == "invalid_choice"


def test_rows_are_limited_in_number(world):
    many = forms.RowsField(queryset=type(world.school).objects.all(), max_items=1)

    assert list(many.clean([str(world.school.pk)] * 3)) == [world.school]  # the same row thrice is one choice
    with pytest.raises(django_forms.ValidationError):
        many.clean([str(world.school.pk), str(world.b.school.pk)])
