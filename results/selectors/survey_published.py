"""Reads for a survey's published results: what residents may see of it.

Decided here: only surveys 広聴 published (status 結果公表済み); the
figures are the stored tally frozen at publication (a published survey is
never re-tallied, results.services.survey_tally); cross-tab groups answered
by fewer than ``KOE_SURVEY_MIN_CELL`` respondents are hidden
(results.tabulate.crosstab_suppress), and so are matrix items. Free-text
answers are counted, never shown. No respondent's attributes or answers
appear one by one.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from consultations.models import Consultation
from core.wareki import fiscal_year
from results.matrix import QUADRANT_LABELS, Matrix
from results.models.survey import SurveyMatrixItem, SurveyTally
from results.selectors.matrix import survey_matrix
from results.selectors.survey import (
    QuestionResult,
    ResponseRate,
    survey_response_rate,
    survey_results,
)
from results.tabulate import crosstab_suppress

# The mark of a hidden (秘匿) figure in the downloads, as in Japanese statistical tables.
SUPPRESSED_MARK = "X"
WHOLE_SURVEY = "全体"

# (ASCII field name, Japanese label) of the distribution export, in order (one row per choice).
SURVEY_RESULT_FIELDS = (
    ("municipality_code", "団体コード"),
    ("consultation_id", "調査番号"),
    ("title", "調査名"),
    ("fiscal_year", "年度"),
    ("question_number", "問番号"),
    ("question", "設問"),
    ("question_kind", "回答形式"),
    ("breakdown", "集計区分"),
    ("group", "区分"),
    ("respondents", "回答者数（n）"),
    ("no_answer", "無回答"),
    ("choice", "選択肢"),
    ("count", "件数"),
    ("percent", "割合（%）"),
)
# (ASCII field name, Japanese label) of the matrix export, one row per item.
SURVEY_MATRIX_FIELDS = (
    ("municipality_code", "団体コード"),
    ("consultation_id", "調査番号"),
    ("title", "調査名"),
    ("fiscal_year", "年度"),
    ("number", "番号"),
    ("label", "項目"),
    ("policy_code", "施策コード"),
    ("importance_question", "重要度の問番号"),
    ("importance_n", "重要度の回答者数（n）"),
    ("importance_mean", "重要度（平均ポイント）"),
    ("satisfaction_question", "満足度の問番号"),
    ("satisfaction_n", "満足度の回答者数（n）"),
    ("satisfaction_mean", "満足度（平均ポイント）"),
    ("quadrant", "分類"),
    ("importance_axis", "重要度の平均（軸）"),
    ("satisfaction_axis", "満足度の平均（軸）"),
)


def survey_min_cell() -> int:
    """The smallest group a published cross-tab shows (KOE_SURVEY_MIN_CELL)."""
    return settings.KOE_SURVEY_MIN_CELL


def survey_list_published() -> QuerySet[Consultation]:
    """Surveys whose results are published, newest first."""
    return (
        Consultation.objects.filter(kind=Consultation.Kind.SURVEY, status=Consultation.Status.PUBLISHED)
        .select_related("department")
        .order_by("-published_at", "-id")
    )


def survey_public_results(*, consultation: Consultation, tally: SurveyTally, min_cell: int) -> list[QuestionResult]:
    """The staff figures of the same tally, with small cross-tab groups marked 秘匿."""
    results = survey_results(consultation=consultation, tally=tally)
    for result in results:
        if result.distribution is None:
            continue
        result.crosstabs = [
            (key, label, crosstab_suppress(table, answered=result.distribution.n, min_cell=min_cell))
            for key, label, table in result.crosstabs
        ]
    return results


@dataclass(frozen=True)
class PublishedSurvey:
    consultation: Consultation
    tally: SurveyTally
    rate: ResponseRate
    results: list[QuestionResult]
    matrix_items: list[SurveyMatrixItem]
    matrix: Matrix
    min_cell: int

    @property
    def published_on(self) -> datetime.date | None:
        published_at = self.consultation.published_at
        return timezone.localdate(published_at) if published_at else None

    @property
    def fiscal_year(self) -> int | None:
        opens_at = self.consultation.opens_at
        return fiscal_year(timezone.localtime(opens_at).date()) if opens_at else None

    @property
    def matrix_rows(self) -> list[tuple[SurveyMatrixItem, object]]:
        """(item, point) pairs, in the items' order."""
        return list(zip(self.matrix_items, self.matrix.points, strict=True))


