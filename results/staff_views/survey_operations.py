"""調査の運営 (/staff/surveys/<pk>/operations/): issue invitation codes, print the
依頼状 and download the mail-merge CSV, void a lost issue, record 督促 waves
and read the response rate per wave. 広聴 and admins only (CITYWIDE_ROLES),
as the other writes on a survey's staff pages (目標指標の算出).

Where the plain codes live. Only their hashes are stored
(consultations.InvitationCode), so after an issue the plain codes exist in
nothing but the response of invitation_codes_issue. Rendering the sheets and
the CSV in that one POST response would make staff choose one of the two and
lose the codes if printing failed; so the codes are kept in the issuing
member's own session (the database session row, never a cache shared by
processes), for that survey and batch only, for
KOE_INVITATION_CODES_SHOW_MINUTES, and are removed when staff press
「コードを画面から消去する」, when the session ends (sign-out, the staff idle
timeout) or when the time is up, whichever comes first. Another member of
staff, another browser or a later visit cannot see them again: a batch whose
sheets were lost is voided (its unused codes deleted) and issued anew.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.decorators import staff_member_required
from accounts.roles import CITYWIDE_ROLES
from consultations.forms import InvitationIssueForm, ReminderWaveForm
from consultations.models import Consultation, InvitationBatch, ReminderWave
from consultations.survey_operations import (
    invitation_batch_void,
    invitation_code_display,
    invitation_codes_issue,
    reminder_wave_delete,
    reminder_wave_record,
)
from core.exports import csv_bytes, csv_response
from core.http import client_ip
from core.qr import qr_svg
from core.site import absolute_reverse
from core.views import add_service_errors
from feedback.selectors import can_work_on_consultation
from results.selectors.survey import survey_get_for_staff, survey_response_rate
from results.selectors.survey_operations import invitation_batches_for, survey_wave_rates

SESSION_KEY = "koe_invitation_codes"
# Issues kept at once per session (the oldest is dropped first).
KEPT_BATCHES = 5
CSV_HEADER = ("通し番号", "招待コード", "回答ページのアドレス（コード入り）", "回答ページのアドレス", "回答期限")


def _survey(request, pk) -> Consultation:
    """The survey, or 404 when the member may not work on it (as on the results page)."""
    survey = survey_get_for_staff(pk)
    if not can_work_on_consultation(user=request.user, consultation=survey):
        raise Http404
    return survey


# ---- The plain codes in the issuing member's session ----


def _kept(request) -> dict:
    """{batch id: {"survey": pk, "codes": [...], "until": epoch seconds}}, the expired ones removed."""
    kept = request.session.get(SESSION_KEY) or {}
    now = time.time()
    live = {key: entry for key, entry in kept.items() if entry.get("until", 0) > now}
    if live != kept:
        request.session[SESSION_KEY] = live
    return live


def _keep(request, *, survey: Consultation, batch: InvitationBatch, codes: list[str]) -> None:
    kept = _kept(request)
    kept[str(batch.pk)] = {
        "survey": survey.pk,
        "codes": codes,
        "until": time.time() + settings.KOE_INVITATION_CODES_SHOW_MINUTES * 60,
    }
    while len(kept) > KEPT_BATCHES:
        kept.pop(min(kept, key=lambda key: kept[key]["until"]))
    request.session[SESSION_KEY] = kept


def _forget(request, batch_id: str) -> bool:
    kept = _kept(request)
    if kept.pop(batch_id, None) is None:
        return False
    request.session[SESSION_KEY] = kept
    return True


def _posted_id(value) -> str:
    return str(value) if str(value or "").isdigit() else ""


def _codes(request, survey: Consultation, batch_id: str) -> list[str] | None:
    entry = _kept(request).get(batch_id)
    if entry is None or entry["survey"] != survey.pk:
        return None
    return entry["codes"]


def _shown_batches(request, survey: Consultation, batches: list[InvitationBatch]) -> list[tuple]:
    """(batch, minutes left) for this survey's issues whose codes this session still holds."""
    kept = _kept(request)
    now = time.time()
    return [
        (batch, max(1, round((kept[str(batch.pk)]["until"] - now) / 60)))
        for batch in batches
        if str(batch.pk) in kept and kept[str(batch.pk)]["survey"] == survey.pk
    ]


# ---- The page ----


def _render(request, survey, *, issue_form=None, wave_form=None, status=200):
    batches = invitation_batches_for(survey=survey)
    context = {
        "consultation": survey,
        "issue_form": issue_form or InvitationIssueForm(auto_id="issue_%s"),
        "wave_form": wave_form or ReminderWaveForm(auto_id="wave_%s"),
        "batches": batches,
        "shown": _shown_batches(request, survey, batches),
        "rate": survey_response_rate(consultation=survey),
        "waves": survey_wave_rates(survey=survey),
        "show_minutes": settings.KOE_INVITATION_CODES_SHOW_MINUTES,
    }
    return render(request, "results/staff/survey_operations.html", context, status=status)


@never_cache
@staff_member_required(*CITYWIDE_ROLES)
def operations(request, pk):
    return _render(request, _survey(request, pk))


