from django.urls import path

from . import views

app_name = "home_school"

urlpatterns = [
    path("", views.portal_home, name="portal_home"),
    path("child/<int:pk>/", views.portal_child, name="portal_child"),
]
