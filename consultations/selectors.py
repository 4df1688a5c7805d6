"""Reads of consultations, with what the public may see decided here."""

from django.db.models import QuerySet, prefetch_related_objects
from django.utils import timezone

from consultations.models import Consultation

PUBLIC_STATUSES = (
    Consultation.Status.OPEN,
    Consultation.Status.CLOSED,
    Consultation.Status.PUBLISHED,
    Consultation.Status.WITHDRAWN,
)


def consultation_list_public(*, kind: str | None = None, status: str | None = None) -> QuerySet[Consultation]:
    """Return consultations the public may see, soonest deadline first."""
    qs = (
        Consultation.objects.filter(status__in=PUBLIC_STATUSES)
        .exclude(kind=Consultation.Kind.LETTER)
        .select_related("department", "department__parent")
        .prefetch_related("policies")
    )
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("status", "closes_at", "-id")


def consultation_list_open(*, kind: str | None = None) -> QuerySet[Consultation]:
    return consultation_list_public(kind=kind, status=Consultation.Status.OPEN)


def consultation_get_public(*, pk: int) -> Consultation | None:
    return (
        consultation_list_public()
        .prefetch_related("sections", "attachments", "questions__choices")
        .filter(pk=pk)
        .first()
    )


def consultation_get_for_intake(*, pk: int) -> Consultation | None:
    """A public consultation with only what its submit form needs: the 該当箇所 of a パブリック・コメント.

    The submit POST is the deadline's hot path (every resident's final
    click); the detail page's prefetches (施策, attachments, questions) and
    joins cost it about a third of its time and are never read there. The
    survey form loads its own questions and choices.
    """
    consultation = (
        Consultation.objects.filter(status__in=PUBLIC_STATUSES)
        .exclude(kind=Consultation.Kind.LETTER)
        .filter(pk=pk)
        .first()
    )
    if consultation is not None and consultation.kind == Consultation.Kind.PUBLIC_COMMENT:
        prefetch_related_objects([consultation], "sections")
    return consultation


def consultation_get_letter() -> Consultation | None:
    """Return the always-open 市長への手紙 channel, if the city runs one."""
    return (
        Consultation.objects.filter(kind=Consultation.Kind.LETTER, status=Consultation.Status.OPEN)
        .order_by("id")
        .first()
    )


def consultation_is_accepting(consultation: Consultation, *, now=None) -> bool:
    """True while residents may submit through the web or API."""
    if consultation.status != Consultation.Status.OPEN:
        return False
    if consultation.is_always_open:
        return True
    now = now or timezone.now()
    if consultation.opens_at and now < consultation.opens_at:
        return False
    return not (consultation.closes_at and now > consultation.closes_at)


def consultation_accepts_paper(consultation: Consultation) -> bool:
    """True while staff may still enter paper/FAX/e-mail submissions."""
    return consultation.status in (Consultation.Status.OPEN, Consultation.Status.CLOSED)


def consultation_list_for_staff_entry() -> QuerySet[Consultation]:
    return Consultation.objects.filter(status__in=(Consultation.Status.OPEN, Consultation.Status.CLOSED)).order_by(
        "kind", "-id"
    )
