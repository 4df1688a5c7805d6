"""The 応募倍率 report and the members' composition: public, counts only.

The span of 年度 runs from the earliest of the first 公募 and the plan's
five-year window up to the later of the current 年度 and the window's end,
so a year without a 公募 is a row of its own. The five-year figures are
over the plan's window (今後5年: the five 年度 ending with the indicator's
target year) when the plan has an indicator measured by the committees app,
else over the five 年度 ending with the current one.

例外件数 (seats given beyond the 兼職 or 在任期間 cap, each kind counted
apart; one seat beyond both counts in both) are counted per 年度 of the
委嘱日 (the term's first day) beside the 応募倍率, and among the members
serving now in the composition. A 年度 with exceptions but no 公募 extends
the published table, not the indicator's years.
"""

import datetime
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

from committees import ratios
from committees.models import AgeBand, Application, Committee, CommitteeMember, Gender
from committees.selectors import round_counts
from core.wareki import fiscal_year
from plans.models import Indicator

WINDOW_YEARS = 5


def applicant_ratio_indicators() -> list[Indicator]:
    """The 目標指標 whose values the committees app computes (公募委員の応募倍率)."""
    return list(Indicator.objects.filter(measurement=Indicator.Measurement.COMMITTEES).order_by("pk"))


@dataclass(frozen=True)
class ExceptionCount:
    """例外件数 of one 年度 (or of the members serving now): seats beyond each cap."""

    concurrent_seats: int = 0
    tenure: int = 0

    def as_json(self) -> dict:
        return {"concurrent_seats": self.concurrent_seats, "tenure": self.tenure}


NO_EXCEPTION = ExceptionCount()


def exception_counts(*, committee: Committee | None = None) -> dict[int, ExceptionCount]:
    """Per 年度 of the 委嘱日: seats recorded beyond the 兼職 cap and beyond the 在任期間 cap."""
    members = CommitteeMember.objects.filter(Q(over_concurrent_cap=True) | Q(over_tenure_cap=True))
    if committee is not None:
        members = members.filter(committee=committee)
    concurrent, tenure = Counter(), Counter()
    for term_start, over_concurrent, over_tenure in members.values_list(
        "term_start", "over_concurrent_cap", "over_tenure_cap"
    ):
        year = fiscal_year(term_start)
        concurrent[year] += int(over_concurrent)
        tenure[year] += int(over_tenure)
    return {
        year: ExceptionCount(concurrent_seats=concurrent[year], tenure=tenure[year]) for year in concurrent | tenure
    }


@dataclass(frozen=True)
class RatioReport:
    baseline: Decimal | None
    baseline_label: str
    indicator: Indicator | None
    years: list[ratios.YearFigure]
    window_first: int
    window_last: int
    ratio_first: int = 0  # the 応募倍率's own span (the indicator's years); ``years`` may reach wider for 例外件数
    ratio_last: int = 0
    exceptions: dict[int, ExceptionCount] | None = None

    @property
    def ratio_years(self) -> list[ratios.YearFigure]:
        """The years the plan's indicator is written for: the 応募倍率's span, without years added for 例外件数."""
        return [y for y in self.years if self.ratio_first <= y.fiscal_year <= self.ratio_last]

    def exceptions_of(self, fiscal_year: int) -> ExceptionCount:
        return (self.exceptions or {}).get(fiscal_year, NO_EXCEPTION)

    @property
    def window(self) -> list[ratios.YearFigure]:
        return [y for y in self.years if self.window_first <= y.fiscal_year <= self.window_last]

    @property
    def five_year_mean(self) -> Decimal | None:
        return ratios.half_up(ratios.span_mean(self.window))

    @property
    def five_year_pooled(self) -> Decimal | None:
        return ratios.half_up(ratios.span_pooled(self.window))

    def as_json(self) -> dict:
        def number(value):
            return None if value is None else float(value)

        return {
            "baseline": number(self.baseline),
            "baseline_label": self.baseline_label,
            "window": {"first": self.window_first, "last": self.window_last},
            "years": [
                {
                    "fiscal_year": y.fiscal_year,
                    "rounds": y.rounds,
                    "seats": y.seats,
                    "applicants": y.applicants,
                    "eligible_applicants": y.eligible_applicants,
                    "ratio_all": number(ratios.half_up(y.ratio_all)),
                    "ratio_eligible": number(ratios.half_up(y.ratio_eligible)),
                    "exceptions": self.exceptions_of(y.fiscal_year).as_json(),
                }
                for y in self.years
            ],
            "five_year_mean": number(self.five_year_mean),
            "five_year_pooled": number(self.five_year_pooled),
        }


