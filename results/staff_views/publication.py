"""結果の公表 from the staff site: the 意見の概要と市の考え方 of a closed パブリック・コメント,
with the 決定版 (URL or file) and the 差異 from the draft (修正内容, or 修正なし).

The page shows whether the table may be published and what the
personal-data screen (nlp.screening) finds in it, group by group, before
anyone presses the button; publishing goes through
results.services.publication.results_publish, which screens again under the
row lock. A refusal re-shows the form with what was typed; 広聴 may
override a finding with a reason (audited).
"""

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.decorators import staff_member_required
from accounts.roles import CITYWIDE_ROLES
from consultations.models import Consultation
from core.http import client_ip
from core.views import form_action
from nlp.screening import public_text_screen
from opinions.selectors.groups import (
    consultation_get_for_workbench,
    opinion_counts,
    opinion_group_public_texts,
    opinion_table_ready,
    opinion_table_rows,
)
from results.forms import ResultsPublishForm
from results.services.publication import results_publish


def _context(consultation: Consultation) -> dict:
    counts = opinion_counts(consultation=consultation)
    findings = []
    for group in opinion_table_rows(consultation=consultation, counted=False):
        found = public_text_screen(opinion_group_public_texts(group=group))
        if found:
            findings.append((group, found))
    return {
        "consultation": consultation,
        "counts": counts,
        "ready": opinion_table_ready(consultation=consultation, counts=counts),
        "closed": consultation.status == Consultation.Status.CLOSED,
        "findings": findings,
    }


@staff_member_required(*CITYWIDE_ROLES)
def publish(request, pk):
    consultation = consultation_get_for_workbench(user=request.user, pk=pk)
    if consultation is None:
        raise Http404
    if request.method == "GET" and consultation.status == Consultation.Status.PUBLISHED:
        return render(request, "results/staff/publish.html", {"consultation": consultation, "published": True})
    form = ResultsPublishForm(
        data=request.POST or None,
        files=request.FILES or None,
        initial={
            "decided_on": consultation.decided_on or timezone.localdate(),
            # What the admin already holds, if anything.
            "final_url": consultation.final_url,
            "revision_summary": consultation.revision_summary,
            "unrevised": consultation.unrevised,
        },
    )

    def act(data) -> str:
        results_publish(
            consultation=consultation,
            actor=request.user,
            decided_on=data["decided_on"],
            final_url=data["final_url"],
            final_file=data["final_file"],
            revision_summary=data["revision_summary"],
            unrevised=data["unrevised"],
            screen_override=data["screen_override"],
            screen_override_reason=data["screen_override_reason"],
            ip_address=client_ip(request),
        )
        return _("結果を公表しました。")

    return form_action(
        request,
        form,
        act,
        success_url=reverse("results:detail", args=[consultation.pk]),
        template="results/staff/publish.html",
        context=lambda: _context(consultation),
    )
