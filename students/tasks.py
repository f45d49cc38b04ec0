from celery import shared_task

from .roster import services as roster_services


@shared_task(name="students.roster_import_run", soft_time_limit=15 * 60, time_limit=16 * 60)
def roster_import_run(import_id: int) -> str | None:
    """Run one uploaded roster import. Safe to deliver twice: the service
    claims the import row and a second run does nothing. Returns the
    import's final status (None when it was already claimed)."""
    roster_import = roster_services.roster_import_run(import_id=import_id)
    return roster_import.status if roster_import else None


@shared_task(name="students.roster_imports_purge", soft_time_limit=10 * 60, time_limit=11 * 60)
def roster_imports_purge() -> dict:
    """Nightly (beat, seeded by migration 0004): delete roster files and
    one-time passwords that are due. Safe twice and on two workers."""
    return roster_services.roster_imports_purge()
