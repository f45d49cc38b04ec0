from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeSchoolConfig(AppConfig):
    name = "home_school"
    verbose_name = _("Home and school")
