"""The product's URLs plus the two baselines of bench/conduct_entry.py."""

from django.urls import path

from config.urls import urlpatterns as product_urlpatterns

from . import views

urlpatterns = [
    path("bench/insert/", views.bare_insert, name="bench_insert"),
    path("bench/class/<int:pk>/", views.raw_class_page, name="bench_class_page"),
    *product_urlpatterns,
]
