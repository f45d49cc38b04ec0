"""Settings for bench/conduct_entry.py: the product's settings, every value
from the same environment variables, plus a urlconf with the two baseline
views. Nothing bench-only reaches config/."""

import os

from config.settings import *  # noqa: F401,F403
from config.settings import CACHES

ROOT_URLCONF = "bench.urls"

# Keys of this run stay apart from anything else in the same Redis database.
CACHES["default"].setdefault("KEY_PREFIX", "banwu_bench")

# Bench-only switch, off by default (then sessions are as config/settings.py
# has them). `conduct_entry.py --sessions db` sets it to compare another
# engine; the script says so in its output.
if os.environ.get("BENCH_SESSION_ENGINE"):
    SESSION_ENGINE = os.environ["BENCH_SESSION_ENGINE"]

# Fallback, used only when the product's own collectstatic fails (the script
# tries that first and says so): a vendored .js naming a source map that is
# not shipped makes the manifest storage refuse. This storage is the same
# but leaves `sourceMappingURL` comments in .js files alone; the pages'
# hashed, compressed URLs are unchanged.
if os.environ.get("BENCH_STATIC_SKIP_JS_SOURCEMAPS"):
    from config.settings import STORAGES

    STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "bench.storage.SkipJsSourceMapsStorage"}}
