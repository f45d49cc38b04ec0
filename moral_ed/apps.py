from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MoralEdConfig(AppConfig):
    name = "moral_ed"
    verbose_name = _("Moral education")

    def ready(self):
        from classes import page, signals

        from . import hooks

        signals.school_opened.connect(hooks.defaults_for_new_school, dispatch_uid="moral_ed.defaults_for_new_school")
        page.action_register(hooks.CONDUCT_POINTS)
