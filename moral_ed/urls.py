from django.urls import path

from . import views

app_name = "moral_ed"

urlpatterns = [
    path("class/<int:pk>/", views.class_entry, name="class_entry"),
    path("class/<int:pk>/record/", views.points_record, name="points_record"),
    path("class/<int:pk>/undo/", views.batch_undo, name="batch_undo"),
    path("student/<int:pk>/", views.student_points, name="student_points"),
    path("event/<int:pk>/void/", views.event_void, name="event_void"),
]
