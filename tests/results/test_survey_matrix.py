"""重要度×満足度: means in 平均ポイント, axes at the items' means, quadrants, the staff setup."""

import datetime
import re
from decimal import Decimal
from fractions import Fraction
from http import HTTPStatus

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.roles import DEPARTMENT_STAFF, KOUCHOU
from consultations.services import consultation_close
from core.models import AuditEvent
from results.matrix import (
    IMPROVE,
    KEEP,
    PRIORITY_IMPROVE,
    PRIORITY_KEEP,
    MatrixInput,
    matrix_compute,
    quadrant,
    scale_mean,
    scatter_chart,
)
from results.models.survey import SurveyMatrixItem
from results.selectors.matrix import survey_matrix, survey_matrix_scales
from results.selectors.survey import survey_tally_get
from results.services.survey_matrix import survey_matrix_item_create, survey_matrix_item_delete
from results.services.survey_publication import survey_results_publish
from tests.accounts.factories import DepartmentFactory, StaffUserFactory
from tests.consultations.factories import ConsultationFactory, QuestionFactory
from tests.plans.factories import PolicyFactory
from tests.support.surveys import respond, scale_question

# Label → Choice.value of tests.support.surveys.SCALE
V = {
    5: "そう思う",
    4: "ややそう思う",
    3: "どちらともいえない",
    2: "あまりそう思わない",
    1: "そう思わない",
    0: "わからない",
}

# The known dataset, as {Choice.value: respondents} per question.
#   A: importance (2·2 + 2·1 + 1·0) / 5 = 1.2;      satisfaction (3·−1 + 1·−2) / 4 = −1.25 (わからない out)
#   B: importance (2·0 + 2·−1) / 4 = −0.5;          satisfaction (2·2 + 2·1) / 4 = 1.5
#   C: importance (1·2 + 3·1) / 4 = 1.25;           satisfaction (2·1 + 2·0) / 4 = 0.5
#   D: importance (2·−1 + 2·−2) / 4 = −1.5;         satisfaction (4·−1) / 4 = −1
# Axes: importance (1.2 − 0.5 + 1.25 − 1.5) / 4 = 0.1125; satisfaction (−1.25 + 1.5 + 0.5 − 1) / 4 = −0.0625.
DATASET = {
    "A": ({5: 2, 4: 2, 3: 1}, {2: 3, 1: 1, 0: 1}),
    "B": ({3: 2, 2: 2}, {5: 2, 4: 2}),
    "C": ({5: 1, 4: 3}, {4: 2, 3: 2}),
    "D": ({2: 2, 1: 2}, {2: 4}),
}
EXPECTED = {
    "A": (Decimal("1.20"), Decimal("-1.25"), PRIORITY_IMPROVE, "重点改善"),
    "B": (Decimal("-0.50"), Decimal("1.50"), KEEP, "維持"),
    "C": (Decimal("1.25"), Decimal("0.50"), PRIORITY_KEEP, "重点維持"),
    "D": (Decimal("-1.50"), Decimal("-1.00"), IMPROVE, "改善"),
}


def test_scale_mean_scores_plus_two_to_minus_two_and_leaves_dont_know_out():
    assert scale_mean({5: 1, 1: 1, 0: 7}) == (Fraction(0), 2)
    assert scale_mean({4: 3, 3: 1}) == (Fraction(3, 4), 4)
    assert scale_mean({0: 3}) == (None, 0)


