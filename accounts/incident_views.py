"""Staff pages of the 漏えい等事案 register (個人情報保護法68条): 広聴 and admins only.

The list (open incidents, overdue first, days left in words), a form to
record an incident and to change its facts, the detail page (the 報告義務
item by item, the terms, the reports, the 本人への通知, closure and the
timeline from the audit rows) and the CSV of the register. Every write is a
core.incidents.services call through core.views.form_action, so an error
re-shows the form with what was typed.
"""

from dataclasses import fields

from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.decorators import staff_member_required
from accounts.incident_forms import CloseForm, IncidentForm, NoticeForm, ReportForm
from accounts.roles import INCIDENT_ROLES
from core.exports import csv_response
from core.http import client_ip
from core.incidents import selectors, services
from core.incidents.models import Incident
from core.incidents.rules import FINAL_REPORT_DAYS, FINAL_REPORT_DAYS_IMPROPER_PURPOSE, PERSON_THRESHOLD
from core.views import form_action

handles_incidents = staff_member_required(*INCIDENT_ROLES)
FACT_NAMES = [f.name for f in fields(services.IncidentFacts)]
RULES = {
    "threshold": PERSON_THRESHOLD,
    "final_days": FINAL_REPORT_DAYS,
    "final_days_long": FINAL_REPORT_DAYS_IMPROPER_PURPOSE,
    "guidance_first": selectors.GUIDANCE_FIRST_DAY,
    "guidance_last": selectors.GUIDANCE_LAST_DAY,
}


def _facts(data) -> services.IncidentFacts:
    return services.IncidentFacts(**{name: data[name] for name in FACT_NAMES})


@handles_incidents
def incident_list(request):
    return render(
        request,
        "accounts/incidents/list.html",
        {"open_rows": selectors.incident_rows_open(), "closed_rows": selectors.incident_rows_closed(), "rules": RULES},
    )


@handles_incidents
def incident_create(request):
    form = IncidentForm(data=request.POST or None)
    created = {}

    def act(data) -> str:
        incident = services.incident_create(actor=request.user, facts=_facts(data), ip_address=client_ip(request))
        created["incident"] = incident
        row = selectors.incident_row(incident)
        return _("%(number)s を記録しました。判断：%(obligation)s。") % {
            "number": incident.number,
            "obligation": row.obligation_text,
        }

    response = form_action(
        request,
        form,
        act,
        success_url=reverse("staff:incident_list"),
        template="accounts/incidents/form.html",
        context={"rules": RULES},
    )
    if "incident" in created:  # go to the new incident rather than the list
        response["Location"] = reverse("staff:incident_detail", args=[created["incident"].pk])
    return response


def _detail_context(incident, **forms) -> dict:
    """The detail page: the incident, its judgment and terms, the timeline and the three forms.

    ``forms`` replaces a form by the bound one that was posted (form_action
    re-renders the page with it, keeping what was typed and its errors).
    """
    context = {
        "row": selectors.incident_row(incident),
        "incident": incident,
        "timeline": selectors.incident_timeline(incident=incident),
        "close_blockers": services.close_blockers(incident),
        "rules": RULES,
        "report_form": ReportForm(initial={"sent_at": timezone.localtime().replace(second=0, microsecond=0)}),
        "notice_form": NoticeForm(
            initial={
                "notice": incident.notice,
                "notice_at": incident.notice_at and timezone.localtime(incident.notice_at),
                "method": incident.notice_method,
                "difficulty": incident.notice_difficulty,
                "substitute": incident.notice_substitute,
            }
        ),
        "close_form": CloseForm(),
    }
    context.update(forms)
    return context


@handles_incidents
def incident_detail(request, pk):
    incident = get_object_or_404(Incident, pk=pk)
    return render(request, "accounts/incidents/detail.html", _detail_context(incident))


@handles_incidents
def incident_edit(request, pk):
    incident = get_object_or_404(Incident, pk=pk)
    initial = {name: getattr(incident, name) for name in FACT_NAMES}
    for name in ("discovered_at", "occurred_at"):
        initial[name] = initial[name] and timezone.localtime(initial[name])
    form = IncidentForm(data=request.POST or None, initial=initial)

    def act(data) -> str:
        services.incident_update(
            actor=request.user, incident=incident, facts=_facts(data), ip_address=client_ip(request)
        )
        return _("%(number)s の内容を変更しました。") % {"number": incident.number}

    return form_action(
        request,
        form,
        act,
        success_url=reverse("staff:incident_detail", args=[incident.pk]),
        template="accounts/incidents/form.html",
        context={"incident": incident, "rules": RULES},
    )


def _detail_action(request, pk, form_class, form_name, act):
    """One form of the detail page: the service call, or the page again with the form's errors."""
    incident = get_object_or_404(Incident, pk=pk)
    form = form_class(data=request.POST)
    return form_action(
        request,
        form,
        lambda data: act(incident, data),
        success_url=reverse("staff:incident_detail", args=[incident.pk]),
        template="accounts/incidents/detail.html",
        context=lambda: _detail_context(incident, **{form_name: form}),
    )


@require_POST
@handles_incidents
def incident_report(request, pk):
    def act(incident, data) -> str:
        services.incident_report_record(
            actor=request.user,
            incident=incident,
            kind=data["kind"],
            sent_at=data["sent_at"],
            note=data["note"],
            ip_address=client_ip(request),
        )
        return _("%(kind)sを記録しました。") % {"kind": Incident.Report(data["kind"]).label}

    return _detail_action(request, pk, ReportForm, "report_form", act)


@require_POST
@handles_incidents
def incident_notice(request, pk):
    def act(incident, data) -> str:
        services.incident_notice_record(
            actor=request.user,
            incident=incident,
            notice=data["notice"],
            notice_at=data["notice_at"],
            method=data["method"],
            difficulty=data["difficulty"],
            substitute=data["substitute"],
            ip_address=client_ip(request),
        )
        return _("本人への対応を記録しました。")

    return _detail_action(request, pk, NoticeForm, "notice_form", act)


@require_POST
@handles_incidents
def incident_close(request, pk):
    def act(incident, data) -> str:
        services.incident_close(actor=request.user, incident=incident, note=data["note"], ip_address=client_ip(request))
        return _("%(number)s を終結しました。") % {"number": incident.number}

    return _detail_action(request, pk, CloseForm, "close_form", act)


@handles_incidents
def incident_csv(request):
    content, count = selectors.incident_register_csv()
    services.incident_export_record(actor=request.user, count=count, ip_address=client_ip(request))
    return csv_response(content=content, filename=f"incidents-{timezone.localdate():%Y%m%d}.csv")
