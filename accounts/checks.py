from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.caches, deploy=True)
def shared_cache_check(app_configs, **kwargs):
    """Production wants a shared cache: sessions are read from it and the
    login throttle and rate limits count in it."""
    if not getattr(settings, "CACHE_URL_SET", True):
        return [
            Warning(
                "CACHE_URL is not set: every web process keeps its own memory cache.",
                hint="Set CACHE_URL to a Redis database (e.g. rediscache://redis:6379/1); sessions then come from it.",
                id="accounts.W001",
            )
        ]
    return []
