"""WSGI entry for gunicorn ``--preload`` in the fault tests: the URL conf and
every view module are imported once in the master, so forked workers answer
their first request without seconds of imports (a test restarts gunicorn
often; a deployment uses config.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
application = get_wsgi_application()

from django.urls import get_resolver  # noqa: E402

get_resolver().url_patterns  # noqa: B018 (imports every view)

from django.db import connections  # noqa: E402

# Nothing opened in the master may be shared by the forked workers.
connections.close_all()
