from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MoralEdConfig(AppConfig):
    name = "moral_ed"
    verbose_name = _("Moral education")

    def ready(self):
        from classes import extensions

        from . import hooks

        extensions.school_opening_register("moral_ed.defaults", hooks.defaults_for_new_school)
        extensions.action_register(hooks.CONDUCT_POINTS)
