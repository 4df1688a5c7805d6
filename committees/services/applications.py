"""Applications to a 公募: online (signed in) or from a paper 申込書 entered by the secretariat.

Every application is kept. Eligibility is checked at entry against the
round's rules and the registry (兼職 and 在任期間 counted from the members
on record); an ineligible one is stored with its reasons and counted among
all applicants. The 受付番号 comes from the same sequence as every other
受付番号 (feedback's ReceiptSequence, prefix KOE_COMMITTEE_RECEIPT_PREFIX),
and the receipt e-mail is sent by a task after commit.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from committees import eligibility
from committees.models import Application, Gender, RecruitmentRound, Residence
from committees.selectors import person_terms, round_is_open
from committees.services.indicator import applicant_ratio_indicator_refresh
from committees.services.mail import application_mail_once
from committees.tasks import application_receipt_send_task
from core.jp import normalize_email, normalize_phone
from core.queue import enqueue_on_commit
from core.services import audit_record
from core.text import char_length, validate_user_text
from feedback.services.intake import receipt_numbers_reserve

TEXT_LIMITS = {"name": 100, "name_kana": 100, "address": 200, "occupation": 100, "activities": 1000}


class RoundClosed(ValidationError):
    """The 公募 does not accept applications now."""


def essay_clean(recruitment: RecruitmentRound, essay: str, *, required: bool = True) -> str:
    """The essay within the round's 字数 (code points, as the live counter counts)."""
    essay = validate_user_text(
        essay,
        max_chars=recruitment.essay_max_chars,
        field_label=_("小論文"),
        required=required and bool(recruitment.essay_theme),
    )
    length = char_length(essay)
    if essay and length < recruitment.essay_min_chars:
        raise ValidationError(
            _("小論文は%(min)s文字以上で書いてください（現在%(length)s文字）。")
            % {"min": f"{recruitment.essay_min_chars:,}", "length": f"{length:,}"},
            code="too_short",
        )
    return essay


def eligibility_rules(recruitment: RecruitmentRound) -> eligibility.Rules:
    return eligibility.Rules(
        min_age=recruitment.min_age,
        age_on=recruitment.age_on,
        residence_allowed=tuple(recruitment.residence_allowed),
        exclude_city_staff=recruitment.exclude_city_staff,
        exclude_councillors=recruitment.exclude_councillors,
        max_concurrent_seats=recruitment.max_concurrent_seats,
        max_tenure_years=recruitment.max_tenure_years,
        committee_id=recruitment.committee_id,
        term_start=recruitment.term_start,
    )


def eligibility_check(
    recruitment: RecruitmentRound,
    *,
    name: str,
    birth_date: datetime.date,
    residence: str,
    is_city_staff: bool,
    is_councillor: bool,
    declaration: bool,
) -> eligibility.Result:
    facts = eligibility.Facts(
        birth_date=birth_date,
        residence=residence,
        is_city_staff=is_city_staff,
        is_councillor=is_councillor,
        declaration=declaration,
        terms=person_terms(name=name, birth_date=birth_date),
    )
    return eligibility.check(eligibility_rules(recruitment), facts)


