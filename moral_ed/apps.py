from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MoralEdConfig(AppConfig):
    name = "moral_ed"
    verbose_name = _("Moral education")
