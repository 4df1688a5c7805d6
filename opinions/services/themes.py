"""Adopt a theme (nlp.themes, #14) as a 意見要旨: its members become the group's items."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from consultations.models import Consultation
from core.services import audit_record
from feedback.models import Submission
from nlp.models import ThemeRun
from opinions.models import OpinionGroup
from opinions.services.groups import _next_number
from opinions.services.guards import _check_workbench, _lock_case
from opinions.services.queue_actions import submissions_add_to_group

SUMMARY_PREFIX = "テーマ："


@transaction.atomic
def opinion_group_from_theme(*, actor, consultation: Consultation, run: ThemeRun, theme_id: int) -> OpinionGroup:
    """Create a draft 意見要旨 holding every member of the theme (moved from any draft group they were in).

    The draft's 意見の概要 starts as the theme's label for staff to rewrite;
    a member withdrawn since the run is left out.
    """
    consultation = _lock_case(consultation.pk)
    _check_workbench(actor=actor, consultation=consultation)
    theme = (
        run.theme(theme_id) if run.consultation_id == consultation.pk and run.status == ThemeRun.Status.DONE else None
    )
    if theme is None:
        raise ValidationError(_("このテーマは見つかりません。テーマを計算し直してください。"), code="no_theme")
    members = list(
        Submission.objects.filter(consultation=consultation, pk__in=theme["members"])
        .exclude(status=Submission.Status.WITHDRAWN)
        .values_list("pk", flat=True)
    )
    if not members:
        raise ValidationError(_("このテーマの提出はすべて取り下げられています。"), code="empty_theme")
    group = OpinionGroup.objects.create(
        consultation=consultation, number=_next_number(consultation), summary=f"{SUMMARY_PREFIX}{theme['label']}"
    )
    group = submissions_add_to_group(actor=actor, submission_ids=members, group_number=group.number)
    audit_record(
        actor=actor,
        action="opinion_group.from_theme",
        target=group,
        summary=_("テーマ「%(label)s」（%(n)s件）を意見要旨 %(number)s にしました")
        % {"label": theme["label"], "n": len(members), "number": group.number},
        after={"run": run.pk, "theme": theme_id, "submissions": members},
    )
    return group
