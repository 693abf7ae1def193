"""The product's URLs plus /bench/bare/, a bare Django page rendering 20 rows (pages_load.py's baseline).

The bare page goes through the same middleware stack but has no login, no context processors and no base
template: one ORM query of 20 units and a 20-row table from a template string.
"""

from django.http import HttpResponse
from django.template import engines
from django.urls import path

from jianfu.org.models import Unit
from jianfu.urls import handler404
from jianfu.urls import urlpatterns as product_urlpatterns

TEMPLATE = engines["django"].from_string(
    "<!doctype html><html lang=\"zh-hans\"><head><meta charset=\"utf-8\"><title>bare</title></head><body>"
    "<table><thead><tr><th>#</th><th>code</th><th>name</th><th>type</th></tr></thead><tbody>"
    "{% for code, name, type in rows %}<tr><td>{{ forloop.counter }}</td><td>{{ code }}</td>"
    "<td>{{ name }}</td><td>{{ type }}</td></tr>{% endfor %}</tbody></table></body></html>"
)


def bare(request):
    rows = list(Unit.objects.order_by("path").values_list("code", "name", "type")[:20])
    return HttpResponse(TEMPLATE.render({"rows": rows}))


urlpatterns = [path("bench/bare/", bare), *product_urlpatterns]

__all__ = ["handler404", "urlpatterns"]
