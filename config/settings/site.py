"""The public site: its base URL for absolute links, and the error pages.

Imported at the end of base.py, so every environment gets these.
"""

from pathlib import Path

import environ

env = environ.Env()

# Base URL of the public site (scheme and host, optionally a path prefix),
# e.g. https://koe.city.kawaguchi.lg.jp. Absolute links that leave the
# request behind use it: the Atom feed's links and entry ids, mails sent by
# workers. Django's sites framework ("example.com") is not used for this.
KOE_SITE_URL = env("KOE_SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# A failed CSRF check shows a Japanese page that says the form was not sent
# and how to keep the typed text (core.views.csrf_failure).
CSRF_FAILURE_VIEW = "core.views.csrf_failure"

# The report of the last complete browser-test run that /accessibility/ renders
# (pages tested, date, axe-core version, results); written by tests/e2e
# (tests/e2e/axe_report.py) and committed. Another path for a city's own run.
KOE_ACCESSIBILITY_REPORT = env(
    "KOE_ACCESSIBILITY_REPORT",
    default=str(Path(__file__).resolve().parents[2] / "core" / "accessibility" / "axe-report.json"),
)