def test_known_dataset_gives_its_means_axes_and_quadrants():
    matrix = matrix_compute([MatrixInput(label, *counts) for label, counts in DATASET.items()])
    assert matrix.axis_importance == Fraction(1125, 10000)
    assert matrix.axis_satisfaction == Fraction(-625, 10000)
    assert (matrix.axis_importance_display, matrix.axis_satisfaction_display) == (Decimal("0.11"), Decimal("-0.06"))
    got = {p.label: (p.importance, p.satisfaction, p.quadrant, p.quadrant_label) for p in matrix.points}
    assert got == EXPECTED
    assert [(p.number, p.importance_n, p.satisfaction_n) for p in matrix.points] == [
        (1, 5, 4),
        (2, 4, 4),
        (3, 4, 4),
        (4, 4, 4),
    ]
    legend = {label: [p.label for p in points] for _key, label, _text, points in matrix.by_quadrant()}
    assert legend == {"重点改善": ["A"], "重点維持": ["C"], "改善": ["D"], "維持": ["B"]}


def test_a_value_on_the_mean_counts_as_high():
    assert quadrant(Fraction(1), Fraction(1), axis_importance=Fraction(1), axis_satisfaction=Fraction(1)) == (
        PRIORITY_KEEP
    )
    assert quadrant(Fraction(1), Fraction(0), axis_importance=Fraction(1), axis_satisfaction=Fraction(1)) == (
        PRIORITY_IMPROVE
    )


def test_an_item_asked_of_too_few_is_not_placed_and_not_in_the_axes():
    items = [MatrixInput(label, *counts) for label, counts in DATASET.items()]
    matrix = matrix_compute(items, min_cell=5)
    # Only A's importance has 5 answers; its satisfaction has 4: nothing can be placed.
    assert [p.placed for p in matrix.points] == [False] * 4
    assert all(p.suppressed for p in matrix.points)
    assert matrix.axis_importance is None and scatter_chart(matrix) is None
    items.append(MatrixInput("E", {5: 5}, {5: 5}))
    matrix = matrix_compute(items, min_cell=5)
    assert [p.label for p in matrix.placed] == ["E"]
    assert matrix.axis_importance == Fraction(2)
    # No answers at all is "回答がありません", not a hidden figure.
    assert not matrix_compute([MatrixInput("F", {}, {})], min_cell=5).points[0].suppressed


def test_scatter_puts_the_marks_inside_the_plot_with_the_mean_lines_between_them():
    matrix = matrix_compute([MatrixInput(label, *counts) for label, counts in DATASET.items()])
    chart = scatter_chart(matrix)
    assert [p.point.number for p in chart.points] == [1, 2, 3, 4]
    for placed in chart.points:
        assert chart.left <= placed.x <= chart.right and chart.top <= placed.y <= chart.bottom
        assert 0 <= placed.label_x <= chart.width and 0 <= placed.label_y <= chart.height
    by_label = {p.point.label: p for p in chart.points}
    # Satisfaction across (B the most satisfied is right of the mean line), importance up (A above it).
    assert by_label["B"].x > chart.axis_x > by_label["A"].x
    assert by_label["A"].y < chart.axis_y < by_label["D"].y
    assert [q.text for q in chart.quadrant_labels] == ["重点改善", "重点維持", "改善", "維持"]
    assert chart.x_ticks and chart.y_ticks


# ---- From a survey's answers ----


@pytest.fixture
def kikaku(db):
    return DepartmentFactory(code="kikaku", name="企画課")


@pytest.fixture
def matrix_survey(kikaku):
    """A survey whose answers are the known dataset: 4 items × (importance, satisfaction)."""
    survey = ConsultationFactory(
        survey=True,
        department=kikaku,
        title="市民意識調査（重要度）",
        opens_at=timezone.make_aware(datetime.datetime(2026, 5, 1, 9, 0)),
    )
    questions = {}
    number = 1
    for label in DATASET:
        questions[label] = (scale_question(survey, number=number + 1), scale_question(survey, number=number))
        number += 2
    respondents = []
    for label, (importance_counts, satisfaction_counts) in DATASET.items():
        importance_q, satisfaction_q = questions[label]
        for question, counts in ((importance_q, importance_counts), (satisfaction_q, satisfaction_counts)):
            values = [value for value, count in sorted(counts.items(), reverse=True) for _ in range(count)]
            for index, value in enumerate(values):
                while len(respondents) <= index:
                    respondents.append({})
                respondents[index][question] = [V[value]]
    for picks in respondents:
        respond(survey, picks)
    policy = PolicyFactory()
    for order, (label, (importance_q, satisfaction_q)) in enumerate(questions.items()):
        survey_matrix_item_create(
            consultation=survey,
            actor=None,
            label=label,
            importance_question=importance_q,
            satisfaction_question=satisfaction_q,
            policy=policy if label == "A" else None,
            order=order,
        )
    return survey, questions


