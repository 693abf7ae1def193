"""Settings for benchmarks/pages_load.py: the product's own settings plus one bare page (urls below).

The server under load runs with these settings so that the bare baseline is served by the same gunicorn
workers, middleware and database connection as the product's pages; nothing else differs.
"""

from jianfu.settings import *  # noqa: F403 - the product's settings, unchanged

ROOT_URLCONF = "pages_load_urls"
