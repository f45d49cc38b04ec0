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

# The head teacher's and the office's management pages.
urlpatterns += [
    path("class/<int:pk>/review/", views.review_queue, name="review_queue"),
    path("class/<int:pk>/review/act/", views.review_action, name="review_action"),
    path("class/<int:pk>/groups/", views.class_groups, name="class_groups"),
    path("class/<int:pk>/groups/new/", views.group_create, name="group_create"),
    path("group/<int:pk>/edit/", views.group_edit, name="group_edit"),
    path("group/<int:pk>/points/", views.group_points, name="group_points"),
    path("class/<int:pk>/ranking/", views.class_ranking, name="class_ranking"),
    path("class/<int:pk>/bank/", views.class_bank, name="class_bank"),
    path("class/<int:pk>/bank/rewards/new/", views.reward_add, name="reward_add"),
    path("class/<int:pk>/bank/rewards/switch/", views.reward_switch, name="reward_switch"),
    path("class/<int:pk>/bank/redeem/", views.bank_redeem, name="bank_redeem"),
    path("class/<int:pk>/bank/void/", views.redemption_void, name="redemption_void"),
    path("class/<int:pk>/stars/", views.class_stars, name="class_stars"),
    path("stars/pending/", views.star_queue, name="star_queue"),
    path("stars/<int:pk>/decide/", views.star_decide, name="star_decide"),
]