def published_survey_get(*, pk: int) -> PublishedSurvey | None:
    """A published survey's results, or None (not a survey, or not published)."""
    consultation = survey_list_published().filter(pk=pk).first()
    if consultation is None:
        return None
    tally = SurveyTally.objects.filter(consultation=consultation).first()
    if tally is None:  # published through the service, so never; but never recount for the public
        return None
    min_cell = survey_min_cell()
    items, matrix = survey_matrix(consultation=consultation, tally=tally, min_cell=min_cell)
    return PublishedSurvey(
        consultation=consultation,
        tally=tally,
        rate=survey_response_rate(consultation=consultation, responses=tally.respondents),
        results=survey_public_results(consultation=consultation, tally=tally, min_cell=min_cell),
        matrix_items=items,
        matrix=matrix,
        min_cell=min_cell,
    )


# ---- Downloads: the same tables in long form (one figure per row) ----


def _common(published: PublishedSurvey) -> list:
    consultation = published.consultation
    return [
        settings.MUNICIPALITY_CODE,
        consultation.pk,
        consultation.title,
        published.fiscal_year or "",
    ]


def _figure(value, *, suppressed: bool):
    if suppressed:
        return SUPPRESSED_MARK
    return "" if value is None else value


def survey_result_rows(published: PublishedSurvey) -> list[list]:
    """Rows of SURVEY_RESULT_FIELDS: each question's 全体 figures, then each cross-tab."""
    rows = []
    common = _common(published)
    for result in published.results:
        question = result.question
        head = [*common, question.number, question.text, str(question.get_kind_display())]
        if result.distribution is None:
            rows.append([*head, WHOLE_SURVEY, WHOLE_SURVEY, "", "", "自由記述の回答数", result.text_answers, ""])
            continue
        groups = [(WHOLE_SURVEY, WHOLE_SURVEY, result.distribution, False)]
        for _key, label, table in result.crosstabs:
            groups += [(str(label), str(row.label), row.distribution, row.suppressed) for row in table.rows]
        for breakdown, group, distribution, suppressed in groups:
            for cell in distribution.rows:
                rows.append(
                    [
                        *head,
                        breakdown,
                        group,
                        _figure(distribution.n, suppressed=suppressed),
                        _figure(distribution.no_answer, suppressed=suppressed),
                        str(cell.label),
                        _figure(cell.count, suppressed=suppressed),
                        _figure(cell.percent, suppressed=suppressed),
                    ]
                )
    return rows


def survey_matrix_export_rows(published: PublishedSurvey) -> list[list]:
    """Rows of SURVEY_MATRIX_FIELDS, one per matrix item."""
    common = _common(published)
    matrix = published.matrix
    axis = [
        _figure(matrix.axis_importance_display, suppressed=False),
        _figure(matrix.axis_satisfaction_display, suppressed=False),
    ]
    rows = []
    for item, point in published.matrix_rows:
        rows.append(
            [
                *common,
                point.number,
                item.label,
                item.policy.code if item.policy else "",
                item.importance_question.number,
                point.importance_n,
                _figure(point.importance, suppressed=point.suppressed),
                item.satisfaction_question.number,
                point.satisfaction_n,
                _figure(point.satisfaction, suppressed=point.suppressed),
                QUADRANT_LABELS.get(point.quadrant, ""),
                *axis,
            ]
        )
    return rows
