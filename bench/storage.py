"""See bench/settings.py: BENCH_STATIC_SKIP_JS_SOURCEMAPS."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class SkipJsSourceMapsStorage(CompressedManifestStaticFilesStorage):
    patterns = tuple(p for p in CompressedManifestStaticFilesStorage.patterns if p[0] != "*.js")
