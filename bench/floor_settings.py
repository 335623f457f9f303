"""The portal's own settings, serving the floor pages of bench/floor_urls.py as well.

Everything else (middleware, sessions, template engine, static files, production switches) is
the portal's, so the floors measure the same stack without the portal's own views and queries.
"""

from kdla_portal.settings import *  # noqa: F403
from kdla_portal.settings import BASE_DIR, TEMPLATES

ROOT_URLCONF = "bench.floor_urls"
TEMPLATES = [
    {**TEMPLATES[0], "DIRS": [*TEMPLATES[0]["DIRS"], BASE_DIR / "bench" / "templates"]},
]
