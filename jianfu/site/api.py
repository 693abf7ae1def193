"""The API's routers: the site lists every app's router under /api/v1/ (the api app knows none of them)."""

from __future__ import annotations

from jianfu.api.api import api

ROUTERS = [
    ("/org/", "jianfu.org.api.router"),
    ("/demands/", "jianfu.demands.api.router"),
    ("/inspections/", "jianfu.inspections.api.router"),
    ("/burden/", "jianfu.burden.api.router"),
    ("/reportforms/", "jianfu.reportforms.api.router"),
    ("/rules/", "jianfu.rules.api.router"),
]

for prefix, router in ROUTERS:
    api.add_router(prefix, router)
