"""The public site: its error pages (and, later in #10, its base URL).

Imported at the end of base.py, so every environment gets these.
"""

# A failed CSRF check shows a Japanese page that says the form was not sent
# and how to keep the typed text (core.views.csrf_failure).
CSRF_FAILURE_VIEW = "core.views.csrf_failure"
