"""Reads for running a sampled survey: its invitation-code issues and the
response rate before and after each 督促 (reminder) wave."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from consultations.models import Consultation, InvitationBatch, InvitationCode, ReminderWave
from plans.indicator_math import percent
from results.selectors.survey import survey_responses


def invitation_batches_for(*, survey: Consultation) -> list[InvitationBatch]:
    """The survey's issues, oldest first, each with ``used`` (codes used so far) and ``number`` (第N回)."""
    batches = list(
        InvitationBatch.objects.filter(consultation=survey)
        .select_related("issued_by")
        .annotate(used=Count("codes", filter=Q(codes__used_at__isnull=False)))
        .order_by("issued_at", "id")
    )
    for number, batch in enumerate(batches, start=1):
        batch.number = number
    return batches


@dataclass(frozen=True)
class WaveRow:
    """One period of the survey: before the first 督促, or from one 督促 to the next."""

    label: str
    wave: ReminderWave | None
    starts_on: datetime.date | None
    ends_on: datetime.date | None  # the day before the next wave; None while it runs
    responses: int
    rate: Decimal | None
    cumulative: int
    cumulative_rate: Decimal | None


@dataclass(frozen=True)
class WaveRates:
    base: int | None  # the denominator: invitation codes issued, else 標本数
    basis: str  # "invitation_codes" | "sample_size" | ""
    rows: list[WaveRow]
    total: int
    total_rate: Decimal | None


def _base(survey: Consultation) -> tuple[int | None, str]:
    if survey.invitation_required:
        issued = InvitationCode.objects.filter(consultation=survey).count()
        if issued:
            return issued, "invitation_codes"
    if survey.sample_size:
        return survey.sample_size, "sample_size"
    return None, ""


def _responses_by_day(survey: Consultation) -> dict[datetime.date, int]:
    """Responses per day of arrival: a paper one's 到着日, else the day it was sent (JST)."""
    day = Coalesce("received_on", TruncDate("submitted_at", tzinfo=timezone.get_current_timezone()))
    rows = survey_responses(survey).annotate(day=day).values("day").annotate(n=Count("pk")).order_by()
    return {row["day"]: row["n"] for row in rows}


def survey_wave_rates(*, survey: Consultation) -> WaveRates:
    """回収率 overall and per 督促 wave: the responses that arrived in each period ÷ codes issued.

    The periods are split at each wave's 発送日: a response that arrived
    on or after it and before the next wave belongs to that wave. Paper
    responses are dated by their 到着日, so one entered late still counts
    where it arrived. The denominator is every invitation code issued (the
    voided ones excluded), or the 標本数 for a survey without codes.
    """
    base, basis = _base(survey)
    waves = list(ReminderWave.objects.filter(consultation=survey).order_by("sent_on", "id"))
    by_day = _responses_by_day(survey)
    starts = [timezone.localdate(survey.opens_at) if survey.opens_at else None] + [w.sent_on for w in waves]
    rows: list[WaveRow] = []
    cumulative = 0

    def rate(count: int) -> Decimal | None:
        return percent(count, base) if base else None

    for index, start in enumerate(starts):
        end = starts[index + 1] if index + 1 < len(starts) else None
        count = sum(
            n
            for day, n in by_day.items()
            # The first period also takes anything dated before the survey opened.
            if (index == 0 or day >= start) and (end is None or day < end)
        )
        cumulative += count
        wave = waves[index - 1] if index else None
        label = (
            _("第%(n)s回督促（%(count)s通）") % {"n": index, "count": f"{wave.sent_count:,}"}
            if wave
            else _("督促の前（依頼状の発送後）")
        )
        rows.append(
            WaveRow(
                label=label,
                wave=wave,
                starts_on=start,
                ends_on=end - datetime.timedelta(days=1) if end else None,
                responses=count,
                rate=rate(count),
                cumulative=cumulative,
                cumulative_rate=rate(cumulative),
            )
        )
    return WaveRates(base=base, basis=basis, rows=rows, total=cumulative, total_rate=rate(cumulative))
