"""Selection of 公募委員: scores and interview notes, the lottery, appointment and the notices.

The order of things: record 書類選考 scores and 面接 notes (or draw the
lottery among the eligible applicants), appoint up to the seats offered —
each appointment adds a member to the registry — then decide the round:
everyone not appointed is 選任されませんでした, and every applicant gets a
notice, by e-mail where they gave an address, else an A4 letter to print.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from committees import lottery
from committees.eligibility import legal_age
from committees.models import AgeBand, Application, RecruitmentRound
from committees.services.mail import application_mail_once
from committees.services.rounds import member_record
from committees.tasks import application_notice_send_task
from core.queue import enqueue_on_commit
from core.services import audit_record
from core.text import validate_user_text

Outcome = Application.Outcome
SEED_MAX_CHARS = 64


def _locked_round(recruitment: RecruitmentRound) -> RecruitmentRound:
    return RecruitmentRound.objects.select_for_update().select_related("committee").get(pk=recruitment.pk)


def _check_undecided(recruitment: RecruitmentRound) -> None:
    if recruitment.decided_at is not None:
        raise ValidationError(_("この公募の選考結果は確定しています。"), code="decided")


def _check_closed(recruitment: RecruitmentRound) -> None:
    """Selection starts once the notice is over: a draw or an appointment before it would shut out late applicants."""
    if timezone.localdate() <= recruitment.notice_ends_on:
        raise ValidationError(
            _("受付期間（%(end)sまで）の終了後に選考してください。")
            % {"end": f"{recruitment.notice_ends_on:%Y年%-m月%-d日}"},
            code="still_open",
        )


@transaction.atomic
def application_assessment_record(
    *, actor, application: Application, score: Decimal | None, interview_note: str = ""
) -> Application:
    """Record the 書類選考 score (0–100) and the 面接 notes of one applicant."""
    application = Application.objects.select_for_update().select_related("round").get(pk=application.pk)
    _check_undecided(application.round)
    if score is not None and not Decimal(0) <= score <= Decimal(100):
        raise ValidationError({"score": _("評点は0から100までで入力してください。")})
    note = validate_user_text(interview_note, max_chars=2000, field_label=_("面接の記録"), required=False)
    before = {
        "score": None if application.score is None else str(application.score),
        "interview_note": application.interview_note,
    }
    application.score = score
    application.interview_note = note
    application.save(update_fields=["score", "interview_note"])
    audit_record(
        actor=actor,
        action="committee.application.assess",
        target=application,
        before=before,
        after={"score": None if score is None else str(score), "interview_note": note},
    )
    return application


@transaction.atomic
def round_lottery_draw(*, actor, recruitment: RecruitmentRound, seed: str = "") -> RecruitmentRound:
    """Draw the lottery among the eligible applicants, once; the seed and the order are kept."""
    recruitment = _locked_round(recruitment)
    _check_undecided(recruitment)
    _check_closed(recruitment)
    if recruitment.lottery_drawn_at is not None:
        raise ValidationError(
            _("この公募の抽選は実施済みです（%(at)s）。")
            % {"at": timezone.localtime(recruitment.lottery_drawn_at).strftime("%Y-%m-%d %H:%M")},
            code="drawn",
        )
    seed = (seed or "").strip()
    if len(seed) > SEED_MAX_CHARS:
        raise ValidationError({"seed": _("シードは%(max)s文字以内で入力してください。") % {"max": SEED_MAX_CHARS}})
    candidates = list(
        recruitment.applications.filter(eligible=True)
        .exclude(outcome=Outcome.WITHDRAWN)
        .values_list("receipt_number", flat=True)
    )
    if not candidates:
        raise ValidationError(_("応募資格のある応募者がいないため、抽選できません。"), code="no_candidates")
    seed = seed or lottery.seed_new()
    order = lottery.lottery_order(seed=seed, receipt_numbers=candidates)
    for position, number in enumerate(order, start=1):
        Application.objects.filter(round=recruitment, receipt_number=number).update(lottery_position=position)
    recruitment.lottery_seed = seed
    recruitment.lottery_order = order
    recruitment.lottery_drawn_at = timezone.now()
    recruitment.save(update_fields=["lottery_seed", "lottery_order", "lottery_drawn_at"])
    audit_record(
        actor=actor,
        action="committee.round.lottery",
        target=recruitment,
        summary=_("抽選を実施（シード %(seed)s、候補 %(n)s人）") % {"seed": seed, "n": len(order)},
        after={"seed": seed, "order": order},
    )
    return recruitment


def age_band_of(application: Application) -> str:
    age = legal_age(application.birth_date, application.round.term_start)
    if age < 20:
        return AgeBand.UNDER_20
    if age >= 70:
        return AgeBand.S70
    return f"{age // 10 * 10}s"


@transaction.atomic
def application_appoint(
    *, actor, application: Application, exception_basis: str = "", exception_reason: str = ""
) -> Application:
    """Appoint an applicant: the outcome is 選任 and the registry gains a 公募委員.

    An eligible applicant is appointed as such. One whose only reasons were
    the 兼職・在任期間 caps — or who has reached a cap since applying (the
    caps are counted again from the registry on the 委嘱日) — is appointed
    only as an exception, with its basis and reason (refused without them),
    and is counted among the published 例外件数. Any other reason (age,
    residence, 職員・議員, no declaration) still refuses, and so does a
    lottery round for an applicant who was not in the draw.
    """
    application = (
        Application.objects.select_for_update().select_related("round", "round__committee").get(pk=application.pk)
    )
    recruitment = _locked_round(application.round)
    _check_undecided(recruitment)
    _check_closed(recruitment)
    if application.outcome != Outcome.PENDING:
        raise ValidationError(
            _("この応募者は選任できません（%(outcome)s）。") % {"outcome": application.get_outcome_display()},
            code="not_pending",
        )
    if not application.eligible and not application.ineligible_for_caps_only:
        raise ValidationError(_("応募資格がない応募者は選任できません。"), code="ineligible")
    if not application.eligible and recruitment.selection_method == RecruitmentRound.SelectionMethod.LOTTERY:
        raise ValidationError(
            _(
                "抽選で選ぶ公募では、抽選の対象にならなかった応募者（兼職・在任期間の上限に達していた応募者）は選任できません。"
            ),
            code="not_drawn",
        )
    appointed = recruitment.applications.filter(outcome=Outcome.APPOINTED).count()
    if appointed >= recruitment.seats_offered:
        raise ValidationError(
            _("募集人数（%(seats)s人）まで選任済みです。") % {"seats": recruitment.seats_offered}, code="seats_full"
        )
    application.outcome = Outcome.APPOINTED
    application.save(update_fields=["outcome"])
    member = member_record(
        actor=actor,
        committee=recruitment.committee,
        name=application.name,
        birth_date=application.birth_date,
        is_public=True,
        gender=application.gender,
        age_band=age_band_of(application),
        term_start=recruitment.term_start,
        term_end=recruitment.term_end,
        application=application,
        max_concurrent_seats=recruitment.max_concurrent_seats,
        max_tenure_years=recruitment.max_tenure_years,
        exception_basis=exception_basis,
        exception_reason=exception_reason,
    )
    audit_record(
        actor=actor,
        action="committee.application.appoint",
        target=application,
        summary=_("上限の例外として選任") if member.is_exception else "",
    )
    return application


@transaction.atomic
def round_decide(*, actor, recruitment: RecruitmentRound) -> RecruitmentRound:
    """Close the selection: the rest are 選任されませんでした; every applicant is sent a notice."""
    recruitment = _locked_round(recruitment)
    _check_undecided(recruitment)
    _check_closed(recruitment)
    if (
        not recruitment.applications.filter(outcome=Outcome.APPOINTED).exists()
        and recruitment.applications.filter(eligible=True, outcome=Outcome.PENDING).exists()
    ):
        raise ValidationError(_("選任する応募者を選んでから確定してください。"), code="none_appointed")
    rest = recruitment.applications.filter(outcome=Outcome.PENDING)
    not_appointed = rest.count()
    rest.update(outcome=Outcome.NOT_APPOINTED)
    recruitment.decided_at = timezone.now()
    recruitment.save(update_fields=["decided_at"])
    for application in recruitment.applications.exclude(outcome=Outcome.WITHDRAWN):
        method = Application.NoticeMethod.EMAIL if application.email else Application.NoticeMethod.LETTER
        Application.objects.filter(pk=application.pk).update(notice_method=method)
        if method == Application.NoticeMethod.EMAIL:
            enqueue_on_commit(application_notice_send_task, application.pk)
    audit_record(
        actor=actor,
        action="committee.round.decide",
        target=recruitment,
        summary=_("選考結果を確定（選任されなかった応募 %(n)s件）") % {"n": not_appointed},
    )
    return recruitment


def application_notice_send(*, application_id: int) -> bool:
    """E-mail the selection result once (to applicants notified by mail); a repeated call sends nothing."""
    return application_mail_once(
        application_id=application_id,
        condition=Q(notice_method=Application.NoticeMethod.EMAIL)
        & ~Q(outcome__in=[Outcome.PENDING, Outcome.WITHDRAWN]),
        template="result",
        sent_field="notified_at",
        action="committee.application.notice_sent",
    )


@transaction.atomic
def application_letter_printed(*, actor, application: Application) -> Application:
    """Mark a result letter as printed for posting (the notice of an applicant without e-mail)."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.notice_method != Application.NoticeMethod.LETTER or application.notified_at:
        return application
    application.notified_at = timezone.now()
    application.save(update_fields=["notified_at"])
    audit_record(actor=actor, action="committee.application.letter_printed", target=application)
    return application
