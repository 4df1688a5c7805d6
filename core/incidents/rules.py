"""報告義務 and deadlines of a 漏えい等事案, for a 地方公共団体の機関 (a 行政機関等).

Pure functions, no Django, so the table of triggers is tested alone.

個人情報保護法68条1項: the head of a 行政機関等 reports to the
個人情報保護委員会 a 漏えい, 滅失 or 毀損 (or its おそれ) of 保有個人情報 that
施行規則43条 names; 68条2項: the persons concerned are notified as well,
unless that is difficult and a measure protecting them takes its place.
施行規則43条, as it reads for 行政機関等 (the 事業者 rule, 規則7条, differs
in one number: 1,000人):

- 1号 要配慮個人情報 is among the data (any number of persons);
- 2号 the data could be misused to cause 財産的被害 (any number);
- 3号 it may have been done with 不正の目的 (an attack, theft, taking
  data out; any number);
- 4号 more than 100 persons (``PERSON_THRESHOLD``: 100 is not, 101 is);
- 5号 条例要配慮個人情報 (of a 地方公共団体's own 施行条例) is among the data.

Data protected by 高度な暗号化 or a like measure (the key not leaked with
it) is left out of every item. The report is in two stages (規則44条): a
速報 「速やかに」 after the 発覚 — the 委員会's guidance reads it as about 3
to 5 days (``PRELIMINARY_GUIDANCE_DAYS``), a target, not a term of the
rule — and a 確報 within 30 days of the 発覚, 60 for 3号. Days are counted
with the day of the 発覚 as day 1 and 土日祝 included (the earlier of the
two ways of reading 「以内」, so the date shown is never late).
"""

import datetime
import enum
from dataclasses import dataclass

PERSON_THRESHOLD = 100  # 施行規則43条4号 (行政機関等): 本人の数が百人を超える
PRELIMINARY_GUIDANCE_DAYS = (3, 5)  # 速報「速やかに」: the 委員会's guidance, 概ね3〜5日
FINAL_REPORT_DAYS = 30  # 施行規則44条2項
FINAL_REPORT_DAYS_IMPROPER_PURPOSE = 60  # the same, for 43条3号


class Trigger(enum.StrEnum):
    """The items of 施行規則43条 (行政機関等), in the order of the rule."""

    SENSITIVE = "sensitive"
    FINANCIAL_HARM = "financial_harm"
    IMPROPER_PURPOSE = "improper_purpose"
    OVER_THRESHOLD = "over_threshold"
    ORDINANCE_SENSITIVE = "ordinance_sensitive"


# (what the item says, where it is written)
TRIGGER_TEXT = {
    Trigger.SENSITIVE: ("要配慮個人情報が含まれる", "施行規則43条1号"),
    Trigger.FINANCIAL_HARM: ("不正に利用されることにより財産的被害が生じるおそれがある", "施行規則43条2号"),
    Trigger.IMPROPER_PURPOSE: ("不正の目的をもって行われたおそれがある", "施行規則43条3号"),
    Trigger.OVER_THRESHOLD: (f"本人の数が{PERSON_THRESHOLD}人を超える", "施行規則43条4号"),
    Trigger.ORDINANCE_SENSITIVE: ("条例要配慮個人情報が含まれる", "施行規則43条5号"),
}


@dataclass(frozen=True)
class Facts:
    """What staff recorded about the incident, as the rule reads it."""

    sensitive: bool = False
    financial_harm: bool = False
    improper_purpose: bool = False
    persons: int = 0  # 本人の数 (an estimate counts: 「おそれ」 is enough)
    ordinance_sensitive: bool = False
    protected: bool = False  # 高度な暗号化その他の措置: left out of every item


@dataclass(frozen=True)
class Evaluation:
    matched: tuple[Trigger, ...]  # the items the facts meet
    protected: bool  # …and the data was protected, so none of them applies

    @property
    def triggers(self) -> tuple[Trigger, ...]:
        """The items that make the incident reportable."""
        return () if self.protected else self.matched

    @property
    def reportable(self) -> bool:
        """True when the 委員会 must be told and the persons notified (68条)."""
        return bool(self.triggers)

    @property
    def long_final_term(self) -> bool:
        """True when the 確報 has 60 days (43条3号 applies)."""
        return Trigger.IMPROPER_PURPOSE in self.triggers


def triggers_evaluate(facts: Facts) -> Evaluation:
    """Which items of 施行規則43条 the facts meet, and whether the incident is reportable."""
    met = {
        Trigger.SENSITIVE: facts.sensitive,
        Trigger.FINANCIAL_HARM: facts.financial_harm,
        Trigger.IMPROPER_PURPOSE: facts.improper_purpose,
        Trigger.OVER_THRESHOLD: facts.persons > PERSON_THRESHOLD,
        Trigger.ORDINANCE_SENSITIVE: facts.ordinance_sensitive,
    }
    return Evaluation(matched=tuple(t for t in Trigger if met[t]), protected=facts.protected)


def day_number(discovered_on: datetime.date, n: int) -> datetime.date:
    """The n-th day counted from the 発覚日 as day 1."""
    return discovered_on + datetime.timedelta(days=n - 1)


@dataclass(frozen=True)
class Deadlines:
    discovered_on: datetime.date
    preliminary_from: datetime.date  # 速報の目安: 3日目
    preliminary_by: datetime.date  # …5日目 (guidance, not a term of the rule)
    final_by: datetime.date  # 確報: 30日目, or 60日目
    final_days: int


def deadlines_compute(*, discovered_on: datetime.date, improper_purpose: bool) -> Deadlines:
    """The 速報 target and the 確報 term counted from the 発覚日 (day 1)."""
    first, last = PRELIMINARY_GUIDANCE_DAYS
    days = FINAL_REPORT_DAYS_IMPROPER_PURPOSE if improper_purpose else FINAL_REPORT_DAYS
    return Deadlines(
        discovered_on=discovered_on,
        preliminary_from=day_number(discovered_on, first),
        preliminary_by=day_number(discovered_on, last),
        final_by=day_number(discovered_on, days),
        final_days=days,
    )


def days_left(due: datetime.date, today: datetime.date) -> int:
    """Days from today to the due date: 0 on the day itself, negative once past."""
    return (due - today).days
