"""Secretariat pages (/staff/committees/): the registry, a 公募's applicants, selection, notices.

Only the 附属機関事務局 of the committee's 課 and admins reach a committee
(committees.selectors.committee_list_managed_by; anything else is a 404,
so a secretariat learns nothing of another's rounds). Each page that shows
a person writes a pii.view row (committees.services.access).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.decorators import staff_member_required
from accounts.roles import COMMITTEE_ROLES
from committees import ratios
from committees.forms import AssessmentForm, ExceptionAppointForm, LotteryForm, PaperApplicationForm, RoundForm
from committees.models import Application, RecruitmentRound
from committees.selectors import (
    application_caps_now,
    application_get_managed,
    committee_list_managed_by,
    round_count,
    round_get_managed,
)
from committees.services.access import personal_data_viewed
from committees.services.applications import application_submit
from committees.services.rounds import round_create, round_defaults
from committees.services.selection import (
    application_appoint,
    application_assessment_record,
    application_letter_printed,
    round_decide,
    round_lottery_draw,
)
from core.http import client_ip
from core.views import add_service_errors, form_action


def _committee_or_404(request, pk):
    committee = committee_list_managed_by(request.user).filter(pk=pk).first()
    if committee is None:
        raise Http404
    return committee


def _round_or_404(request, pk):
    recruitment = round_get_managed(user=request.user, pk=pk)
    if recruitment is None:
        raise Http404
    return recruitment


def _application_or_404(request, pk):
    application = application_get_managed(user=request.user, pk=pk)
    if application is None:
        raise Http404
    return application


def _viewed(request, committee, target, what: str) -> None:
    """The pii.view audit row of a page that shows a committee's applicants or members."""
    personal_data_viewed(
        actor=request.user, committee=committee, target=target, what=what, ip_address=client_ip(request)
    )


@staff_member_required(*COMMITTEE_ROLES)
def committee_list(request):
    committees = committee_list_managed_by(request.user).prefetch_related("rounds").select_related("secretariat")
    return render(request, "committees/staff/committee_list.html", {"committees": committees})


@staff_member_required(*COMMITTEE_ROLES)
def committee_detail(request, pk):
    """The committee's members (names: audited) and its rounds, with the form for a new 公募."""
    committee = _committee_or_404(request, pk)
    initial = {**round_defaults(), "seats_offered": committee.public_seats or 1}
    form = RoundForm(data=request.POST or None, initial=initial)

    def act(data) -> str:
        recruitment = round_create(actor=request.user, committee=committee, **data)
        return _("公募「%(title)s」を作成しました。") % {"title": recruitment.title}

    if request.method == "GET":
        _viewed(request, committee, committee, _("委員名簿を表示"))
    return form_action(
        request,
        form,
        act,
        success_url=reverse("staff:committee_detail", args=[committee.pk]),
        template="committees/staff/committee_detail.html",
        context=lambda: {
            "committee": committee,
            "members": committee.members.order_by("-term_end", "pk"),
            "rounds": committee.rounds.order_by("-notice_starts_on"),
        },
    )


def _round_context(recruitment) -> dict:
    applications = list(recruitment.applications.order_by("lottery_position", "submitted_at", "pk"))
    count = round_count(recruitment)
    return {
        "recruitment": recruitment,
        "committee": recruitment.committee,
        "applications": applications,
        "count": count,
        "ratio_all": ratios.half_up(ratios.ratio(count.applicants, count.seats)),
        "ratio_eligible": ratios.half_up(ratios.ratio(count.eligible_applicants, count.seats)),
        "appointed": sum(1 for a in applications if a.outcome == Application.Outcome.APPOINTED),
        "lottery_form": LotteryForm(),
        "letters_due": [a for a in applications if a.notice_method == Application.NoticeMethod.LETTER],
    }


@staff_member_required(*COMMITTEE_ROLES)
def round_applicants(request, pk):
    recruitment = _round_or_404(request, pk)
    _viewed(request, recruitment.committee, recruitment, _("応募者の一覧を表示"))
    return render(request, "committees/staff/round_applicants.html", _round_context(recruitment))


@staff_member_required(*COMMITTEE_ROLES)
def round_paper_entry(request, pk):
    """A paper 申込書, typed in: eligibility is checked as for a web application."""
    recruitment = _round_or_404(request, pk)
    form = PaperApplicationForm(data=request.POST or None, recruitment=recruitment)

    def act(data) -> str:
        application = application_submit(
            recruitment=recruitment, channel=Application.Channel.PAPER, actor=request.user, **form.service_kwargs()
        )
        return _("申込書を受付番号 %(number)s で登録しました（%(eligible)s）。") % {
            "number": application.receipt_number,
            "eligible": _("応募資格あり")
            if application.eligible
            else _("応募資格なし：") + " ".join(application.ineligible_reasons),
        }

    return form_action(
        request,
        form,
        act,
        success_url=reverse("staff:committee_round", args=[recruitment.pk]),
        template="committees/staff/paper_entry.html",
        context={"recruitment": recruitment, "committee": recruitment.committee},
    )


