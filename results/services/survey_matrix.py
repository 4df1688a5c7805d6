"""Writes on the 重要度×満足度 matrix items of a survey (staff page and admin)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from consultations.models import Consultation, Question
from core.services import audit_record
from results.models.survey import SurveyMatrixItem

FIELDS = ("label", "importance_question", "satisfaction_question", "policy", "order")


def _snapshot(item: SurveyMatrixItem) -> dict:
    return {
        "label": item.label,
        "importance_question": item.importance_question.number,
        "satisfaction_question": item.satisfaction_question.number,
        "policy": item.policy.code if item.policy else None,
        "order": item.order,
    }


def survey_matrix_item_errors(
    *,
    consultation: Consultation,
    label: str,
    importance_question: Question | None,
    satisfaction_question: Question | None,
    item: SurveyMatrixItem | None = None,
) -> dict[str, list[str]]:
    """What is wrong with an item, per field (empty when it may be saved)."""
    errors: dict[str, list[str]] = {}

    def add(field, message):
        errors.setdefault(field, []).append(message)

    if consultation.kind != Consultation.Kind.SURVEY:
        add("__all__", _("重要度・満足度の項目はアンケートにだけ設定できます。"))
    if consultation.status == Consultation.Status.PUBLISHED:
        add("__all__", _("調査結果を公表しているため変更できません。公表を取り消してから変更してください。"))
    if not (label or "").strip():
        add("label", _("項目名を入力してください。"))
    elif (
        SurveyMatrixItem.objects.filter(consultation=consultation, label=label.strip())
        .exclude(pk=item.pk if item else None)
        .exists()
    ):
        add("label", _("同じ項目名がすでにあります。"))
    for field, question in (
        ("importance_question", importance_question),
        ("satisfaction_question", satisfaction_question),
    ):
        if question is None:
            add(field, _("設問を選んでください。"))
        elif question.consultation_id != consultation.pk:
            add(field, _("このアンケートの設問を選んでください。"))
        elif question.kind != Question.Kind.SCALE5:
            add(field, _("5段階評価の設問を選んでください。"))
    if importance_question is not None and importance_question == satisfaction_question:
        add("satisfaction_question", _("重要度と満足度には別の設問を選んでください。"))
    return errors


def _check(consultation, data, item=None) -> None:
    errors = survey_matrix_item_errors(
        consultation=consultation,
        label=data.get("label", ""),
        importance_question=data.get("importance_question"),
        satisfaction_question=data.get("satisfaction_question"),
        item=item,
    )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def survey_matrix_item_create(
    *,
    consultation: Consultation,
    actor,
    label: str,
    importance_question: Question,
    satisfaction_question: Question,
    policy=None,
    order: int = 0,
) -> SurveyMatrixItem:
    """Pair two 5段階 questions of a survey as one item of its matrix."""
    # Locked and read again: publication (which freezes the items) takes the same row lock.
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    data = {
        "label": label,
        "importance_question": importance_question,
        "satisfaction_question": satisfaction_question,
    }
    _check(consultation, data)
    item = SurveyMatrixItem.objects.create(
        consultation=consultation,
        label=label.strip(),
        importance_question=importance_question,
        satisfaction_question=satisfaction_question,
        policy=policy,
        order=order,
    )
    audit_record(
        actor=actor,
        action="survey_matrix_item.create",
        target=item,
        summary=f"{consultation.pk}: {item.label}",
        after=_snapshot(item),
    )
    return item


@transaction.atomic
def survey_matrix_item_update(*, item: SurveyMatrixItem, actor, **changes) -> SurveyMatrixItem:
    """Change an item's name, questions, 施策 or order."""
    unknown = set(changes) - set(FIELDS)
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    item = SurveyMatrixItem.objects.select_for_update().get(pk=item.pk)
    item.consultation = Consultation.objects.select_for_update().get(pk=item.consultation_id)
    before = _snapshot(item)
    data = {
        "label": changes.get("label", item.label),
        "importance_question": changes.get("importance_question", item.importance_question),
        "satisfaction_question": changes.get("satisfaction_question", item.satisfaction_question),
    }
    _check(item.consultation, data, item=item)
    for field, value in changes.items():
        setattr(item, field, value.strip() if field == "label" else value)
    item.save()
    audit_record(
        actor=actor,
        action="survey_matrix_item.update",
        target=item,
        summary=f"{item.consultation_id}: {item.label}",
        before=before,
        after=_snapshot(item),
    )
    return item


@transaction.atomic
def survey_matrix_item_delete(*, item: SurveyMatrixItem, actor) -> None:
    item = SurveyMatrixItem.objects.select_for_update().get(pk=item.pk)
    item.consultation = Consultation.objects.select_for_update().get(pk=item.consultation_id)
    if item.consultation.status == Consultation.Status.PUBLISHED:
        raise ValidationError(
            _("調査結果を公表しているため変更できません。公表を取り消してから変更してください。"),
            code="published",
        )
    before = _snapshot(item)
    audit_record(
        actor=actor,
        action="survey_matrix_item.delete",
        target=item,
        summary=f"{item.consultation_id}: {item.label}",
        before=before,
    )
    item.delete()
