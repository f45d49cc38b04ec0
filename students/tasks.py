from celery import shared_task

from core import schedules

from .roster import services as roster_services

# Every night at 03:40, after core's purge and when nobody imports: files
# kept past the import's keep_file_days, one-time passwords not downloaded
# within 7 days, and imports a dead worker left unfinished for a day
# (students.roster.services.roster_imports_purge).
schedules.declare(
    name="students.roster_imports_purge nightly 03:40",
    task="students.roster_imports_purge",
    crontab=schedules.Crontab(minute="40", hour="3"),
    expires_seconds=6 * 3600,
    description="每天 03:40 删除到期的花名册文件和未下载的初始密码 / Purge roster files and one-time passwords that are due.",
)


@shared_task(name="students.roster_import_run", soft_time_limit=15 * 60, time_limit=16 * 60)
def roster_import_run(import_id: int) -> str | None:
    """Run one uploaded roster import. Safe to deliver twice: the service
    claims the import row and a second run does nothing. Returns the
    import's final status (None when it was already claimed)."""
    roster_import = roster_services.roster_import_run(import_id=import_id)
    return roster_import.status if roster_import else None


@shared_task(name="students.roster_imports_purge", soft_time_limit=10 * 60, time_limit=11 * 60)
def roster_imports_purge() -> dict:
    """Nightly (the schedule above): delete roster files and
    one-time passwords that are due. Safe twice and on two workers."""
    return roster_services.roster_imports_purge()
