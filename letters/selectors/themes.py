"""Themes of 市長への手紙 per 年度 and 課 (#14): the scopes a member may choose, and the ones due at night.

A scope is a 年度 (April–March, by 受付日時) and one 所管課, or every 課.
Every 課 is for 広聴 and admins only: department staff and approvers read
only their own 課's letters (accounts.access.department_scope), so they
choose among those 課 and never the whole city. What a run covers is
nlp.selectors.theme_run_submissions, the one definition of a scope.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import department_scope, sees_every_department, works_in_departments
from accounts.models import Department
from consultations.models import Consultation
from core.wareki import fiscal_year, fiscal_year_label
from feedback.models import Submission
from feedback.selectors import submission_list_visible_to
from nlp.models import ThemeRun
from nlp.selectors import theme_run_latest_done, theme_run_submissions

# The value of 「すべての課」 in the page's 課 choice and its links.
ALL_DEPARTMENTS = "all"


def letter_consultation() -> Consultation | None:
    """The city's 市長への手紙 channel, open or not (its past letters keep their themes)."""
    return Consultation.objects.filter(kind=Consultation.Kind.LETTER).order_by("pk").first()


def _letters_of_scope(*, consultation, year: int, department_id: int | None = None):
    # An unsaved run, so the scope is read by the same function as a run's.
    return theme_run_submissions(ThemeRun(consultation=consultation, fiscal_year=year, department_id=department_id))


def letter_theme_years(*, user, consultation, today: datetime.date | None = None) -> list[int]:
    """The 年度 with letters the user may see, and the current one, newest first."""
    visible = submission_list_visible_to(user=user).filter(consultation=consultation)
    months = visible.exclude(status=Submission.Status.WITHDRAWN).datetimes(
        "submitted_at", "month", tzinfo=timezone.get_current_timezone()
    )
    years = {fiscal_year(month.date()) for month in months}
    years.add(fiscal_year(today or timezone.localdate()))
    return sorted(years, reverse=True)


def _department_order(rows):
    return rows.select_related("parent").order_by("parent__order", "parent__code", "order", "code")


def letter_theme_departments(*, user, consultation) -> list[Department]:
    """The 課 the user may choose: every 課 that has letters for 広聴/admins, else their department_scope."""
    if sees_every_department(user):
        with_letters = Submission.objects.filter(consultation=consultation, department__isnull=False)
        return list(_department_order(Department.objects.filter(pk__in=with_letters.values("department_id"))))
    if works_in_departments(user):
        return list(_department_order(Department.objects.filter(pk__in=department_scope(user))))
    return []


@dataclass(frozen=True)
class LetterThemeScope:
    consultation: Consultation
    fiscal_year: int
    department: Department | None  # None: every 課
    years: list[int] = field(default_factory=list)
    departments: list[Department] = field(default_factory=list)
    may_choose_all: bool = False

    @property
    def year_choices(self) -> list[tuple[int, str]]:
        return [(year, fiscal_year_label(year)) for year in self.years]

    @property
    def department_value(self) -> str:
        return str(self.department.pk) if self.department else ALL_DEPARTMENTS

    @property
    def params(self) -> dict[str, str]:
        """The scope as query parameters, for links, hidden fields and the status URL."""
        return {"fiscal_year": str(self.fiscal_year), "department": self.department_value}

    @property
    def label(self) -> str:
        where = str(self.department) if self.department else _("すべての課")
        return f"{fiscal_year_label(self.fiscal_year)}・{where}"

    def run_scope(self) -> dict:
        """Keyword arguments of nlp's theme selectors and services for this scope."""
        return {"consultation": self.consultation, "fiscal_year": self.fiscal_year, "department": self.department}


def letter_theme_scope(*, user, params, today: datetime.date | None = None) -> LetterThemeScope | None:
    """The scope ``params`` (``fiscal_year``, ``department``: an id or "all") asks for, if the user may have it.

    Without parameters: the current 年度, every 課 for 広聴/admins, the
    member's own 課 for department staff. None (a 404) for a 年度 that is not
    offered or a 課 outside what the user may read; PermissionDenied (a 403)
    when department staff ask for every 課.
    """
    consultation = letter_consultation()
    if consultation is None:
        return None
    years = letter_theme_years(user=user, consultation=consultation, today=today)
    requested_year = params.get("fiscal_year", "")
    if requested_year:
        if not requested_year.isdigit() or int(requested_year) not in years:
            return None
        year = int(requested_year)
    else:
        year = fiscal_year(today or timezone.localdate())
    citywide = sees_every_department(user)
    departments = letter_theme_departments(user=user, consultation=consultation)
    requested = params.get("department", "")
    if requested == ALL_DEPARTMENTS or (not requested and citywide):
        if not citywide:
            raise PermissionDenied(_("すべての課の手紙を読めるのは広聴担当と管理者です。"))
        department = None
    elif not requested:
        own = user.department_id
        department = next((d for d in departments if d.pk == own), departments[0] if departments else None)
        if department is None:
            return None
    else:
        if not requested.isdigit():
            return None
        department = next((d for d in departments if d.pk == int(requested)), None)
        if department is None and citywide:
            # A 課 whose letters have all been routed elsewhere keeps its page for 広聴.
            department = Department.objects.filter(pk=int(requested)).select_related("parent").first()
            if department is not None:
                departments = [*departments, department]
        if department is None:
            return None
    return LetterThemeScope(
        consultation=consultation,
        fiscal_year=year,
        department=department,
        years=years,
        departments=departments,
        may_choose_all=citywide,
    )


def letter_theme_scopes_due(*, consultation, year: int, min_letters: int) -> list[Department | None]:
    """The scopes of a 年度 whose themes are out of date: every 課 (None) and each 課 with ``min_letters`` letters.

    A scope is due when it has letters and none of them is in a finished run
    yet, or when a letter arrived after its last finished run was requested —
    received then, or (for a 課) routed to it then.
    """
    letters = _letters_of_scope(consultation=consultation, year=year)
    counts = (
        letters.filter(department__isnull=False)
        .order_by()
        .values("department_id")
        .annotate(letters=Count("pk"))
        .filter(letters__gte=min_letters)
        .values_list("department_id", flat=True)
    )
    scopes: list[Department | None] = [None, *_department_order(Department.objects.filter(pk__in=list(counts)))]
    due = []
    for department in scopes:
        rows = letters if department is None else letters.filter(department_id=department.pk)
        last = theme_run_latest_done(consultation=consultation, fiscal_year=year, department=department)
        if last is None:
            if rows.exists():
                due.append(department)
            continue
        since = last.created_at
        arrived = Q(submitted_at__gt=since) | Q(letter_case__created_at__gt=since)
        if department is not None:
            arrived |= Q(letter_case__routed_at__gt=since)
        if rows.filter(arrived).exists():
            due.append(department)
    return due
