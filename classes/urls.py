from django.urls import path

from . import views

app_name = "classes"

urlpatterns = [
    path("", views.class_list, name="class_list"),
    path("<int:pk>/", views.class_detail, name="class_detail"),
    path("<int:pk>/roster.xlsx", views.class_roster_export, name="class_roster_export"),
]
