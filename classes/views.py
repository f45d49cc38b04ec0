from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone

from moral_ed.policies.conduct import can_record_points
from students.selectors import roster_for_class

from . import services
from .exports import xlsx_response
from .policies import can_export_roster, get_class_for, require_staff
from .selectors import class_list_for, current_term


def class_list(request):
    """The classes this person reaches: all of them for the office and the
    principal, their own for teachers."""
    require_staff(request.user, request.school)
    term = current_term(request.school)
    classes = list(class_list_for(request.user, request.school, term=term))
    grades = {}
    for c in classes:
        grades.setdefault(c.grade, []).append(c)
    return render(request, "classes/class_list.html", {"term": term, "grades": grades, "class_count": len(classes)})


def class_detail(request, pk):
    school_class = get_class_for(request.user, request.school, pk)
    term = current_term(request.school)
    students = list(roster_for_class(school_class))
    return render(
        request,
        "classes/class_detail.html",
        {
            "school_class": school_class,
            "term": term,
            "students": students,
            "head_teacher": school_class.head_assignments[0].teacher if school_class.head_assignments else None,
            "can_export": can_export_roster(request.user, request.school, school_class),
            "can_record": can_record_points(request.user, request.school, school_class),
        },
    )


def class_roster_export(request, pk):
    """The class roster with guardians' contacts as XLSX."""
    school_class = get_class_for(request.user, request.school, pk)
    if not can_export_roster(request.user, request.school, school_class):
        raise PermissionDenied
    header, rows = services.roster_export(actor=request.user, school=request.school, school_class=school_class)
    filename = f"{school_class.name}-{timezone.localdate():%Y%m%d}.xlsx"
    return xlsx_response(filename, str(school_class), header, rows)