@require_POST
@staff_member_required(*COMMITTEE_ROLES)
def round_lottery(request, pk):
    recruitment = _round_or_404(request, pk)
    form = LotteryForm(data=request.POST)

    def act(data) -> str:
        drawn = round_lottery_draw(actor=request.user, recruitment=recruitment, seed=data["seed"])
        return _("抽選を実施しました（シード %(seed)s）。順位の順に選任してください。") % {"seed": drawn.lottery_seed}

    response = form_action(
        request,
        form,
        act,
        success_url=reverse("staff:committee_round", args=[recruitment.pk]),
        template="committees/staff/round_applicants.html",
        context=lambda: {**_round_context(recruitment), "lottery_form": form},
    )
    return response


def _simple_post(request, url: str, call, message: str):
    try:
        call()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, message)
    return redirect(url)


@require_POST
@staff_member_required(*COMMITTEE_ROLES)
def round_decide_view(request, pk):
    recruitment = _round_or_404(request, pk)
    return _simple_post(
        request,
        reverse("staff:committee_round", args=[recruitment.pk]),
        lambda: round_decide(actor=request.user, recruitment=recruitment),
        _(
            "選考結果を確定しました。メールアドレスのある応募者には結果を送信し、ない応募者には通知文を印刷して郵送してください。"
        ),
    )


def _appointable(application: Application) -> bool:
    """Whether the secretariat may still appoint this applicant (as eligible, or beyond a cap as an exception)."""
    recruitment = application.round
    if recruitment.decided_at or application.outcome != Application.Outcome.PENDING:
        return False
    if application.eligible:
        return True
    return (
        application.ineligible_for_caps_only
        and recruitment.selection_method != RecruitmentRound.SelectionMethod.LOTTERY
    )


def _application_context(application: Application, *, form=None, exception_form=None) -> dict:
    recruitment = application.round
    appointable = _appointable(application)
    return {
        "application": application,
        "recruitment": recruitment,
        "committee": recruitment.committee,
        "form": form
        or AssessmentForm(initial={"score": application.score, "interview_note": application.interview_note}),
        "appointable": appointable,
        # Counted again now: the registry may have changed since the application was received.
        "caps_now": application_caps_now(application) if appointable else None,
        "exception_form": exception_form or ExceptionAppointForm(),
    }


@staff_member_required(*COMMITTEE_ROLES)
def application_detail(request, pk):
    application = _application_or_404(request, pk)
    recruitment = application.round
    form = AssessmentForm(
        data=request.POST or None, initial={"score": application.score, "interview_note": application.interview_note}
    )

    def act(data) -> str:
        application_assessment_record(
            actor=request.user, application=application, score=data["score"], interview_note=data["interview_note"]
        )
        return _("受付番号 %(number)s の選考記録を保存しました。") % {"number": application.receipt_number}

    if request.method == "GET":
        _viewed(request, recruitment.committee, application, _("応募書類を表示"))
    return form_action(
        request,
        form,
        act,
        success_url=reverse("staff:committee_application", args=[application.pk]),
        template="committees/staff/application_detail.html",
        context=lambda: _application_context(application, form=form),
    )


@require_POST
@staff_member_required(*COMMITTEE_ROLES)
def application_appoint_view(request, pk):
    """Appoint from the round's table, or beyond a cap with the exception form of the application's page."""
    application = _application_or_404(request, pk)
    round_url = reverse("staff:committee_round", args=[application.round_id])
    if "exception_basis" not in request.POST and "exception_reason" not in request.POST:
        try:
            application_appoint(actor=request.user, application=application)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            if "exception_reason" in getattr(exc, "error_dict", {}):
                # Reached a cap since applying: the reason is asked for on the application's page.
                return redirect(reverse("staff:committee_application", args=[application.pk]) + "#exception")
        else:
            messages.success(
                request,
                _("受付番号 %(number)s の応募者を選任し、委員名簿に登録しました。")
                % {"number": application.receipt_number},
            )
        return redirect(round_url)
    form = ExceptionAppointForm(data=request.POST)
    if form.is_valid():
        try:
            application_appoint(actor=request.user, application=application, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _(
                    "受付番号 %(number)s の応募者を上限の例外として選任し、例外の理由とともに委員名簿に登録しました。"
                    "例外件数として公表されます。"
                )
                % {"number": application.receipt_number},
            )
            return redirect(round_url)
    _viewed(request, application.round.committee, application, _("応募書類を表示"))
    return render(
        request,
        "committees/staff/application_detail.html",
        _application_context(application, exception_form=form),
        status=400,
    )


@staff_member_required(*COMMITTEE_ROLES)
def application_letter(request, pk):
    """The result notice as an A4 letter to print and post (applicants without e-mail)."""
    application = _application_or_404(request, pk)
    if application.outcome in (Application.Outcome.PENDING, Application.Outcome.WITHDRAWN):
        raise Http404
    if request.method == "POST":
        application_letter_printed(actor=request.user, application=application)
        messages.success(
            request, _("受付番号 %(number)s の通知を郵送済みにしました。") % {"number": application.receipt_number}
        )
        return redirect("staff:committee_round", application.round_id)
    _viewed(request, application.round.committee, application, _("選考結果の通知文を表示"))
    return render(
        request,
        "committees/staff/result_letter.html",
        {"application": application, "recruitment": application.round, "today": timezone.localdate()},
    )
