"""Every real URL plus the bench's bare insert (``bench.settings`` only, never production)."""

from django.urls import path

from bench.views import bare_insert
from config import urls as site_urls

urlpatterns = [path("bench/bare-insert/", bare_insert, name="bench_bare_insert"), *site_urls.urlpatterns]

# The site's own error pages, whatever config.urls declares.
for _name in ("handler400", "handler403", "handler404", "handler500"):
    if hasattr(site_urls, _name):
        globals()[_name] = getattr(site_urls, _name)