@require_POST
@staff_member_required(*CITYWIDE_ROLES)
def invitations_issue(request, pk):
    survey = _survey(request, pk)
    form = InvitationIssueForm(data=request.POST, auto_id="issue_%s")
    if form.is_valid():
        try:
            issued = invitation_codes_issue(
                actor=request.user,
                survey=survey,
                count=form.cleaned_data["count"],
                note=form.cleaned_data["note"],
                ip_address=client_ip(request),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            _keep(request, survey=survey, batch=issued.batch, codes=issued.codes)
            messages.success(
                request,
                _(
                    "招待コードを%(count)s件発行しました。「発行したコード」から依頼状を印刷し、差し込み印刷用のCSVを保存してください。"
                    "コードはハッシュだけを保存しているため、%(minutes)s分後（またはログアウトした時）に画面から消え、二度と表示できません。"
                )
                % {"count": f"{len(issued.codes):,}", "minutes": settings.KOE_INVITATION_CODES_SHOW_MINUTES},
            )
            return redirect(reverse("staff:survey_operations", args=[survey.pk]) + "#issued")
    return _render(request, survey, issue_form=form, status=400)


def _gone(request, survey, status=200):
    """What the sheet and CSV links answer once the codes are no longer in this session."""
    context = {"consultation": survey, "show_minutes": settings.KOE_INVITATION_CODES_SHOW_MINUTES}
    return render(request, "results/staff/invitation_gone.html", context, status=status)


def _sheets(survey: Consultation, codes: list[str]) -> list[dict]:
    form_url = absolute_reverse("feedback:submit", survey.pk)
    label = _("回答ページ（招待コード入り）を開くQRコード")
    return [
        {
            "number": number,
            "code": invitation_code_display(code),
            "url": f"{form_url}?code={code}",
            "qr": qr_svg(f"{form_url}?code={code}", label=label),
        }
        for number, code in enumerate(codes, start=1)
    ]


@never_cache
@staff_member_required(*CITYWIDE_ROLES)
def invitation_sheet(request, pk):
    """A4 依頼状, one sheet per respondent, for the batch this session issued."""
    survey = _survey(request, pk)
    batch_id = _posted_id(request.GET.get("batch"))
    codes = _codes(request, survey, batch_id)
    if codes is None:
        return _gone(request, survey)
    context = {
        "consultation": survey,
        "sheets": _sheets(survey, codes),
        "batch_id": batch_id,
        "form_url": absolute_reverse("feedback:submit", survey.pk),
        "deadline": timezone.localtime(survey.closes_at) if survey.closes_at else None,
    }
    return render(request, "results/staff/invitation_sheet.html", context)


@never_cache
@staff_member_required(*CITYWIDE_ROLES)
def invitation_csv(request, pk):
    """The batch's codes for a mail merge (UTF-8 with BOM, CRLF; core.exports)."""
    survey = _survey(request, pk)
    batch_id = _posted_id(request.GET.get("batch"))
    codes = _codes(request, survey, batch_id)
    if codes is None:
        return _gone(request, survey)
    form_url = absolute_reverse("feedback:submit", survey.pk)
    deadline = f"{timezone.localtime(survey.closes_at):%Y-%m-%d}" if survey.closes_at else ""
    rows = (
        (number, invitation_code_display(code), f"{form_url}?code={code}", form_url, deadline)
        for number, code in enumerate(codes, start=1)
    )
    return csv_response(
        content=csv_bytes(header=CSV_HEADER, rows=rows),
        filename=f"survey-{survey.pk}-invitation-codes-{batch_id}.csv",
    )


@require_POST
@staff_member_required(*CITYWIDE_ROLES)
def invitation_forget(request, pk):
    survey = _survey(request, pk)
    if _forget(request, _posted_id(request.POST.get("batch"))):
        messages.success(request, _("発行したコードを画面から消去しました。以後は表示できません。"))
    return redirect("staff:survey_operations", pk=survey.pk)


@require_POST
@staff_member_required(*CITYWIDE_ROLES)
def invitation_void(request, pk):
    survey = _survey(request, pk)
    batch_id = _posted_id(request.POST.get("batch"))
    batch = InvitationBatch.objects.filter(consultation=survey, pk=batch_id or None).first()
    if batch is None:
        messages.error(request, _("無効にする発行分を選んでください。"))
        return redirect("staff:survey_operations", pk=survey.pk)
    try:
        voided = invitation_batch_void(actor=request.user, batch=batch, ip_address=client_ip(request))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        _forget(request, batch_id)
        messages.success(
            request,
            _(
                "発行分の未使用のコード%(count)s件を無効にしました。これらのコードでは回答できず、回収率の分母からも除きます。"
            )
            % {"count": f"{voided:,}"},
        )
    return redirect("staff:survey_operations", pk=survey.pk)


@require_POST
@staff_member_required(*CITYWIDE_ROLES)
def reminder_record(request, pk):
    survey = _survey(request, pk)
    form = ReminderWaveForm(data=request.POST, auto_id="wave_%s")
    if form.is_valid():
        try:
            wave = reminder_wave_record(
                actor=request.user,
                survey=survey,
                sent_on=form.cleaned_data["sent_on"],
                sent_count=form.cleaned_data["sent_count"],
                note=form.cleaned_data["note"],
                ip_address=client_ip(request),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(date)s発送の督促（%(count)s通）を記録しました。")
                % {"date": f"{wave.sent_on:%Y年%-m月%-d日}", "count": f"{wave.sent_count:,}"},
            )
            return redirect(reverse("staff:survey_operations", args=[survey.pk]) + "#waves")
    return _render(request, survey, wave_form=form, status=400)


@require_POST
@staff_member_required(*CITYWIDE_ROLES)
def reminder_delete(request, pk):
    survey = _survey(request, pk)
    wave_id = _posted_id(request.POST.get("wave"))
    wave = ReminderWave.objects.filter(consultation=survey, pk=wave_id or None).first()
    if wave is None:
        messages.error(request, _("削除する督促の記録を選んでください。"))
    else:
        reminder_wave_delete(actor=request.user, wave=wave, ip_address=client_ip(request))
        messages.success(
            request, _("%(date)s発送の督促の記録を削除しました。") % {"date": f"{wave.sent_on:%Y年%-m月%-d日}"}
        )
    return redirect(reverse("staff:survey_operations", args=[survey.pk]) + "#waves")