@transaction.atomic
def application_submit(
    *,
    recruitment: RecruitmentRound,
    name: str,
    birth_date: datetime.date,
    address: str,
    residence: str,
    declaration: bool,
    essay: str = "",
    name_kana: str = "",
    gender: str = Gender.NO_ANSWER,
    phone: str = "",
    email: str = "",
    occupation: str = "",
    activities: str = "",
    is_city_staff: bool = False,
    is_councillor: bool = False,
    applicant=None,
    channel: str = Application.Channel.WEB,
    actor=None,
    ip_address: str | None = None,
) -> Application:
    """Receive one application; web ones only while the notice is open, paper ones until the selection is decided."""
    recruitment = RecruitmentRound.objects.select_for_update().get(pk=recruitment.pk)
    if channel == Application.Channel.WEB and not round_is_open(recruitment):
        raise RoundClosed(_("この公募は現在、応募を受け付けていません。受付期間をご確認ください。"), code="closed")
    if recruitment.decided_at is not None:
        raise RoundClosed(_("この公募は選考結果が確定しているため、応募を追加できません。"), code="decided")
    if residence not in Residence.values:
        raise ValidationError({"residence": _("応募資格の区分を選んでください。")})
    if gender not in Gender.values:
        raise ValidationError({"gender": _("性別を選んでください。")})
    texts = {
        key: validate_user_text(
            value,
            max_chars=TEXT_LIMITS[key],
            field_label=str(Application._meta.get_field(key).verbose_name),
            required=key in ("name", "address"),
        )
        for key, value in {
            "name": name,
            "name_kana": name_kana,
            "address": address,
            "occupation": occupation,
            "activities": activities,
        }.items()
    }
    essay = essay_clean(recruitment, essay, required=channel == Application.Channel.WEB)
    email = normalize_email(email) if email else ""
    phone = normalize_phone(phone) if phone else ""
    if channel == Application.Channel.WEB and applicant is not None and not email:
        email = applicant.email
    result = eligibility_check(
        recruitment,
        name=texts["name"],
        birth_date=birth_date,
        residence=residence,
        is_city_staff=is_city_staff,
        is_councillor=is_councillor,
        declaration=declaration,
    )
    number = receipt_numbers_reserve(prefix=settings.KOE_COMMITTEE_RECEIPT_PREFIX, count=1)[0]
    application = Application.objects.create(
        round=recruitment,
        receipt_number=number,
        applicant=applicant if getattr(applicant, "is_authenticated", False) else None,
        channel=channel,
        birth_date=birth_date,
        gender=gender,
        phone=phone,
        email=email,
        residence=residence,
        is_city_staff=is_city_staff,
        is_councillor=is_councillor,
        declaration=declaration,
        essay=essay,
        eligible=result.eligible,
        ineligible_reasons=result.reasons,
        concurrent_seats=result.concurrent_seats,
        tenure_months=result.tenure_months,
        submitted_at=timezone.now(),
        **texts,
    )
    audit_record(
        actor=actor or applicant,
        action="committee.application.submit",
        target=application,
        summary=_("「%(title)s」への応募を受付（%(channel)s、%(eligible)s）")
        % {
            "title": recruitment.title,
            "channel": application.get_channel_display(),
            "eligible": _("応募資格あり") if result.eligible else _("応募資格なし"),
        },
        after={"receipt_number": number, "eligible": result.eligible, "reasons": result.reasons},
        ip_address=ip_address,
    )
    applicant_ratio_indicator_refresh(actor=actor or applicant)
    if application.email:
        enqueue_on_commit(application_receipt_send_task, application.pk)
    return application


@transaction.atomic
def application_withdraw(*, actor, application: Application) -> Application:
    """The applicant withdraws before the selection is decided (no longer counted)."""
    application = Application.objects.select_for_update().select_related("round").get(pk=application.pk)
    if application.applicant_id != getattr(actor, "pk", None):
        raise ValidationError(_("ご本人の応募だけを取り下げられます。"), code="not_owner")
    if application.outcome != Application.Outcome.PENDING or application.round.decided_at:
        raise ValidationError(
            _("選考結果が出た応募は取り下げられません。事務局にお問い合わせください。"), code="decided"
        )
    application.outcome = Application.Outcome.WITHDRAWN
    application.save(update_fields=["outcome"])
    audit_record(actor=actor, action="committee.application.withdraw", target=application)
    applicant_ratio_indicator_refresh(actor=actor)
    return application


def application_receipt_send(*, application_id: int) -> bool:
    """E-mail the 受付番号 once; a repeated call sends nothing."""
    return application_mail_once(
        application_id=application_id,
        condition=Q(),
        template="receipt",
        sent_field="receipt_sent_at",
        action="committee.application.receipt_sent",
    )
