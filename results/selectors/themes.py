"""The theme report (#14) on a consultation's public results page, and its CSV of 受付番号 → テーマ.

What residents may see of a consultation's themes is decided here:

- only once the results are published and 広聴 approved one run
  (``nlp.services.theme_run_publish``, which screened every label and key
  phrase for personal data);
- the labels, key phrases, counts and the map of ``nlp.theme_page`` (the
  workbench's own figures), with withdrawn submissions left out;
- up to three representative opinions per theme, in the masked text the
  theme was computed from, and only those whose masked text passes the
  personal-data screen the published table's texts pass
  (``nlp.screening.public_text_screen``: no name, address, phone number… and
  no placeholder such as 〇〇 left by masking) and that are not part of a
  意見要旨 staff withheld from publication. Any other representative is
  simply not shown.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy

from consultations.models import Consultation
from nlp.models import ThemeRun
from nlp.screening import PublicText, public_text_screen
from nlp.selectors import latest_masked_texts, theme_run_published, theme_run_submissions
from nlp.theme_page import theme_numbers, theme_page
from opinions.models import OpinionItem

REPRESENTATIVES_SHOWN = 3
# A representative is quoted up to this many characters (the whole text was screened).
REPRESENTATIVE_MAX_CHARS = 300
UNASSIGNED_LABEL = gettext_lazy("どのテーマにも入らなかった")
REPRESENTATIVE_LABEL = gettext_lazy("代表的な意見")

# (ASCII field name, Japanese label) of the CSV/XLSX columns, in order.
THEME_FIELDS = (
    ("receipt_number", "受付番号"),
    ("theme_number", "テーマ番号"),
    ("theme", "テーマ"),
    ("parent_theme", "上位テーマ"),
)


@dataclass(frozen=True)
class PublicSubTheme:
    number: str
    label: str
    count: int


@dataclass(frozen=True)
class PublicTheme:
    number: str
    label: str
    count: int
    campaign_copies: int
    key_phrases: list[str]
    subthemes: list[PublicSubTheme]
    representatives: list[str]


@dataclass(frozen=True)
class PublicThemeReport:
    consultation: Consultation
    run: ThemeRun
    rows: list[PublicTheme]
    map: dict
    total: int
    unassigned: int

    @property
    def approved_on(self) -> datetime.date | None:
        return timezone.localdate(self.run.published_at) if self.run.published_at else None

    @property
    def computed_on(self) -> datetime.date | None:
        return timezone.localdate(self.run.finished_at) if self.run.finished_at else None

    @property
    def has_representatives(self) -> bool:
        return any(row.representatives for row in self.rows)


def _results_published(consultation: Consultation) -> bool:
    return (
        consultation.kind == Consultation.Kind.PUBLIC_COMMENT and consultation.status == Consultation.Status.PUBLISHED
    )


def theme_run_public(*, consultation: Consultation) -> ThemeRun | None:
    """The run residents may see: approved by 広聴, on a consultation whose results are published."""
    if not _results_published(consultation):
        return None
    return theme_run_published(consultation=consultation)


def _counted_ids(run: ThemeRun) -> set[int]:
    """The run's submissions still counted (a withdrawal after the run leaves it out)."""
    return set(theme_run_submissions(run).values_list("pk", flat=True))


def _excerpt(text: str) -> str:
    text = text.strip()
    return text if len(text) <= REPRESENTATIVE_MAX_CHARS else text[:REPRESENTATIVE_MAX_CHARS] + "…"


def representatives_public(*, submission_ids: list[int]) -> dict[int, str]:
    """The masked texts of these submissions that may be shown to residents, by id.

    A text is left out when the screen finds personal data or a masking
    placeholder in it, when it has no masked text yet, or when its
    submission is in a 意見要旨 withheld from publication.
    """
    if not submission_ids:
        return {}
    texts = latest_masked_texts(submission_ids=submission_ids)
    withheld = set(
        OpinionItem.objects.filter(submission_id__in=submission_ids, group__withheld=True).values_list(
            "submission_id", flat=True
        )
    )
    shown = {}
    for pk in submission_ids:
        text = texts.get(pk, "")
        if not text.strip() or pk in withheld:
            continue
        if public_text_screen([PublicText(str(REPRESENTATIVE_LABEL), text)]):
            continue
        shown[pk] = _excerpt(text)
    return shown


def theme_report_published(*, consultation: Consultation) -> PublicThemeReport | None:
    """The public theme report of a consultation, or None when there is none to show."""
    run = theme_run_public(consultation=consultation)
    if run is None:
        return None
    page = theme_page(run, {})
    counted = _counted_ids(run)
    numbers = theme_numbers(run)
    candidates = {
        row["theme"]["id"]: [pk for pk in row["theme"].get("representatives", []) if pk in counted][
            :REPRESENTATIVES_SHOWN
        ]
        for row in page["rows"]
    }
    public = representatives_public(submission_ids=[pk for ids in candidates.values() for pk in ids])
    rows = [
        PublicTheme(
            number=str(row["number"]),
            label=row["theme"]["label"],
            count=row["count"],
            campaign_copies=row["theme"].get("campaign_copies", 0),
            key_phrases=list(row["theme"].get("key_phrases", [])),
            subthemes=[
                PublicSubTheme(
                    number=numbers.get(sub["id"], ""),
                    label=sub["label"],
                    count=sum(1 for m in sub["members"] if m in counted),
                )
                for sub in row["subthemes"]
            ],
            representatives=[public[pk] for pk in candidates[row["theme"]["id"]] if pk in public],
        )
        for row in page["rows"]
    ]
    in_run = {m for t in run.result.get("themes", []) for m in t["members"]} | set(run.result.get("unassigned", []))
    return PublicThemeReport(
        consultation=consultation,
        run=run,
        rows=rows,
        map=page["map"],
        total=len(in_run & counted),
        unassigned=page["unassigned"],
    )


def theme_report_records(*, run: ThemeRun) -> list[dict]:
    """One record per submission of the run, in 受付番号 order: its deepest theme and that theme's parent.

    A member of a sub-theme gets the sub-theme (``3-1``) with its theme as
    上位テーマ; a member of no sub-theme gets its theme; an unassigned one
    「どのテーマにも入らなかった」. The rows of a theme therefore add up to
    its 件数 on the page.
    """
    themes = run.result.get("themes", [])
    by_id = {t["id"]: t for t in themes}
    numbers = theme_numbers(run)
    deepest: dict[int, dict] = {}
    for theme in themes:
        for member in theme["members"]:
            if theme["parent"] is None:
                deepest.setdefault(member, theme)
            else:
                deepest[member] = theme
    ids = set(deepest) | set(run.result.get("unassigned", []))
    receipts = dict(theme_run_submissions(run).filter(pk__in=ids).values_list("pk", "receipt_number"))
    records = []
    for pk, receipt_number in sorted(receipts.items(), key=lambda item: (item[1], item[0])):
        theme = deepest.get(pk)
        parent = by_id.get(theme["parent"]) if theme is not None and theme["parent"] is not None else None
        records.append(
            {
                "receipt_number": receipt_number,
                "theme_number": numbers.get(theme["id"], "") if theme is not None else "",
                "theme": theme["label"] if theme is not None else str(UNASSIGNED_LABEL),
                "parent_theme": parent["label"] if parent is not None else "",
            }
        )
    return records
