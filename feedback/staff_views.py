"""Staff intake: proxy entry of paper/FAX/e-mail/窓口 submissions and CSV import
(the upload page, and the import job's progress page with its JSON status)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from accounts.decorators import staff_member_required
from accounts.roles import STAFF_WORKING_ROLES
from consultations.models import Consultation
from consultations.selectors import consultation_list_for_staff_entry
from core.http import client_ip
from feedback.forms.fields import MORE_SIGNERS_STEP
from feedback.forms.staff import CsvImportForm, StaffEntryForm, StaffSurveyEntryForm
from feedback.models import SubmissionImport
from feedback.selectors import (
    consultation_list_workable_by,
    submission_import_get_for_staff,
    submission_import_list_for,
)
from feedback.services import (
    DuplicateImport,
    submission_create,
    submission_import_resume,
    submission_import_upload,
)
from feedback.services.imports import submission_import_is_stalled

RECENT_IMPORTS = 20


def workable_for_entry(user):
    """Cases open to staff entry that this member of staff may work on."""
    return consultation_list_workable_by(user=user, consultations=consultation_list_for_staff_entry())


def _consultation(request, pk):
    # Another department's case is 404, as on the workbench.
    return get_object_or_404(workable_for_entry(request.user), pk=pk)


def _create_from_entry(request, consultation, form):
    data = form.cleaned_data
    common = {
        "consultation": consultation,
        "channel": data["channel"],
        "entered_by": request.user,
        "received_on": data["received_on"],
        "ip_address": client_ip(request),
    }
    if isinstance(form, StaffSurveyEntryForm):
        return submission_create(
            **common,
            answers=form.answers(),
            attributes=form.attributes(),
            invitation_code=data.get("invitation_code", ""),
        )
    identity = form.identity()
    if data.get("eligibility"):
        identity["eligibility"] = data["eligibility"]
    return submission_create(
        **common,
        body=data["body"],
        identity=identity,
        section_text=data.get("section_text", ""),
        reply_requested=data["reply_requested"],
        publication_consent=data["publication_consent"],
    )


@staff_member_required(*STAFF_WORKING_ROLES)
def entry(request, pk):
    consultation = _consultation(request, pk)
    form_class = StaffSurveyEntryForm if consultation.kind == Consultation.Kind.SURVEY else StaffEntryForm
    form = form_class(data=request.POST or None, consultation=consultation)
    more_signers = request.POST.get("step") == MORE_SIGNERS_STEP and hasattr(form, "show_without_errors")
    if more_signers:
        # 「連名者の入力欄を増やす」: the same entry with more rows, nothing judged yet.
        form.show_without_errors()
    elif request.method == "POST" and form.is_valid():
        try:
            submission = _create_from_entry(request, consultation, form)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(
                request,
                _("受付番号 %(number)s で登録しました。") % {"number": submission.receipt_number},
            )
            # A paper answer over 「Nつまで」 kept as the question's rule says.
            for notice in getattr(form, "limit_notices", []):
                messages.warning(request, notice)
            return redirect("staff:entry", pk=consultation.pk)
    status = 400 if request.method == "POST" and not more_signers else 200
    return render(
        request,
        "feedback/staff/entry_form.html",
        {"form": form, "consultation": consultation},
        status=status,
    )


@staff_member_required(*STAFF_WORKING_ROLES)
def csv_import(request, pk):
    """Upload page: stores the file and hands over to the progress page at once."""
    consultation = _consultation(request, pk)
    form = CsvImportForm(data=request.POST or None, files=request.FILES or None)
    duplicate = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = submission_import_upload(
                consultation=consultation,
                file_name=upload.name,
                raw=upload.read(),
                actor=request.user,
                ip_address=client_ip(request),
            )
        except DuplicateImport as exc:
            duplicate = exc.earlier
            form.add_error("file", exc.messages[0])
        else:
            return redirect("staff:csv_import_detail", pk=consultation.pk, import_id=job.pk)
    return render(
        request,
        "feedback/staff/csv_import.html",
        {
            "form": form,
            "consultation": consultation,
            "duplicate": duplicate,
            "imports": submission_import_list_for(consultation=consultation)[:RECENT_IMPORTS],
        },
        status=400 if form.errors else 200,
    )


def _import_or_404(request, pk, import_id) -> SubmissionImport:
    # Another department's import is 404, as its case is.
    job = submission_import_get_for_staff(user=request.user, consultation_id=pk, import_id=import_id)
    if job is None:
        raise Http404
    return job


def _progress(job: SubmissionImport) -> dict:
    """What the progress page and its JSON say, in words (never colour only)."""
    total = job.row_count
    if job.status == SubmissionImport.Status.QUEUED:
        text = _("待機中：まもなく取り込みを始めます。")
        done = 0
    elif job.status == SubmissionImport.Status.RUNNING and job.processed_count < (total or 1):
        done = job.processed_count
        text = _("確認中：%(done)s / %(total)s 行") % {"done": f"{done:,}", "total": f"{total:,}" if total else "…"}
    elif job.status == SubmissionImport.Status.RUNNING:
        done = job.created_count
        text = _("登録中：%(done)s / %(total)s 行") % {"done": f"{done:,}", "total": f"{total:,}"}
    elif job.status == SubmissionImport.Status.DONE:
        done = job.created_count
        text = _("完了：%(count)s件を取り込みました（受付番号 %(first)s〜%(last)s）。") % {
            "count": f"{job.created_count:,}",
            "first": job.first_receipt_number or "-",
            "last": job.last_receipt_number or "-",
        }
    else:
        done = job.created_count
        if job.created_count:
            text = _("途中で止まりました：%(count)s件を取り込み、残りは取り込んでいません。") % {
                "count": f"{job.created_count:,}"
            }
        else:
            text = _("取り込めませんでした：%(count)s件の誤りがあります。どの行も取り込んでいません。") % {
                "count": f"{job.error_count:,}"
            }
    return {
        "status": job.status,
        "status_label": job.get_status_display(),
        "finished": job.is_finished,
        "text": text,
        "done": done,
        "total": total,
        "created": job.created_count,
        "stalled": submission_import_is_stalled(job),
    }


@never_cache
@staff_member_required(*STAFF_WORKING_ROLES)
def csv_import_detail(request, pk, import_id):
    job = _import_or_404(request, pk, import_id)
    return render(
        request,
        "feedback/staff/csv_import_detail.html",
        {
            "job": job,
            "consultation": job.consultation,
            "progress": _progress(job),
            "can_upload": workable_for_entry(request.user).filter(pk=pk).exists(),
        },
    )


@never_cache
@require_GET
@staff_member_required(*STAFF_WORKING_ROLES)
def csv_import_status(request, pk, import_id):
    """The progress page's JSON, polled by static/js/job-progress.js."""
    return JsonResponse(_progress(_import_or_404(request, pk, import_id)))


@require_POST
@staff_member_required(*STAFF_WORKING_ROLES)
def csv_import_resume(request, pk, import_id):
    job = _import_or_404(request, pk, import_id)
    try:
        submission_import_resume(job=job, actor=request.user, ip_address=client_ip(request))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("取り込みの再開を依頼しました。取り込み済みの行は重ねて登録されません。"))
    return redirect("staff:csv_import_detail", pk=pk, import_id=job.pk)
