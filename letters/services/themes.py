"""Nightly recomputation of the themes of 市長への手紙 (#14) for the current 年度.

Beat calls this once a night (letters.tasks.letter_themes_refresh_task): the
citywide scope and each 課 with at least KOE_LETTER_THEMES_MIN_LETTERS
letters of the 年度 get a new run, but only where letters arrived since that
scope's last finished run (letters.selectors.themes.letter_theme_scopes_due).
nlp.services.theme_run_request queues the computation and writes the audit
row; a scope with a run still pending gets that run back, so a second call
the same night requests nothing more.
"""

import datetime

from django.conf import settings
from django.utils import timezone

from core.wareki import fiscal_year
from letters.selectors.themes import letter_consultation, letter_theme_scopes_due
from nlp.services import theme_run_request

# Who the audit row names as the requester of a nightly run.
NIGHTLY_ACTOR = "system"


def letter_themes_refresh(*, today: datetime.date | None = None) -> list[int]:
    """Request the current 年度's runs that are due; return the ids of the runs requested (or still pending)."""
    consultation = letter_consultation()
    if consultation is None:
        return []
    year = fiscal_year(today or timezone.localdate())
    scopes = letter_theme_scopes_due(
        consultation=consultation, year=year, min_letters=settings.KOE_LETTER_THEMES_MIN_LETTERS
    )
    return [
        theme_run_request(
            actor=None,
            actor_label=NIGHTLY_ACTOR,
            consultation=consultation,
            fiscal_year=year,
            department=department,
        ).pk
        for department in scopes
    ]
