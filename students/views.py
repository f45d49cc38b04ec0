from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import render

from classes.policies import require_staff

from .policies import can_see_guardian_contacts, get_student_for
from .selectors import enrollment_history, guardianships_of, student_list_for

PAGE_SIZE = 50


def student_list(request):
    """Search the students this person reaches, by name or number."""
    require_staff(request.user, request.school)
    # NUL cannot reach PostgreSQL (it would be a 500): dropped like the surrounding spaces.
    query = request.GET.get("q", "").replace("\x00", "").strip()[:50]
    students = student_list_for(request.user, request.school)
    if query:
        students = students.filter(Q(name__icontains=query) | Q(student_number__startswith=query))
    page = Paginator(students, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "students/student_list.html", {"page": page, "query": query})


def student_detail(request, pk):
    student = get_student_for(request.user, request.school, pk)
    return render(
        request,
        "students/student_detail.html",
        {
            "student": student,
            "current": student.current_enrollments[0] if student.current_enrollments else None,
            "history": enrollment_history(student),
            "guardianships": guardianships_of(student),
            "show_contacts": can_see_guardian_contacts(request.user, request.school, student),
        },
    )
