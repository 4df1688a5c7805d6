"""Reads for the 重要度×満足度 matrix of a survey, from its stored tally."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import QuerySet

from consultations.models import Choice, Consultation, Question
from plans.indicator_math import MEAN_POINTS, SCALE_VALUES
from results.matrix import Matrix, MatrixInput, matrix_compute
from results.models.survey import SurveyMatrixItem, SurveyTally, SurveyTallyRow


def survey_matrix_items(*, consultation: Consultation) -> QuerySet[SurveyMatrixItem]:
    """The survey's matrix items in their order, with their questions and 施策."""
    return (
        SurveyMatrixItem.objects.filter(consultation=consultation)
        .select_related("importance_question", "satisfaction_question", "policy")
        .order_by("order", "id")
    )


def survey_scale_questions(*, consultation: Consultation) -> QuerySet[Question]:
    """The survey's 5段階 questions: the ones an item may pair up."""
    return consultation.questions.filter(kind=Question.Kind.SCALE5).order_by("number")


def _value_counts(tally: SurveyTally, question_ids: set[int]) -> dict[int, dict[int, int]]:
    """{question: {Choice.value: respondents}} over the whole survey (the tally's 全体 rows)."""
    values = dict(Choice.objects.filter(question_id__in=question_ids).values_list("id", "value"))
    counts: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    rows = SurveyTallyRow.objects.filter(tally=tally, question_id__in=question_ids, attribute="", value="")
    for question_id, choice_counts in rows.values_list("question_id", "choice_counts"):
        for choice_id, count in choice_counts.items():
            value = values.get(int(choice_id))
            if value is not None:
                counts[question_id][value] += count
    return counts


def survey_matrix(
    *, consultation: Consultation, tally: SurveyTally, min_cell: int, items: list[SurveyMatrixItem] | None = None
) -> tuple[list[SurveyMatrixItem], Matrix]:
    """The matrix items and their placement, from the same tally as the distributions.

    Means are of the tallied answers, so a point always agrees with the
    distribution tables of its two questions on the same page.
    """
    items = list(survey_matrix_items(consultation=consultation)) if items is None else items
    question_ids = {q for item in items for q in (item.importance_question_id, item.satisfaction_question_id)}
    counts = _value_counts(tally, question_ids) if question_ids else {}
    matrix = matrix_compute(
        [
            MatrixInput(
                label=item.label,
                importance_counts=dict(counts.get(item.importance_question_id, {})),
                satisfaction_counts=dict(counts.get(item.satisfaction_question_id, {})),
            )
            for item in items
        ],
        min_cell=min_cell,
    )
    return items, matrix


def survey_matrix_scales(*, items: list[SurveyMatrixItem]) -> list[dict]:
    """How the items' questions are scored, once per distinct scale, in the page's words.

    Each: {"points": [(choice label, "+2"), …, (label, "−2")], "left_out": [labels of わからない]}
    from the questions' own choices (Choice.value 5…1 score +2…−2; 0 is left out).
    """
    question_ids = {q for item in items for q in (item.importance_question_id, item.satisfaction_question_id)}
    by_question: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for question_id, label, value in (
        Choice.objects.filter(question_id__in=question_ids)
        .order_by("question_id", "-value", "order", "id")
        .values_list("question_id", "label", "value")
    ):
        by_question[question_id].append((label, value))
    scales: list[dict] = []
    for question_id in sorted(by_question):
        choices = by_question[question_id]
        scale = {
            "points": [(label, _points(MEAN_POINTS[value])) for label, value in choices if value in SCALE_VALUES],
            "left_out": [label for label, value in choices if value not in SCALE_VALUES],
        }
        if scale not in scales:
            scales.append(scale)
    return scales


def _points(points: int) -> str:
    return f"+{points}" if points > 0 else ("0" if points == 0 else f"−{-points}")