def test_survey_matrix_reads_the_tally_and_agrees_with_the_known_dataset(matrix_survey):
    survey, _questions = matrix_survey
    tally = survey_tally_get(consultation=survey)
    items, matrix = survey_matrix(consultation=survey, tally=tally, min_cell=1)
    assert [item.label for item in items] == ["A", "B", "C", "D"]
    got = {p.label: (p.importance, p.satisfaction, p.quadrant, p.quadrant_label) for p in matrix.points}
    assert got == EXPECTED
    [scale] = survey_matrix_scales(items=items)
    assert scale["points"][0] == ("そう思う", "+2") and scale["points"][-1] == ("そう思わない", "−2")
    assert scale["left_out"] == ["わからない"]


def test_staff_results_page_shows_the_matrix_table_and_scatter(client, matrix_survey, kikaku, settings):
    settings.KOE_SURVEY_MIN_CELL = 1
    survey, _questions = matrix_survey
    client.force_login(StaffUserFactory(roles=[DEPARTMENT_STAFF], department=kikaku))
    html = client.get(f"/staff/surveys/{survey.pk}/results/").content.decode()
    assert "重要度×満足度の表（平均ポイント）" in html and "<svg" in html
    assert "重要度 0.11、満足度 -0.06" in html  # the axes, stated
    for name, (mean_importance, mean_satisfaction, _key, label) in EXPECTED.items():
        row = html[html.index(f"</span> {name}</th>") :]
        row = row[: row.index("</tr>")]
        n_importance, n_satisfaction = (5, 4) if name == "A" else (4, 4)
        assert f'<td class="num">{mean_importance}<br>（n={n_importance}）</td>' in row
        assert f'<td class="num">{mean_satisfaction}<br>（n={n_satisfaction}）</td>' in row
        assert f"<td>{label}</td>" in row
    # The choices' labels are marked as Japanese (lang="ja") inside the translated sentence.
    text = re.sub(r"<[^>]+>", "", html)
    assert "「そう思う」+2点" in text and "「わからない」と無回答は平均に含めません" in text


def test_labels_are_escaped_in_the_chart_and_the_table(client, matrix_survey, kikaku, settings):
    settings.KOE_SURVEY_MIN_CELL = 1
    survey, _questions = matrix_survey
    item = SurveyMatrixItem.objects.get(consultation=survey, label="A")
    SurveyMatrixItem.objects.filter(pk=item.pk).update(label='<script>alert("x")</script>&町会')
    client.force_login(StaffUserFactory(roles=[KOUCHOU]))
    html = client.get(f"/staff/surveys/{survey.pk}/results/").content.decode()
    assert "<script>alert" not in html
    # The table's row header and the chart's <title> carry it escaped; the chart's
    # own label is shortened to fit (…), escaped too.
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;町会" in html
    assert "&lt;script&gt;…" in html


