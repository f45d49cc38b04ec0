from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone

from accounts import roles
from accounts.roles import holds
from classes.selectors import current_term
from moral_ed.selectors.conduct import guardian_events_for, guardian_week_summary, stars_of_student
from students.selectors import children_of, student_list_for


def _portal_students(request):
    """The children a guardian follows, or the student themself."""
    if holds(request.user, request.school, roles.GUARDIANS):
        return children_of(request.user, request.school)
    if holds(request.user, request.school, roles.STUDENTS):
        return student_list_for(request.user, request.school)
    raise PermissionDenied


def portal_home(request):
    """The portal opens on the first child; with several, a switcher."""
    students = list(_portal_students(request))
    if len(students) == 1:
        return redirect("home_school:portal_child", pk=students[0].pk)
    return render(request, "home_school/portal/home.html", {"children": students})


def portal_child(request, pk):
    students = _portal_students(request)
    child = get_object_or_404(students, pk=pk)
    current = child.current_enrollments[0] if child.current_enrollments else None
    head_teacher = None
    if current is not None:
        term = current_term(request.school)
        head = current.school_class.assignments.filter(term=term, is_head_teacher=True).select_related("teacher").first()
        head_teacher = head.teacher if head else None
    events, notes = guardian_events_for(child)
    return render(
        request,
        "home_school/portal/child.html",
        {
            "child": child,
            "children": list(students),
            "current": current,
            "head_teacher": head_teacher,
            "events": events,
            "notes": notes,
            "week": guardian_week_summary(child, today=timezone.localdate()),
            "stars": stars_of_student(child)[:6],
        },
    )


urls = [
    path("portal/", portal_home, name="portal_home"),
    path("portal/child/<int:pk>/", portal_child, name="portal_child"),
]
