"""Staff intake: proxy entry of paper/FAX/e-mail/窓口 submissions and CSV import."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from accounts.decorators import staff_member_required
from accounts.roles import STAFF_WORKING_ROLES
from consultations.models import Consultation
from consultations.selectors import consultation_list_for_staff_entry
from core.http import client_ip
from feedback.forms.staff import CsvImportForm, StaffEntryForm, StaffSurveyEntryForm
from feedback.selectors import consultation_list_workable_by
from feedback.services import CsvImportFailed, submission_create, submission_import_csv


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
        return submission_create(**common, answers=form.answers(), attributes=form.attributes())
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
    if request.method == "POST" and form.is_valid():
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
            return redirect("staff:entry", pk=consultation.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "feedback/staff/entry_form.html",
        {"form": form, "consultation": consultation},
        status=status,
    )


@staff_member_required(*STAFF_WORKING_ROLES)
def csv_import(request, pk):
    consultation = _consultation(request, pk)
    form = CsvImportForm(data=request.POST or None, files=request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        try:
            created = submission_import_csv(
                consultation=consultation,
                raw=form.cleaned_data["file"].read(),
                actor=request.user,
            )
        except CsvImportFailed as exc:
            errors = exc.errors
        else:
            messages.success(
                request,
                _("%(count)s件を取り込みました（受付番号 %(first)s〜%(last)s）。")
                % {
                    "count": len(created),
                    "first": created[0].receipt_number if created else "-",
                    "last": created[-1].receipt_number if created else "-",
                },
            )
            return redirect("staff:csv_import", pk=consultation.pk)
    status = 400 if (errors or form.errors) else 200
    return render(
        request,
        "feedback/staff/csv_import.html",
        {"form": form, "consultation": consultation, "errors": errors},
        status=status,
    )
