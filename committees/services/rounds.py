"""The registry and the 公募 notices: a committee's members and its recruitment rounds."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from committees.models import Committee, CommitteeMember, RecruitmentRound, Residence
from committees.services.indicator import applicant_ratio_indicator_refresh
from core.services import audit_record, audit_snapshot
from core.text import validate_user_text

ROUND_FIELDS = (
    "title",
    "seats_offered",
    "notice_starts_on",
    "notice_ends_on",
    "term_start",
    "term_end",
    "how_to_apply",
    "contact",
    "min_age",
    "age_reference_date",
    "residence_allowed",
    "exclude_city_staff",
    "exclude_councillors",
    "max_concurrent_seats",
    "max_tenure_years",
    "essay_theme",
    "essay_min_chars",
    "essay_max_chars",
    "selection_method",
    "published",
)


def round_defaults() -> dict:
    """The city's defaults for a new 公募 (settings KOE_COMMITTEE_*)."""
    return {
        "min_age": settings.KOE_COMMITTEE_MIN_AGE,
        "max_concurrent_seats": settings.KOE_COMMITTEE_MAX_CONCURRENT_SEATS,
        "max_tenure_years": settings.KOE_COMMITTEE_MAX_TENURE_YEARS,
        "residence_allowed": [Residence.LIVES, Residence.WORKS, Residence.STUDIES],
    }


def _round_check(values: dict, *, allow_short_notice: bool) -> None:
    errors = {}
    starts, ends = values["notice_starts_on"], values["notice_ends_on"]
    if ends < starts:
        errors["notice_ends_on"] = _("受付締切日は受付開始日より後の日にしてください。")
    elif not allow_short_notice and (ends - starts).days + 1 < settings.KOE_COMMITTEE_NOTICE_MIN_DAYS:
        errors["notice_ends_on"] = _(
            "募集期間は%(min)s日以上にしてください（現在%(days)s日）。短くする場合は理由を問い合わせ先とともに募集記事に記載し、"
            "管理者に依頼してください。"
        ) % {"min": settings.KOE_COMMITTEE_NOTICE_MIN_DAYS, "days": (ends - starts).days + 1}
    if values["term_end"] < values["term_start"]:
        errors["term_end"] = _("任期の終わりは委嘱日より後の日にしてください。")
    if values["term_start"] <= ends:
        errors["term_start"] = _("委嘱日は受付締切日より後の日にしてください。")
    if values["seats_offered"] < 1:
        errors["seats_offered"] = _("募集人数は1人以上にしてください。")
    if values["essay_min_chars"] > values["essay_max_chars"]:
        errors["essay_min_chars"] = _("小論文の最少字数は最大字数以下にしてください。")
    unknown = set(values["residence_allowed"]) - set(Residence.values) | (
        {Residence.NONE} & set(values["residence_allowed"])
    )
    if not values["residence_allowed"] or unknown:
        errors["residence_allowed"] = _("応募できる区分を市内在住・在勤・在学から1つ以上選んでください。")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def round_create(*, actor, committee: Committee, allow_short_notice: bool = False, **values) -> RecruitmentRound:
    """Open a 公募 for ``committee`` (the notice shows as soon as its 受付開始日 comes)."""
    fields = {**round_defaults(), **values}
    fields["title"] = validate_user_text(fields.get("title", ""), max_chars=200, field_label=_("募集の名称"))
    for name, label in (("how_to_apply", _("応募方法")), ("essay_theme", _("小論文のテーマ"))):
        fields[name] = validate_user_text(fields.get(name, ""), max_chars=2000, field_label=label, required=False)
    fields.setdefault("essay_min_chars", 0)
    fields.setdefault("essay_max_chars", 800)
    _round_check(fields, allow_short_notice=allow_short_notice)
    recruitment = RecruitmentRound.objects.create(
        committee=committee, **{k: v for k, v in fields.items() if k in ROUND_FIELDS}
    )
    audit_record(
        actor=actor,
        action="committee.round.create",
        target=recruitment,
        summary=_("「%(committee)s」の公募を作成") % {"committee": committee.name},
        after={k: str(v) for k, v in audit_snapshot(recruitment, ROUND_FIELDS).items()},
    )
    applicant_ratio_indicator_refresh(actor=actor)
    return recruitment


@transaction.atomic
def member_record(
    *,
    actor,
    committee: Committee,
    name: str,
    term_start: datetime.date,
    term_end: datetime.date,
    is_public: bool = False,
    gender: str = "na",
    age_band: str = "na",
    birth_date: datetime.date | None = None,
    application=None,
) -> CommitteeMember:
    """Add a member to the registry (an appointment, or a member named by the city)."""
    name = validate_user_text(name, max_chars=100, field_label=_("氏名"))
    if term_end < term_start:
        raise ValidationError({"term_end": _("任期の終わりは任期の始まりより後の日にしてください。")})
    member = CommitteeMember.objects.create(
        committee=committee,
        name=name,
        birth_date=birth_date,
        is_public=is_public,
        gender=gender,
        age_band=age_band,
        term_start=term_start,
        term_end=term_end,
        application=application,
    )
    # The name is personal data: the audit row names the seat, not the person.
    audit_record(
        actor=actor,
        action="committee.member.create",
        target=member,
        summary=_("「%(committee)s」の委員を登録（%(kind)s、任期 %(start)s〜%(end)s）")
        % {
            "committee": committee.name,
            "kind": _("公募委員") if is_public else _("委員"),
            "start": term_start,
            "end": term_end,
        },
    )
    return member
