"""Recompute a survey's stored tallies with SQL aggregation."""

from __future__ import annotations

from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Exists, Max, OuterRef, Q
from django.utils import timezone

from consultations.models import Consultation
from core.models import District
from core.services import audit_record
from feedback.models import AgeBand, Answer, Gender, Household, Occupation, ResidenceYears, Submission
from results.models.survey import SurveyTally, SurveyTallyRow

ROW_BATCH_SIZE = 1000


def _buckets() -> list[tuple[str, str, dict]]:
    """Return (attribute, stored value, Submission lookup) for every value.

    The first bucket is the whole survey (全体). Each attribute's buckets
    partition the responses (blank or unset is its own bucket), so a value
    the levels do not list is still counted in 全体 and appears as excluded
    in cross-tabs, exactly as when every response was tabulated.
    """
    buckets: list[tuple[str, str, dict]] = [("", "", {})]
    for attribute, choices in (
        ("age_band", AgeBand),
        ("gender", Gender),
        ("residence_years", ResidenceYears),
        ("occupation", Occupation),
        ("household", Household),
    ):
        buckets += [(attribute, value, {attribute: value}) for value in [*choices.values, ""]]
    districts = District.objects.order_by("pk").values_list("pk", flat=True)
    buckets += [("district", str(pk), {"district_id": pk}) for pk in districts]
    buckets.append(("district", "", {"district__isnull": True}))
    return buckets


def _bucket_annotations(buckets, *, via: str) -> dict[str, Count]:
    """Return one COUNT per bucket, filtered on the response reached by ``via``."""
    return {
        f"b{index}": Count("pk", filter=Q(**{via + key: value for key, value in lookup.items()}))
        if lookup
        else Count("pk")
        for index, (_attribute, _value, lookup) in enumerate(buckets)
    }


def _bucket_counts(queryset, keys: tuple[str, ...], buckets, *, via: str) -> dict[tuple, list[int]]:
    """Return {key values: [count per bucket]} in one GROUP BY query.

    One scan with a filtered COUNT per attribute value rather than one
    GROUP BY per attribute: joining answers to responses is what costs, so
    it is done once (about 2 s in all for 100,000 responses).
    """
    counts = _bucket_annotations(buckets, via=via)
    rows = queryset.values(*keys).annotate(**counts).order_by().values_list(*keys, *counts)
    return {tuple(row[: len(keys)]): list(row[len(keys) :]) for row in rows}


def _counted(consultation: Consultation, last_id: int, *, via: str) -> Q:
    """Filter the responses that count, as ``survey_responses``, through ``via``."""
    # Joined lookups rather than ``submission__in=survey_responses(...)``:
    # the IN subquery makes PostgreSQL join the responses twice.
    return Q(**{f"{via}consultation": consultation, f"{via}id__lte": last_id}) & ~Q(
        **{f"{via}status": Submission.Status.WITHDRAWN}
    )


def _tally_rows(
    tally: SurveyTally,
    consultation: Consultation,
    last_id: int,
    question_ids: list[int],
) -> tuple[list[SurveyTallyRow], int]:
    """Return the rows of every question and bucket, and the respondents."""
    through = Answer.choices.through
    buckets = _buckets()
    respondents = list(
        Submission.objects.filter(_counted(consultation, last_id, via=""))
        .aggregate(**_bucket_annotations(buckets, via=""))
        .values()
    )
    answers = Answer.objects.filter(_counted(consultation, last_id, via="submission__"))
    # An answer is unique per (submission, question), so counting answers with
    # a chosen option counts the respondents who chose at least one option.
    has_choice = Exists(through.objects.filter(answer_id=OuterRef("pk")))
    answered = _bucket_counts(answers.filter(has_choice), ("question_id",), buckets, via="submission__")
    texts = _bucket_counts(answers.exclude(text=""), ("question_id",), buckets, via="submission__")
    chosen: dict[int, list[tuple[int, list[int]]]] = defaultdict(list)
    for (question_id, choice_id), counts in _bucket_counts(
        through.objects.filter(_counted(consultation, last_id, via="answer__submission__")),
        ("answer__question_id", "choice_id"),
        buckets,
        via="answer__submission__",
    ).items():
        chosen[question_id].append((choice_id, counts))
    zeros = [0] * len(buckets)
    rows = []
    for index, (attribute, value, _lookup) in enumerate(buckets):
        if not respondents[index]:
            continue  # keep the table small: no row for a value nobody has
        for question_id in question_ids:
            n = answered.get((question_id,), zeros)[index]
            rows.append(
                SurveyTallyRow(
                    tally=tally,
                    question_id=question_id,
                    attribute=attribute,
                    value=value,
                    n=n,
                    no_answer=respondents[index] - n,
                    text_answers=texts.get((question_id,), zeros)[index],
                    choice_counts={str(c): counts[index] for c, counts in chosen[question_id] if counts[index]},
                )
            )
    return rows, respondents[0]


@transaction.atomic
def survey_tallies_refresh(*, consultation: Consultation, actor=None) -> SurveyTally:
    """Recompute one survey's tallies from its responses, replacing old rows.

    Withdrawn responses are excluded, as on the results page. A survey whose
    results are published keeps the tally it was published with: refused
    until the publication is taken down (survey_results_unpublish).
    """
    # Imported here: feedback depends on consultations, not the reverse.
    from results.selectors.survey import survey_responses

    if consultation.kind != Consultation.Kind.SURVEY:
        raise ValidationError("アンケートではありません。", code="not_survey")
    if consultation.status == Consultation.Status.PUBLISHED:
        raise ValidationError(
            "調査結果を公表しているため再集計できません。公表を取り消してから再集計してください。",
            code="published",
        )
    tally, _created = SurveyTally.objects.get_or_create(consultation=consultation)
    # The tally row lock serialises concurrent refreshes of one survey without
    # blocking submissions (which never touch it).
    tally = SurveyTally.objects.select_for_update().get(pk=tally.pk)
    # Fix the set of responses up front: submissions committed while the
    # queries run would otherwise be counted by some of them and not others.
    last_id = survey_responses(consultation).aggregate(last=Max("id"))["last"] or 0
    question_ids = list(consultation.questions.values_list("id", flat=True))
    before = {
        "respondents": tally.respondents,
        "computed_at": tally.computed_at.isoformat() if tally.computed_at else None,
    }
    tally.rows.all().delete()
    rows, tally.respondents = _tally_rows(tally, consultation, last_id, question_ids)
    SurveyTallyRow.objects.bulk_create(rows, batch_size=ROW_BATCH_SIZE)
    tally.computed_at = timezone.now()
    tally.save(update_fields=["respondents", "computed_at"])
    audit_record(
        actor=actor,
        action="survey_tallies.refresh",
        target=consultation,
        summary=f"{tally.respondents}件 {len(rows)}行",
        before=before,
        after={"respondents": tally.respondents, "rows": len(rows)},
    )
    return tally
