"""The load bench's yardstick: a Django view that inserts one row and redirects.

It runs behind the same middleware as the web form (sessions, CSRF, CSP,
security headers) and writes to the same database, so the ratio of intake's
rate to this view's is the cost of intake itself: validation, the 受付番号
lock, identity, audit row, session and the analysis enqueue.
"""

from django.db import connection
from django.http import HttpResponseRedirect
from django.views.decorators.http import require_POST

# Created by the load bench (bench.load.prepare_database), never by a migration.
TABLE = "bench_bare_insert"


@require_POST
def bare_insert(request):
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {TABLE} (body) VALUES (%s)", [request.POST.get("body", "")])
    return HttpResponseRedirect("/")
