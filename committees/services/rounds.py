"""The registry and the 公募 notices: a committee's members and its recruitment rounds."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from committees.eligibility import CapCheck
from committees.models import Committee, CommitteeMember, RecruitmentRound, Residence
from committees.selectors import seat_caps_check
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


EXCEPTION_REASON_MAX_CHARS = 300
ExceptionBasis = CommitteeMember.ExceptionBasis


def member_exception_clean(
    *,
    caps: CapCheck,
    over_concurrent_cap: bool = False,
    over_tenure_cap: bool = False,
    exception_basis: str = "",
    exception_reason: str = "",
) -> dict:
    """The exception fields of a seat: a cap the registry finds reached is flagged whatever was asked.

    A seat beyond a cap needs the 例外の区分 and the 例外の理由, or it is
    refused with every cap named. A flag may also be set by hand (a seat the
    registry cannot match, e.g. recorded under another spelling); it needs
    the same reason. With no cap reached and no flag, basis and reason are
    dropped: only exceptions carry them.
    """
    concurrent = caps.over_concurrent_cap or bool(over_concurrent_cap)
    tenure = caps.over_tenure_cap or bool(over_tenure_cap)
    if not (concurrent or tenure):
        return {"over_concurrent_cap": False, "over_tenure_cap": False, "exception_basis": "", "exception_reason": ""}
    errors = {}
    reason = ""
    try:
        reason = validate_user_text(
            exception_reason,
            max_chars=EXCEPTION_REASON_MAX_CHARS,
            field_label=_("例外の理由"),
            required=False,
        )
    except ValidationError as exc:
        errors["exception_reason"] = exc.messages
    if not reason and "exception_reason" not in errors:
        errors["exception_reason"] = " ".join(
            [
                *caps.reasons,
                _(
                    "上限を超えて委嘱するには、例外の区分と例外の理由を記録してください"
                    "（兼職・在任期間の例外の件数は公表されます）。"
                ),
            ]
        )
    if exception_basis not in ExceptionBasis.values:
        errors["exception_basis"] = _("例外の区分を選んでください。")
    if errors:
        raise ValidationError(errors, code="exception_reason_required")
    return {
        "over_concurrent_cap": concurrent,
        "over_tenure_cap": tenure,
        "exception_basis": exception_basis,
        "exception_reason": reason,
    }


def _exception_summary(fields: dict) -> str:
    """「兼職上限超え・在任期間超え（例外：専門的知見が必要）」, or empty for a seat within the caps."""
    kinds = [
        str(label)
        for flag, label in (
            ("over_concurrent_cap", _("兼職上限超え")),
            ("over_tenure_cap", _("在任期間超え")),
        )
        if fields[flag]
    ]
    if not kinds:
        return ""
    return _("%(kinds)s（例外：%(basis)s）") % {
        "kinds": "・".join(kinds),
        "basis": ExceptionBasis(fields["exception_basis"]).label,
    }


def _exception_audit(fields: dict, caps: CapCheck) -> dict:
    """What the audit row keeps of an exception: the caps and counts, the basis; the reason's text stays on the seat."""
    if not (fields["over_concurrent_cap"] or fields["over_tenure_cap"]):
        return {}
    return {
        "exception": {
            "over_concurrent_cap": fields["over_concurrent_cap"],
            "over_tenure_cap": fields["over_tenure_cap"],
            "basis": fields["exception_basis"],
            "concurrent_seats": caps.concurrent_seats,
            "max_concurrent_seats": caps.max_concurrent_seats,
            "tenure_months": caps.tenure_months,
            "max_tenure_years": caps.max_tenure_years,
        }
    }


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
    max_concurrent_seats: int | None = None,
    max_tenure_years: int | None = None,
    over_concurrent_cap: bool = False,
    over_tenure_cap: bool = False,
    exception_basis: str = "",
    exception_reason: str = "",
) -> CommitteeMember:
    """Add a member to the registry (an appointment, or a member named by the city).

    The person's 兼職 and 在任期間 on ``term_start`` are counted from the
    registry against the caps (a 公募's, else the city's): a seat beyond a
    cap is recorded only as an exception with its basis and reason.
    """
    name = validate_user_text(name, max_chars=100, field_label=_("氏名"))
    if term_end < term_start:
        raise ValidationError({"term_end": _("任期の終わりは任期の始まりより後の日にしてください。")})
    caps = seat_caps_check(
        committee_id=committee.pk,
        name=name,
        birth_date=birth_date,
        term_start=term_start,
        max_concurrent_seats=max_concurrent_seats,
        max_tenure_years=max_tenure_years,
    )
    exception = member_exception_clean(
        caps=caps,
        over_concurrent_cap=over_concurrent_cap,
        over_tenure_cap=over_tenure_cap,
        exception_basis=exception_basis,
        exception_reason=exception_reason,
    )
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
        **exception,
    )
    # The name is personal data: the audit row names the seat, not the person.
    summary = _("「%(committee)s」の委員を登録（%(kind)s、任期 %(start)s〜%(end)s）") % {
        "committee": committee.name,
        "kind": _("公募委員") if is_public else _("委員"),
        "start": term_start,
        "end": term_end,
    }
    if exception_text := _exception_summary(exception):
        summary += "：" + exception_text
    audit_record(
        actor=actor,
        action="committee.member.create",
        target=member,
        summary=summary,
        after=_exception_audit(exception, caps) or None,
    )
    return member


