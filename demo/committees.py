"""Demo 附属機関等: the registry, five past 年度 of 公募 with fictional applicants, and one open 公募.

Everything goes through the committees services (paper entry, appointment,
decision), so the demo's 応募倍率 and the plan's indicator are computed the
way real ones are. Idempotent: a committee already registered is left alone.
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import Department
from committees.models import Application, Committee
from committees.services.applications import application_submit
from committees.services.rounds import member_record, round_create
from committees.services.selection import application_appoint, round_decide, round_lottery_draw

SURNAMES = [
    "青木",
    "石井",
    "上田",
    "遠藤",
    "大野",
    "加藤",
    "木村",
    "久保",
    "小林",
    "佐藤",
    "清水",
    "高木",
    "田中",
    "中村",
    "野口",
]
GIVEN = ["あかり", "健太", "さくら", "大輔", "智子", "直樹", "春香", "弘", "真由美", "裕子", "陽介", "和也"]
AGE_BANDS = ["30s", "40s", "50s", "60s", "70s", "20s"]
COMMITTEE_FIELDS = (
    "legal_basis_kind",
    "legal_basis",
    "purpose",
    "total_seats",
    "public_seats",
    "no_public_seat_reason",
    "term_years",
    "meeting_frequency",
    "remuneration",
)


def _person(index: int) -> tuple[str, datetime.date, str]:
    name = f"{SURNAMES[index % len(SURNAMES)]} {GIVEN[(index * 7) % len(GIVEN)]}（デモ）"
    birth = datetime.date(1950 + (index * 3) % 50, 1 + index % 12, 1 + index % 27)
    return name, birth, ("female", "male")[index % 2]


def _round_dates(year: int) -> dict:
    opens = datetime.date(year, 6, 1)
    return {
        "notice_starts_on": opens,
        "notice_ends_on": opens + datetime.timedelta(days=27),
        "term_start": datetime.date(year, 8, 1),
        "term_end": datetime.date(year + 2, 7, 31),
    }


def _past_round(committee: Committee, spec: dict, counter: list[int]) -> None:
    recruitment = round_create(
        actor=None,
        committee=committee,
        title=f"{spec['year']}年度 {committee.name} 公募委員",
        seats_offered=spec["seats"],
        selection_method=spec["method"],
        contact=f"{committee.secretariat}（デモ）",
        **_round_dates(spec["year"]),
    )
    for n in range(spec["applicants"]):
        counter[0] += 1
        name, birth, gender = _person(counter[0])
        application_submit(
            recruitment=recruitment,
            channel=Application.Channel.PAPER,
            name=name,
            birth_date=birth,
            gender=gender,
            address="川口市青木2-1-1（デモ）",
            residence="none" if n < spec.get("ineligible", 0) else "lives",
            declaration=True,
        )
    if spec["method"] == "lottery":
        round_lottery_draw(actor=None, recruitment=recruitment, seed=f"demo-{committee.pk}-{spec['year']}")
        order = recruitment.applications.filter(eligible=True).order_by("lottery_position")
    else:
        order = recruitment.applications.filter(eligible=True).order_by("pk")
    for application in list(order[: spec["seats"]]):
        application_appoint(actor=None, application=application)
    round_decide(actor=None, recruitment=recruitment)


def _members(committee: Committee, spec: dict, counter: list[int]) -> None:
    today = timezone.localdate()
    start = datetime.date(today.year if today.month >= 8 else today.year - 1, 8, 1)
    for n in range(spec.get("other", 0)):
        counter[0] += 1
        name, birth, _gender = _person(counter[0] + 500)
        member_record(
            actor=None,
            committee=committee,
            name=name,
            birth_date=birth,
            gender="female" if n < spec.get("women", 0) else "male",
            age_band=AGE_BANDS[n % len(AGE_BANDS)],
            term_start=start,
            term_end=start.replace(year=start.year + committee.term_years) - datetime.timedelta(days=1),
        )


def _open_round(committee: Committee, spec: dict) -> None:
    today = timezone.localdate()
    round_create(
        actor=None,
        committee=committee,
        title=f"{committee.name} 公募委員の募集（デモ）",
        seats_offered=spec["seats"],
        selection_method=spec["method"],
        notice_starts_on=today - datetime.timedelta(days=5),
        notice_ends_on=today + datetime.timedelta(days=23),
        term_start=today + datetime.timedelta(days=60),
        term_end=today + datetime.timedelta(days=60 + 730 - 1),
        essay_theme=spec.get("essay_theme", ""),
        essay_min_chars=spec.get("essay_min_chars", 0),
        essay_max_chars=spec.get("essay_max_chars", 800),
        how_to_apply="申込書（市ホームページ・協働推進課で配布）に小論文を添えて、協働推進課へ郵送または持参してください（デモ）。",
        contact=f"{committee.secretariat} 電話 048-000-0000（デモ）",
    )


@transaction.atomic
def demo_committees_create(specs: list[dict]) -> int:
    """Register the demo committees not yet registered; return how many were added."""
    added = 0
    counter = [0]
    for spec in specs:
        if Committee.objects.filter(name=spec["name"]).exists():
            continue
        secretariat = Department.objects.filter(code=spec["secretariat"]).first()
        if secretariat is None:
            continue
        fields = {key: spec[key] for key in COMMITTEE_FIELDS if key in spec}
        if spec.get("female_target_percent") is not None:
            fields["female_target_percent"] = Decimal(str(spec["female_target_percent"]))
        committee = Committee.objects.create(name=spec["name"], secretariat=secretariat, order=added, **fields)
        _members(committee, spec.get("members", {}), counter)
        for round_spec in spec.get("rounds", []):
            _past_round(committee, round_spec, counter)
        if spec.get("open_round"):
            _open_round(committee, spec["open_round"])
        added += 1
    return added
