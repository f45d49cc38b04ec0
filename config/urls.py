from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.i18n import JavaScriptCatalog, set_language

admin.site.site_header = _("banwu administration")
admin.site.site_title = _("banwu")
admin.site.index_title = _("School administration")

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("jsi18n/", login_not_required(JavaScriptCatalog.as_view()), name="javascript-catalog"),
    path("", include("accounts.urls")),
    path("classes/", include("classes.urls")),
    path("students/", include("students.urls")),
    path("conduct/", include("moral_ed.urls")),
    path("notifications/", include("notifications.urls")),
    path("", include("home_school.urls")),
]
