from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.admin_scoping import SchoolScopedAdmin, SchoolScopedTabularInline, admin_school_ids, is_school_admin
from classes.models import School
from core.admin import ReadOnlyAdmin
from core.exports import xlsx_response
from core.idempotency import exactly_once

from .forms import RosterUploadForm
from .models import Enrollment, Guardian, Guardianship, RosterImport, Student
from .roster import report as roster_report
from .roster import services as roster_services
from .roster.sealing import Unreadable


class GuardianshipInline(SchoolScopedTabularInline):
    model = Guardianship
    extra = 0
    autocomplete_fields = ["guardian"]
    fields = ["guardian", "relationship", "is_primary", "school"]


class EnrollmentInline(SchoolScopedTabularInline):
    model = Enrollment
    extra = 0
    fields = ["school_class", "school_year", "start_date", "end_date", "school"]


@admin.register(Student)
class StudentAdmin(SchoolScopedAdmin):
    list_display = ["student_number", "name", "gender", "birth_date", "is_active", "school"]
    list_filter = ["school", "is_active", "gender"]
    search_fields = ["student_number", "name"]
    list_select_related = ["school"]
    inlines = [GuardianshipInline, EnrollmentInline]
    raw_id_fields = ["user"]


@admin.register(Guardian)
class GuardianAdmin(SchoolScopedAdmin):
    list_display = ["name", "mobile", "user", "school"]
    list_filter = ["school"]
    search_fields = ["name", "mobile", "guardianships__student__name"]
    list_select_related = ["school", "user"]
    raw_id_fields = ["user"]


@admin.register(Guardianship)
class GuardianshipAdmin(SchoolScopedAdmin):
    list_display = ["student", "guardian", "relationship", "is_primary", "school"]
    list_filter = ["school", "relationship", "is_primary"]
    search_fields = ["student__name", "student__student_number", "guardian__name", "guardian__mobile"]
    list_select_related = ["student", "guardian", "school"]
    autocomplete_fields = ["student", "guardian"]


@admin.register(Enrollment)
class EnrollmentAdmin(SchoolScopedAdmin):
    list_display = ["student", "school_class", "school_year", "start_date", "end_date"]
    list_filter = ["school", "school_year", "school_class__grade__level"]
    search_fields = ["student__name", "student__student_number", "school_class__name"]
    list_select_related = ["student", "school_class", "school_year"]
    autocomplete_fields = ["student"]


