"""応募資格 of a 公募委員: the rules of japanese-practice §4.2, each a reason in words.

Pure functions over plain values, so every boundary is testable without a
database; committees.services.applications gathers the facts (the
registry's seats and terms) and stores the result on the application.
An application that fails a rule is kept and counted among all
applicants, flagged with every reason that applies.
"""

import datetime
import unicodedata
from dataclasses import dataclass, field

from django.utils.translation import gettext as _


def person_key(name: str) -> str:
    """The name as a matching key: NFKC, without any space (山田 太郎 = 山田　太郎 = 山田太郎)."""
    return "".join(unicodedata.normalize("NFKC", name or "").split())


def legal_age(birth_date: datetime.date, on: datetime.date) -> int:
    """Age on ``on`` under 年齢計算ニ関スル法律: a year is added at the end of the day before the birthday.

    So someone born on 4月2日 is already one year older on 4月1日 — the
    rule that makes 4月1日生まれ a school year earlier. A birthday on 2月29日
    is reached at the end of 2月28日 in a common year.
    """
    age = on.year - birth_date.year
    # The day before the birthday in the year of ``on`` (28 Feb for 29 Feb).
    try:
        birthday = birth_date.replace(year=on.year)
    except ValueError:
        birthday = datetime.date(on.year, 3, 1)
    if on < birthday - datetime.timedelta(days=1):
        age -= 1
    return age


@dataclass(frozen=True)
class Term:
    """One seat held: the committee and the term's first and last day."""

    committee_id: int
    start: datetime.date
    end: datetime.date


@dataclass(frozen=True)
class Rules:
    min_age: int
    age_on: datetime.date
    residence_allowed: tuple[str, ...]
    exclude_city_staff: bool
    exclude_councillors: bool
    max_concurrent_seats: int
    max_tenure_years: int
    committee_id: int
    term_start: datetime.date


@dataclass(frozen=True)
class Facts:
    birth_date: datetime.date
    residence: str
    is_city_staff: bool
    is_councillor: bool
    declaration: bool
    terms: tuple[Term, ...] = ()  # every seat this person holds or held, from the registry


@dataclass(frozen=True)
class CapCheck:
    """The 兼職 and 在任期間 caps against one new term: the counts, the caps, and whether each is reached.

    A cap is reached when the seats already held on the 委嘱日 are at least
    the cap (a 4th committee under a cap of 3), or when the months already
    served on this committee are at least the cap in years. Reaching a cap
    makes an applicant ineligible; a seat given beyond it is an exception
    (例外), recorded with its reason and counted in public.
    """

    concurrent_seats: int
    tenure_months: int
    max_concurrent_seats: int
    max_tenure_years: int

    @property
    def over_concurrent_cap(self) -> bool:
        return self.concurrent_seats >= self.max_concurrent_seats

    @property
    def over_tenure_cap(self) -> bool:
        return self.tenure_months >= self.max_tenure_years * 12

    @property
    def exceeded(self) -> bool:
        return self.over_concurrent_cap or self.over_tenure_cap

    @property
    def reasons(self) -> list[str]:
        reasons = []
        if self.over_concurrent_cap:
            reasons.append(
                _("委嘱日に既に%(seats)s つの附属機関等の委員を務めています（兼職は%(max)s つまで）。")
                % {"seats": self.concurrent_seats, "max": self.max_concurrent_seats}
            )
        if self.over_tenure_cap:
            reasons.append(
                _("この附属機関での在任が通算%(years)s年%(months)sか月で、上限の%(max)s年に達しています。")
                % {
                    "years": self.tenure_months // 12,
                    "months": self.tenure_months % 12,
                    "max": self.max_tenure_years,
                }
            )
        return reasons


@dataclass
class Result:
    eligible: bool
    reasons: list[str] = field(default_factory=list)
    concurrent_seats: int = 0
    tenure_months: int = 0
    caps: CapCheck | None = None


def _months(start: datetime.date, end: datetime.date) -> int:
    """Whole months from ``start`` up to the day before ``end`` (a term of 4/1–3/31 is 12)."""
    if end <= start:
        return 0
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - (1 if end.day < start.day else 0)


def concurrent_seats(terms: tuple[Term, ...], on: datetime.date) -> int:
    """Seats held on ``on`` (the new term's first day), each committee once."""
    return len({term.committee_id for term in terms if term.start <= on <= term.end})


def tenure_months(terms: tuple[Term, ...], *, committee_id: int, before: datetime.date) -> int:
    """Months served on this committee before ``before`` (overlapping terms counted once)."""
    months = 0
    covered_until = None
    for term in sorted((t for t in terms if t.committee_id == committee_id), key=lambda t: t.start):
        start = max(term.start, covered_until) if covered_until else term.start
        end = min(term.end + datetime.timedelta(days=1), before)
        if end > start:
            months += _months(start, end)
            covered_until = end
    return months


def caps_check(
    terms: tuple[Term, ...],
    *,
    committee_id: int | None,
    on: datetime.date,
    max_concurrent_seats: int,
    max_tenure_years: int,
) -> CapCheck:
    """The 兼職 and 在任期間 counts for a term on ``committee_id`` starting ``on``, against the caps."""
    return CapCheck(
        concurrent_seats=concurrent_seats(terms, on),
        tenure_months=tenure_months(terms, committee_id=committee_id, before=on) if committee_id else 0,
        max_concurrent_seats=max_concurrent_seats,
        max_tenure_years=max_tenure_years,
    )


def check(rules: Rules, facts: Facts) -> Result:
    """Apply every rule; the application is eligible when no reason is found."""
    reasons = []
    age = legal_age(facts.birth_date, rules.age_on)
    if age < rules.min_age:
        reasons.append(
            _("%(date)s時点で%(min)s歳以上の方が対象です（%(date)s時点で%(age)s歳）。")
            % {"date": f"{rules.age_on:%Y年%-m月%-d日}", "min": rules.min_age, "age": age}
        )
    if facts.residence not in rules.residence_allowed:
        reasons.append(_("市内在住・在勤・在学など、この公募の応募資格の区分に当たりません。"))
    if rules.exclude_city_staff and facts.is_city_staff:
        reasons.append(_("市職員は応募できません。"))
    if rules.exclude_councillors and facts.is_councillor:
        reasons.append(_("市議会議員は応募できません。"))
    if not facts.declaration:
        reasons.append(_("応募資格を満たすことの申告がありません。"))
    caps = caps_check(
        facts.terms,
        committee_id=rules.committee_id,
        on=rules.term_start,
        max_concurrent_seats=rules.max_concurrent_seats,
        max_tenure_years=rules.max_tenure_years,
    )
    reasons.extend(caps.reasons)
    return Result(
        eligible=not reasons,
        reasons=reasons,
        concurrent_seats=caps.concurrent_seats,
        tenure_months=caps.tenure_months,
        caps=caps,
    )
