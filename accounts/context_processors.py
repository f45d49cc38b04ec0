def school_context(request):
    return {
        "current_school": getattr(request, "school", None),
        "my_schools": getattr(request, "schools", []),
        "my_roles": getattr(request, "roles", frozenset()),
        "is_staff_member": getattr(request, "is_staff_member", False),
    }
