"""Public pages: find a consultation and read what is being asked."""

from django.http import Http404
from django.shortcuts import render

from consultations.models import Consultation
from consultations.selectors import (
    consultation_get_letter,
    consultation_get_public,
    consultation_is_accepting,
    consultation_list_open,
    consultation_list_public,
    draft_history,
)


def index(request):
    return render(
        request,
        "consultations/index.html",
        {
            "public_comments": consultation_list_open(kind=Consultation.Kind.PUBLIC_COMMENT),
            "surveys": consultation_list_open(kind=Consultation.Kind.SURVEY),
            "letter": consultation_get_letter(),
        },
    )


def consultation_list(request):
    kind = request.GET.get("kind") or None
    status = request.GET.get("status") or None
    if kind not in (None, *Consultation.Kind.values) or status not in (
        None,
        *Consultation.Status.values,
    ):
        kind = status = None
    return render(
        request,
        "consultations/list.html",
        {
            "consultations": consultation_list_public(kind=kind, status=status),
            "kind": kind,
            "status": status,
            "kinds": [c for c in Consultation.Kind.choices if c[0] != Consultation.Kind.LETTER],
            "statuses": [c for c in Consultation.Status.choices if c[0] not in ("draft", "scheduled")],
        },
    )


def consultation_detail(request, pk):
    consultation = consultation_get_public(pk=pk)
    if consultation is None:
        raise Http404
    return render(
        request,
        "consultations/detail.html",
        {
            "consultation": consultation,
            "accepting": consultation_is_accepting(consultation),
            "draft_history": draft_history(consultation=consultation),
            "eligibility_labels": [
                Consultation.Eligibility(c).label
                for c in consultation.eligibility
                if c in Consultation.Eligibility.values
            ],
        },
    )