@admin.register(RosterImport)
class RosterImportAdmin(ReadOnlyAdmin, SchoolScopedAdmin):
    """Read-only history of roster imports, plus the upload page ("Import
    roster"), the progress page polled with htmx, and the one-time
    download of the new accounts' initial passwords. Superusers and school
    administrators only; each page 404s on another school's import."""

    list_display = ["id", "file_name", "school", "kind", "status", "rows_done", "uploaded_by", "created_at", "finished_at"]
    list_filter = ["status", "kind", "school"]
    list_select_related = ["school", "uploaded_by"]
    search_fields = ["file_name"]
    date_hierarchy = "created_at"
    fields = [
        "progress_link", "school", "uploaded_by", "file_name", "kind", "status", "total_rows", "processed_rows",
        "created_at", "started_at", "finished_at", "keep_file_days", "file_purge_at", "file_deleted_at",
        "credentials_count", "credentials_expire_at", "report",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        # The file itself can be megabytes; no list or page here needs it,
        # nor the sealed passwords (only the one download opens them).
        return super().get_queryset(request).defer("content", "sealed_credentials")

    @admin.display(description=gettext_lazy("rows checked"))
    def rows_done(self, obj):
        return f"{obj.processed_rows} / {obj.total_rows}"

    @admin.display(description=gettext_lazy("progress and report"))
    def progress_link(self, obj):
        url = reverse("admin:students_rosterimport_progress", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Open the progress page and report"))

    def get_urls(self):
        def view(func):
            return self.admin_site.admin_view(func)

        return [
            # A double tap on "upload" queues one import, not two.
            path("upload/", view(exactly_once(self.upload_view)), name="students_rosterimport_upload"),
            path("<int:pk>/progress/", view(self.progress_view), name="students_rosterimport_progress"),
            path(
                "<int:pk>/progress/fragment/",
                view(self.progress_fragment_view),
                name="students_rosterimport_progress_fragment",
            ),
            path("<int:pk>/credentials/", view(self.credentials_view), name="students_rosterimport_credentials"),
            path("<int:pk>/file/", view(self.kept_file_view), name="students_rosterimport_file"),
        ] + super().get_urls()

    # --- the pages -----------------------------------------------------------

    def upload_view(self, request):
        self._check_may_import(request)
        form = RosterUploadForm(request.POST or None, request.FILES or None, schools=self._schools(request))
        if request.method == "POST" and form.is_valid():
            roster_import = roster_services.roster_import_submit(
                school=form.cleaned_data["school"],
                uploaded_by=request.user,
                file_name=form.cleaned_data["file"].name,
                content=form.content,
                keep_file_days=form.cleaned_data["keep_file_days"],
            )
            return redirect("admin:students_rosterimport_progress", roster_import.pk)
        context = {**self._context(request, _("Import roster")), "form": form}
        return TemplateResponse(request, "admin/students/rosterimport/upload.html", context)

    def progress_view(self, request, pk):
        roster_import = self._get_import(request, pk)
        context = {**self._context(request, _("Roster import %(file)s") % {"file": roster_import.file_name})}
        context.update(self._progress_context(request, roster_import))
        return TemplateResponse(request, "admin/students/rosterimport/progress.html", context)

    def progress_fragment_view(self, request, pk):
        roster_import = self._get_import(request, pk)
        context = {"opts": self.opts, **self._progress_context(request, roster_import)}
        return TemplateResponse(request, "admin/students/rosterimport/_progress.html", context)

    @method_decorator(require_POST)
    def credentials_view(self, request, pk):
        roster_import = self._get_import(request, pk)
        if not self._may_take_credentials(request, roster_import):
            raise PermissionDenied
        try:
            credentials = roster_services.roster_credentials_take(roster_import=roster_import, actor=request.user)
        except Unreadable:
            messages.error(
                request,
                _("The initial passwords cannot be opened (the server's secret key has changed); reset the passwords."),
            )
            return redirect("admin:students_rosterimport_progress", roster_import.pk)
        if credentials is None:
            messages.error(request, _("The initial passwords were already downloaded; they are not kept after that."))
            return redirect("admin:students_rosterimport_progress", roster_import.pk)
        header, rows = roster_report.credentials_table(credentials)
        filename = _("initial-passwords-%(id)s.xlsx") % {"id": roster_import.pk}
        return xlsx_response(filename, _("Initial passwords"), header, rows)

    def kept_file_view(self, request, pk):
        """The kept copy of the file (known columns only), while the import keeps it."""
        roster_import = self._get_import(request, pk)
        content = roster_services.roster_kept_file(roster_import=roster_import, actor=request.user)
        if content is None:
            raise Http404
        response = HttpResponse(
            content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        filename = _("roster-import-%(id)s.xlsx") % {"id": roster_import.pk}
        response["Content-Disposition"] = content_disposition_header(True, filename)
        response["X-Content-Type-Options"] = "nosniff"
        return response

    # --- helpers -------------------------------------------------------------

    def _check_may_import(self, request):
        if not (request.user.is_superuser or is_school_admin(request)):
            raise PermissionDenied

    def _get_import(self, request, pk):
        self._check_may_import(request)
        return get_object_or_404(self.get_queryset(request).select_related("school", "uploaded_by"), pk=pk)

    def _schools(self, request):
        schools = School.objects.filter(is_active=True)
        if not request.user.is_superuser:
            schools = schools.filter(pk__in=admin_school_ids(request))
        return schools.order_by("code")

    def _may_take_credentials(self, request, roster_import) -> bool:
        """The uploader; for an import run from the command line, any
        administrator of the school."""
        return roster_import.uploaded_by_id in (None, request.user.pk)

    def _context(self, request, title):
        return {**self.admin_site.each_context(request), "opts": self.opts, "title": title}

    def _progress_context(self, request, roster_import):
        report = roster_import.report or {}
        return {
            "roster_import": roster_import,
            "error_rows": roster_report.error_rows(report),
            "count_rows": roster_report.count_rows(report),
            "summary": roster_report.summary(report) if report.get("counts") else "",
            "ignored_columns": "、".join(report.get("ignored_columns", [])),
            "may_take_credentials": roster_import.has_credentials
            and self._may_take_credentials(request, roster_import),
        }
