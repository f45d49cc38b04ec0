from celery import shared_task

from .roster import services as roster_services


@shared_task(name="students.roster_import_run", soft_time_limit=15 * 60, time_limit=16 * 60)
def roster_import_run(import_id: int) -> str | None:
    """Run one uploaded roster import. Safe to deliver twice: the service
    claims the import row and a second run does nothing. Returns the
    import's final status (None when it was already claimed)."""
    roster_import = roster_services.roster_import_run(import_id=import_id)
    return roster_import.status if roster_import else None
