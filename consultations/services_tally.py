"""Recompute a survey's stored tallies with SQL aggregation."""

from __future__ import annotations

from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Exists, Max, OuterRef, Value
from django.utils import timezone

from core.services import audit_record

from .models import Consultation
from .models_tally import SurveyTally, SurveyTallyRow

# Row attribute → Submission column; "" is the whole survey (全体).
TALLY_GROUPINGS = {
    "": None,
    "age_band": "age_band",
    "gender": "gender",
    "district": "district_id",
    "residence_years": "residence_years",
}
ROW_BATCH_SIZE = 1000


def _value(raw) -> str:
    return "" if raw is None else str(raw)


def _counts(queryset, keys: tuple[str, ...]) -> dict[tuple, int]:
    """Return {key values: count} for one GROUP BY query (the last key as text)."""
    rows = queryset.values(*keys).annotate(c=Count("pk")).order_by().values_list(*keys, "c")
    return {(*row[:-2], _value(row[-2])): row[-1] for row in rows}


def _group_tallies(responses, column: str | None) -> tuple[dict, dict, dict, dict]:
    """Return respondents, answered n, text and choice counts for one grouping.

    Four GROUP BY queries: the database does the counting, so the cost does
    not grow with Python touching each response. Without a column every key
    ends in "" (the whole survey).
    """
    from feedback.models import Answer

    through = Answer.choices.through
    answers = Answer.objects.filter(submission__in=responses)
    chosen_rows = through.objects.filter(answer__submission__in=responses)
    if column is None:
        # The whole survey: every row carries the same constant key.
        own = via_answer = via_through = "_all"
        grouped = responses.annotate(_all=Value(""))
        answers, chosen_rows = answers.annotate(_all=Value("")), chosen_rows.annotate(_all=Value(""))
    else:
        own, via_answer, via_through = column, f"submission__{column}", f"answer__submission__{column}"
        grouped = responses
    respondents = _counts(grouped, (own,))
    # An answer is unique per (submission, question), so counting answers with
    # a chosen option counts the respondents who chose at least one option.
    has_choice = Exists(through.objects.filter(answer_id=OuterRef("pk")))
    answered = _counts(answers.filter(has_choice), ("question_id", via_answer))
    texts = _counts(answers.exclude(text=""), ("question_id", via_answer))
    chosen: dict[tuple, dict[str, int]] = defaultdict(dict)
    for (question_id, choice_id, value), count in _counts(
        chosen_rows, ("answer__question_id", "choice_id", via_through)
    ).items():
        chosen[(question_id, value)][str(choice_id)] = count
    return respondents, answered, texts, chosen


def _tally_rows(tally: SurveyTally, responses, question_ids: list[int]) -> list[SurveyTallyRow]:
    rows = []
    for attribute, column in TALLY_GROUPINGS.items():
        respondents, answered, texts, chosen = _group_tallies(responses, column)
        for (value,), group_size in respondents.items():
            for question_id in question_ids:
                n = answered.get((question_id, value), 0)
                rows.append(SurveyTallyRow(
                    tally=tally, question_id=question_id, attribute=attribute, value=value,
                    n=n, no_answer=group_size - n, text_answers=texts.get((question_id, value), 0),
                    choice_counts=chosen.get((question_id, value), {}),
                ))
    return rows


@transaction.atomic
def survey_tallies_refresh(*, consultation: Consultation, actor=None) -> SurveyTally:
    """Recompute one survey's tallies from its responses, replacing old rows.

    Withdrawn responses are excluded, as on the results page.
    """
    # Imported here: feedback depends on consultations, not the reverse.
    from .selectors_survey import survey_responses

    if consultation.kind != Consultation.Kind.SURVEY:
        raise ValidationError("アンケートではありません。", code="not_survey")
    tally, _created = SurveyTally.objects.get_or_create(consultation=consultation)
    # The tally row lock serialises concurrent refreshes of one survey without
    # blocking submissions (which never touch it).
    tally = SurveyTally.objects.select_for_update().get(pk=tally.pk)
    responses = survey_responses(consultation)
    # Fix the set of responses up front: submissions committed while the
    # queries run would otherwise be counted by some of them and not others.
    last_id = responses.aggregate(last=Max("id"))["last"] or 0
    responses = responses.filter(id__lte=last_id)
    question_ids = list(consultation.questions.values_list("id", flat=True))
    before = {"respondents": tally.respondents,
              "computed_at": tally.computed_at.isoformat() if tally.computed_at else None}
    tally.rows.all().delete()
    rows = _tally_rows(tally, responses, question_ids)
    SurveyTallyRow.objects.bulk_create(rows, batch_size=ROW_BATCH_SIZE)
    tally.respondents = responses.count()
    tally.computed_at = timezone.now()
    tally.save(update_fields=["respondents", "computed_at"])
    audit_record(
        actor=actor, action="survey_tallies.refresh", target=consultation,
        summary=f"{tally.respondents}件 {len(rows)}行",
        before=before, after={"respondents": tally.respondents, "rows": len(rows)},
    )
    return tally