def test_matrix_item_questions_must_be_two_scale_questions_of_the_survey(matrix_survey):
    survey, questions = matrix_survey
    single = QuestionFactory(consultation=survey, number=99, labels=["はい", "いいえ"])
    other_survey_q = scale_question(ConsultationFactory(survey=True), number=1)
    importance_q, satisfaction_q = questions["A"]
    for label, importance, satisfaction, field in (
        ("単一回答", single, satisfaction_q, "importance_question"),
        ("別の調査", importance_q, other_survey_q, "satisfaction_question"),
        ("同じ設問", importance_q, importance_q, "satisfaction_question"),
        ("A", importance_q, satisfaction_q, "label"),  # the name is taken
    ):
        with pytest.raises(ValidationError) as exc:
            survey_matrix_item_create(
                consultation=survey,
                actor=None,
                label=label,
                importance_question=importance,
                satisfaction_question=satisfaction,
            )
        assert field in exc.value.error_dict, (label, exc.value.error_dict)
    assert SurveyMatrixItem.objects.filter(consultation=survey).count() == 4
    assert AuditEvent.objects.filter(action="survey_matrix_item.create").count() == 4


def test_matrix_items_cannot_change_once_the_results_are_published(matrix_survey):
    survey, questions = matrix_survey
    consultation_close(consultation=survey)
    kouchou = StaffUserFactory(roles=[KOUCHOU])
    survey_results_publish(consultation=survey, actor=kouchou)
    importance_q, satisfaction_q = questions["A"]
    with pytest.raises(ValidationError):
        survey_matrix_item_create(
            consultation=survey,
            actor=kouchou,
            label="新しい項目",
            importance_question=importance_q,
            satisfaction_question=satisfaction_q,
        )
    with pytest.raises(ValidationError):
        survey_matrix_item_delete(item=SurveyMatrixItem.objects.filter(consultation=survey).first(), actor=kouchou)
    assert SurveyMatrixItem.objects.filter(consultation=survey).count() == 4


def test_staff_page_adds_edits_and_deletes_items_for_the_survey_s_department(client, matrix_survey, kikaku):
    survey, questions = matrix_survey
    importance_q, satisfaction_q = questions["B"]
    staff = StaffUserFactory(roles=[DEPARTMENT_STAFF], department=kikaku)
    client.force_login(staff)
    url = f"/staff/surveys/{survey.pk}/matrix/"
    page = client.get(url).content.decode()
    assert "項目を追加" in page and "問2" in page
    bad = client.post(url, {"label": "", "importance_question": importance_q.pk, "satisfaction_question": ""})
    assert bad.status_code == HTTPStatus.BAD_REQUEST and "項目名を入力してください" in bad.content.decode()
    response = client.post(
        url,
        {
            "label": "公園の整備",
            "importance_question": importance_q.pk,
            "satisfaction_question": satisfaction_q.pk,
            "order": 9,
        },
    )
    assert response.status_code == HTTPStatus.FOUND
    item = SurveyMatrixItem.objects.get(consultation=survey, label="公園の整備")
    event = AuditEvent.objects.get(action="survey_matrix_item.create", target_id=str(item.pk))
    assert event.actor == staff and event.after["importance_question"] == importance_q.number
    edit = client.post(
        f"{url}{item.pk}/",
        {
            "label": "公園・緑地の整備",
            "importance_question": satisfaction_q.pk,
            "satisfaction_question": importance_q.pk,
            "order": 1,
        },
    )
    assert edit.status_code == HTTPStatus.FOUND
    item.refresh_from_db()
    assert (item.label, item.importance_question, item.satisfaction_question) == (
        "公園・緑地の整備",
        satisfaction_q,
        importance_q,
    )
    assert AuditEvent.objects.get(action="survey_matrix_item.update").before["label"] == "公園の整備"
    assert client.post(f"{url}{item.pk}/delete/").status_code == HTTPStatus.FOUND
    assert not SurveyMatrixItem.objects.filter(pk=item.pk).exists()
    assert AuditEvent.objects.filter(action="survey_matrix_item.delete").count() == 1

    # Another 課's staff do not see the survey at all.
    client.force_login(StaffUserFactory(roles=[DEPARTMENT_STAFF], department=DepartmentFactory(code="doro")))
    assert client.get(url).status_code == HTTPStatus.NOT_FOUND