# Fields of a seat the admin site edits; the personal ones are audited by name only.
MEMBER_FIELDS = (
    "name",
    "birth_date",
    "is_public",
    "gender",
    "age_band",
    "term_start",
    "term_end",
    "over_concurrent_cap",
    "over_tenure_cap",
    "exception_basis",
    "exception_reason",
)
MEMBER_PERSONAL_FIELDS = frozenset(CommitteeMember.PERSONAL_DATA.fields)


def member_caps(member: CommitteeMember) -> CapCheck:
    """A seat's caps against the registry's other seats: its 公募's caps for an appointed 公募委員, else the city's."""
    recruitment = member.application.round if member.application_id else None
    return seat_caps_check(
        committee_id=member.committee_id,
        name=member.name,
        birth_date=member.birth_date,
        term_start=member.term_start,
        max_concurrent_seats=recruitment.max_concurrent_seats if recruitment else None,
        max_tenure_years=recruitment.max_tenure_years if recruitment else None,
        exclude_member=member.pk,
    )


@transaction.atomic
def member_update(*, actor, member: CommitteeMember, **values) -> CommitteeMember:
    """Change a seat (the admin site's 委員 rows): the caps are counted again, an exception needs its reason."""
    unknown = set(values) - set(MEMBER_FIELDS)
    if unknown:
        raise ValueError(f"not a member field: {sorted(unknown)}")
    member = CommitteeMember.objects.select_for_update().select_related("committee").get(pk=member.pk)
    before = {name: getattr(member, name) for name in MEMBER_FIELDS}
    for name, value in values.items():
        setattr(member, name, value)
    member.name = validate_user_text(member.name, max_chars=100, field_label=_("氏名"))
    if member.term_end < member.term_start:
        raise ValidationError({"term_end": _("任期の終わりは任期の始まりより後の日にしてください。")})
    caps = member_caps(member)
    exception = member_exception_clean(
        caps=caps,
        over_concurrent_cap=member.over_concurrent_cap,
        over_tenure_cap=member.over_tenure_cap,
        exception_basis=member.exception_basis,
        exception_reason=member.exception_reason,
    )
    for name, value in exception.items():
        setattr(member, name, value)
    member.save()
    changed = [name for name in MEMBER_FIELDS if before[name] != getattr(member, name)]

    def shown(name, value) -> str:
        # Personal data (name, birth date, the reason's text) is audited as changed, never by value.
        return "（変更あり）" if name in MEMBER_PERSONAL_FIELDS else str(value)

    summary = _("「%(committee)s」の委員の記録を変更（%(fields)s）") % {
        "committee": member.committee.name,
        "fields": "、".join(str(CommitteeMember._meta.get_field(name).verbose_name) for name in changed) or "—",
    }
    if exception_text := _exception_summary(exception):
        summary += "：" + exception_text
    audit_record(
        actor=actor,
        action="committee.member.update",
        target=member,
        summary=summary,
        before={name: shown(name, before[name]) for name in changed},
        after={**{name: shown(name, getattr(member, name)) for name in changed}, **_exception_audit(exception, caps)},
    )
    return member


@transaction.atomic
def member_delete(*, actor, member: CommitteeMember) -> None:
    """Remove a seat entered by mistake (the admin site); the audit row names the seat, not the person."""
    audit_record(
        actor=actor,
        action="committee.member.delete",
        target=member,
        summary=_("「%(committee)s」の委員の記録を削除（任期 %(start)s〜%(end)s）")
        % {"committee": member.committee.name, "start": member.term_start, "end": member.term_end},
    )
    member.delete()
