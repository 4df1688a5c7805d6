"""Themes of a consultation, or of a 年度/課 of 市長への手紙 (#14): request, compute, publish.

The texts are the masked text of each submission's latest analysis — what
department staff may read, and what a label may quote — so a theme's label
never carries a name or a phone number. Withdrawn submissions and answers
without text are left out.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import CITYWIDE_ROLES, has_role
from core.queue import enqueue_on_commit
from core.services import audit_record
from nlp.encoder import load_encoder
from nlp.models import ThemeRun
from nlp.screening import public_text_guard
from nlp.selectors import (
    THEME_RUN_PENDING,
    latest_masked_texts,
    theme_run_is_stale,
    theme_run_submissions,
    theme_runs_of,
)
from nlp.tasks import theme_run_task
from nlp.theme_page import theme_run_public_texts
from nlp.themes import themes_build


@transaction.atomic
def theme_run_request(
    *, actor, consultation, fiscal_year: int | None = None, department=None, actor_label: str | None = None
) -> ThemeRun:
    """Queue a computation; one at a time per scope (a pending, live one is returned).

    ``actor_label`` names a requester that is no account (the nightly recomputation: "system").
    """
    runs = theme_runs_of(consultation=consultation, fiscal_year=fiscal_year, department=department)
    for pending in runs.select_for_update().filter(status__in=THEME_RUN_PENDING):
        if not theme_run_is_stale(pending):
            return pending
        ThemeRun.objects.filter(pk=pending.pk).update(
            status=ThemeRun.Status.FAILED,
            error=_("計算が止まったため打ち切りました（担当のワーカーが応答しません）。"),
            finished_at=timezone.now(),
        )
    run = ThemeRun.objects.create(
        consultation=consultation,
        fiscal_year=fiscal_year,
        department=department,
        requested_by=actor if getattr(actor, "is_authenticated", False) else None,
        updated_at=timezone.now(),
    )
    audit_record(
        actor=actor,
        action="themes.request",
        target=consultation,
        after={"run": run.pk, "fiscal_year": fiscal_year, "department": getattr(department, "pk", None)},
        actor_label=actor_label,
    )
    enqueue_on_commit(theme_run_task, run.pk)
    return run


def theme_run_texts(run: ThemeRun) -> list[tuple[int, str]]:
    """(submission id, masked text) of everything the run covers, oldest first."""
    ids = list(theme_run_submissions(run).exclude(body="").order_by("pk").values_list("pk", flat=True))
    masked = latest_masked_texts(submission_ids=ids)
    return [(pk, masked[pk]) for pk in ids if pk in masked]


def _progress_writer(run_id: int):
    """A progress callback that writes at most once per whole percent (the page polls it)."""
    last = {"percent": -1}

    def report(stage: str, fraction: float) -> None:
        percent = max(0, min(99, int(fraction * 100)))
        if percent == last["percent"]:
            return
        last["percent"] = percent
        # Outside any transaction: the page must see it while the run goes on.
        ThemeRun.objects.filter(pk=run_id).update(stage=stage, progress=percent, updated_at=timezone.now())

    return report


def theme_run_compute(*, run_id: int) -> str:
    """Compute the run's themes; a finished or missing run is left alone."""
    with transaction.atomic():
        run = ThemeRun.objects.select_for_update().filter(pk=run_id).first()
        if run is None or run.status in (ThemeRun.Status.DONE, ThemeRun.Status.FAILED):
            return "skipped"
        run.status = ThemeRun.Status.RUNNING
        run.updated_at = timezone.now()
        run.save(update_fields=["status", "updated_at"])
    texts = theme_run_texts(run)
    try:
        # The optional sentence encoder (KOE_NLP_ENCODER) when it is installed; else lexical vectors.
        encoder = load_encoder(settings.KOE_NLP_ENCODER)
        result = themes_build(texts, progress=_progress_writer(run.pk), encoder=encoder)
    except Exception as exc:  # stored so the page says why; the task's retries cover the DB
        ThemeRun.objects.filter(pk=run.pk).update(
            status=ThemeRun.Status.FAILED, error=str(exc)[:300], finished_at=timezone.now()
        )
        raise
    now = timezone.now()
    ThemeRun.objects.filter(pk=run.pk).update(
        status=ThemeRun.Status.DONE,
        finished_at=now,
        updated_at=now,
        progress=100,
        stage="",
        model_version=result.model_version,
        item_count=len(texts),
        result=result.as_json(),
        coordinates={str(k): list(v) for k, v in result.coordinates.items()},
    )
    return "done"


def _check_publisher(actor) -> None:
    if not has_role(actor, *CITYWIDE_ROLES):
        raise PermissionDenied(_("テーマの公表を承認できるのは広聴担当と管理者です。"))


@transaction.atomic
def theme_run_publish(
    *,
    actor,
    run: ThemeRun,
    screen_override: bool = False,
    screen_override_reason: str = "",
    ip_address: str | None = None,
) -> ThemeRun:
    """広聴 approves a finished consultation-wide run for the public results page.

    Only one run per consultation is public: publishing this one withdraws any
    other. Letters' runs (per 年度/課) are for staff and are never published.

    Every theme's label and key phrases pass the personal-data screen first
    (nlp.screening, as the results table's texts do): a name, an address, a
    phone number… or a placeholder such as 〇〇 (a label is drawn from masked
    text) refuses, naming the theme, unless 広聴 overrides with a reason
    (``accounts.access.may_publish_flagged_text``; audited).
    """
    _check_publisher(actor)
    run = ThemeRun.objects.select_for_update().select_related("consultation").get(pk=run.pk)
    if run.status != ThemeRun.Status.DONE:
        raise ValidationError(_("計算が終わったテーマだけを公表できます。"), code="not_done")
    consultation = run.consultation
    if run.fiscal_year is not None or run.department_id is not None or consultation.is_always_open:
        raise ValidationError(_("市長への手紙のテーマは公表できません。"), code="letters")
    if consultation.status not in (consultation.Status.CLOSED, consultation.Status.PUBLISHED):
        raise ValidationError(_("意見募集が終わった案件のテーマだけを公表できます。"), code="open")
    findings = public_text_guard(
        actor=actor,
        texts=theme_run_public_texts(run),
        target=consultation,
        override=screen_override,
        override_reason=screen_override_reason,
        ip_address=ip_address,
    )
    ThemeRun.objects.filter(consultation=run.consultation, published_at__isnull=False).exclude(pk=run.pk).update(
        published_at=None, published_by=None
    )
    run.published_at = timezone.now()
    run.published_by = actor
    run.save(update_fields=["published_at", "published_by"])
    audit_record(
        actor=actor,
        action="themes.publish",
        target=run.consultation,
        after={"run": run.pk, "screen_overridden": bool(findings)},
        ip_address=ip_address,
    )
    return run


@transaction.atomic
def theme_run_unpublish(*, actor, run: ThemeRun) -> ThemeRun:
    _check_publisher(actor)
    run = ThemeRun.objects.select_for_update().get(pk=run.pk)
    run.published_at = None
    run.published_by = None
    run.save(update_fields=["published_at", "published_by"])
    audit_record(actor=actor, action="themes.unpublish", target=run.consultation, after={"run": run.pk})
    return run