def ratio_report(*, committee: Committee | None = None, today: datetime.date | None = None) -> RatioReport:
    counts = round_counts(committee=committee)
    current = fiscal_year(today or timezone.localdate())
    indicators = applicant_ratio_indicators()
    indicator = indicators[0] if indicators else None
    last = indicator.target_fiscal_year if indicator else current
    first_window = last - WINDOW_YEARS + 1
    first = min([c.fiscal_year for c in counts] + [first_window])
    ratio_last = max(current, last, *[c.fiscal_year for c in counts])
    exceptions = exception_counts(committee=committee)
    return RatioReport(
        baseline=indicator.baseline_value if indicator else None,
        baseline_label=indicator.baseline_year_label if indicator else "",
        indicator=indicator,
        years=ratios.years_tally(counts, first=min([first, *exceptions]), last=max([ratio_last, *exceptions])),
        window_first=first_window,
        window_last=last,
        ratio_first=first,
        ratio_last=ratio_last,
        exceptions=exceptions,
    )


def ratio_rows_by_committee() -> list[dict]:
    """Per committee: rounds, seats, applicants (all / eligible), ratios and 選任数 by gender.

    Two queries for the whole city (the rounds' counts, the appointments), not two per committee.
    """
    by_committee: dict[int, list[ratios.RoundCount]] = {}
    for count in round_counts():
        by_committee.setdefault(count.committee_id, []).append(count)
    appointed = Counter(
        Application.objects.filter(round__published=True, outcome=Application.Outcome.APPOINTED).values_list(
            "round__committee_id", "gender"
        )
    )
    rows = []
    for committee in Committee.objects.filter(pk__in=by_committee).order_by("order", "name"):
        counts = by_committee[committee.pk]
        seats = sum(c.seats for c in counts)
        applicants = sum(c.applicants for c in counts)
        eligible = sum(c.eligible_applicants for c in counts)
        women, men = appointed[(committee.pk, Gender.FEMALE)], appointed[(committee.pk, Gender.MALE)]
        everyone = sum(n for (pk, _gender), n in appointed.items() if pk == committee.pk)
        rows.append(
            {
                "committee": committee,
                "appointed_women": women,
                "appointed_men": men,
                "appointed_other": everyone - women - men,
                "rounds": len(counts),
                "seats": seats,
                "applicants": applicants,
                "eligible_applicants": eligible,
                "ratio_all": ratios.half_up(ratios.ratio(applicants, seats)),
                "ratio_eligible": ratios.half_up(ratios.ratio(eligible, seats)),
            }
        )
    return rows


# ---- Composition of the members serving now ----


@dataclass(frozen=True)
class Composition:
    committee: Committee | None  # None: every committee together
    members: int
    public_members: int
    women: int
    by_age: dict[str, int]
    female_target: Decimal | None
    exceptions: ExceptionCount = NO_EXCEPTION  # members serving now who hold their seat as an exception

    @property
    def female_share(self) -> Decimal | None:
        return ratios.half_up(ratios.ratio(self.women * 100, self.members), Decimal("0.1"))

    @property
    def public_share(self) -> Decimal | None:
        return ratios.half_up(ratios.ratio(self.public_members * 100, self.members), Decimal("0.1"))

    @property
    def young(self) -> int:
        return self.by_age[AgeBand.UNDER_20] + self.by_age[AgeBand.S20]

    @property
    def middle(self) -> int:
        return self.by_age["30s"] + self.by_age["40s"] + self.by_age["50s"]

    @property
    def senior(self) -> int:
        return self.by_age["60s"] + self.by_age["70s"]

    @property
    def female_target_met(self) -> bool | None:
        if self.female_target is None or self.female_share is None:
            return None
        return self.female_share >= self.female_target


def _default_female_target() -> Decimal | None:
    value = getattr(settings, "KOE_COMMITTEE_FEMALE_TARGET_PERCENT", "")
    return Decimal(str(value)) if value not in ("", None) else None


def composition(*, today: datetime.date | None = None) -> list[Composition]:
    """Members serving on ``today``, per committee and for the city as a whole (last row)."""
    today = today or timezone.localdate()
    serving = CommitteeMember.objects.filter(term_start__lte=today, term_end__gte=today)
    rows = []
    for committee in Committee.objects.order_by("order", "name"):
        rows.append(_composition(serving.filter(committee=committee), committee))
    rows.append(_composition(serving, None))
    return rows


def _composition(members, committee: Committee | None) -> Composition:
    totals = members.aggregate(
        members=Count("pk"),
        public_members=Count("pk", filter=Q(is_public=True)),
        women=Count("pk", filter=Q(gender=Gender.FEMALE)),
        over_concurrent=Count("pk", filter=Q(over_concurrent_cap=True)),
        over_tenure=Count("pk", filter=Q(over_tenure_cap=True)),
    )
    by_age = dict(members.values_list("age_band").annotate(n=Count("pk")).values_list("age_band", "n"))
    target = committee.female_target_percent if committee and committee.female_target_percent is not None else None
    return Composition(
        committee=committee,
        members=totals["members"],
        public_members=totals["public_members"],
        women=totals["women"],
        by_age={band: by_age.get(band, 0) for band in AgeBand.values},
        female_target=target if target is not None else _default_female_target(),
        exceptions=ExceptionCount(concurrent_seats=totals["over_concurrent"], tenure=totals["over_tenure"]),
    )
