"""Reads of the committees app, and who may see what of it (the one place for the rule).

- Everyone: the registry (name, basis, seats, secretariat, term, records),
  the published 公募 notices and the tallied 応募倍率 and composition —
  counts only, never a person.
- A 附属機関事務局 member: the committees whose secretariat is their 課 (a 部
  sees its 課's), with their members and applicants; an admin: all of them.
  Nobody else sees an applicant, 広聴 included. Views of applicants' personal
  data are audited by the views that show them (committees.services.access).
- A resident: their own applications.
"""

import datetime

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.access import department_scope
from accounts.roles import ADMIN, COMMITTEE_SECRETARIAT, has_role
from committees import ratios
from committees.eligibility import CapCheck, Term, caps_check, person_key
from committees.models import Application, Committee, CommitteeMember, RecruitmentRound

# ---- Access ----


def committee_list_managed_by(user) -> QuerySet[Committee]:
    """The committees whose members and applicants ``user`` may see."""
    if has_role(user, ADMIN):
        return Committee.objects.all()
    if not has_role(user, COMMITTEE_SECRETARIAT):
        return Committee.objects.none()
    return Committee.objects.filter(secretariat_id__in=department_scope(user))


def may_manage_committee(user, committee: Committee) -> bool:
    return committee_list_managed_by(user).filter(pk=committee.pk).exists()


def round_get_managed(*, user, pk: int) -> RecruitmentRound | None:
    return (
        RecruitmentRound.objects.select_related("committee", "committee__secretariat")
        .filter(committee__in=committee_list_managed_by(user), pk=pk)
        .first()
    )


def application_get_managed(*, user, pk: int) -> Application | None:
    return (
        Application.objects.select_related("round", "round__committee")
        .filter(round__committee__in=committee_list_managed_by(user), pk=pk)
        .first()
    )


# ---- Public reads ----


def committees_public() -> QuerySet[Committee]:
    return Committee.objects.select_related("secretariat", "secretariat__parent").annotate(
        rounds_open=Count("rounds", filter=Q(rounds__published=True, rounds__notice_ends_on__gte=timezone.localdate()))
    )


def committee_from_query(value: str) -> Committee | None:
    """The committee a public page's ?committee= names; None for the whole city, 404 for an unknown one."""
    if not value:
        return None
    committee = Committee.objects.filter(pk=int(value)).first() if value.isdigit() and len(value) <= 9 else None
    if committee is None:
        raise Http404
    return committee


def round_is_open(recruitment: RecruitmentRound, today: datetime.date | None = None) -> bool:
    today = today or timezone.localdate()
    return recruitment.published and recruitment.notice_starts_on <= today <= recruitment.notice_ends_on


def rounds_open(today: datetime.date | None = None) -> QuerySet[RecruitmentRound]:
    today = today or timezone.localdate()
    return (
        RecruitmentRound.objects.filter(published=True, notice_starts_on__lte=today, notice_ends_on__gte=today)
        .select_related("committee", "committee__secretariat")
        .order_by("notice_ends_on", "pk")
    )


def rounds_closed_recent(*, limit: int = 20) -> QuerySet[RecruitmentRound]:
    return (
        RecruitmentRound.objects.filter(published=True, notice_ends_on__lt=timezone.localdate())
        .select_related("committee")
        .order_by("-notice_ends_on", "-pk")[:limit]
    )


def round_get_public(*, pk: int) -> RecruitmentRound | None:
    return (
        RecruitmentRound.objects.select_related("committee", "committee__secretariat")
        .filter(published=True, pk=pk)
        .first()
    )


def applications_of_applicant(*, user) -> QuerySet[Application]:
    if not getattr(user, "is_authenticated", False):
        return Application.objects.none()
    return (
        Application.objects.filter(applicant=user).select_related("round", "round__committee").order_by("-submitted_at")
    )


def application_of_applicant(*, user, receipt_number: str) -> Application | None:
    return applications_of_applicant(user=user).filter(receipt_number=receipt_number).first()


# ---- The registry as the eligibility rules read it ----


def person_terms(*, name: str, birth_date: datetime.date | None, exclude_member: int | None = None) -> tuple[Term, ...]:
    """Every seat the registry records for this person (but ``exclude_member``, the seat being edited).

    A member is the same person when the names match as person_key and the
    birth dates match; a member entered without a birth date matches on the
    name alone (the secretariat sees the count and can correct the record).
    """
    key = person_key(name)
    members = CommitteeMember.objects.only("name", "birth_date", "committee_id", "term_start", "term_end")
    if exclude_member is not None:
        members = members.exclude(pk=exclude_member)
    if birth_date:
        # The birth date narrows in the database; the name key is compared here (NFKC, no spaces).
        members = members.filter(Q(birth_date=birth_date) | Q(birth_date__isnull=True))
    return tuple(
        Term(committee_id=m.committee_id, start=m.term_start, end=m.term_end)
        for m in members
        if person_key(m.name) == key
    )


def seat_caps_check(
    *,
    committee_id: int | None,
    name: str,
    birth_date: datetime.date | None,
    term_start: datetime.date,
    max_concurrent_seats: int | None = None,
    max_tenure_years: int | None = None,
    exclude_member: int | None = None,
) -> CapCheck:
    """The 兼職 and 在任期間 of this person on ``term_start`` against the caps, from the registry as it is now.

    The caps are a 公募's own for an appointment from it, else the city's
    (KOE_COMMITTEE_MAX_CONCURRENT_SEATS, KOE_COMMITTEE_MAX_TENURE_YEARS).
    """
    return caps_check(
        person_terms(name=name, birth_date=birth_date, exclude_member=exclude_member),
        committee_id=committee_id,
        on=term_start,
        max_concurrent_seats=settings.KOE_COMMITTEE_MAX_CONCURRENT_SEATS
        if max_concurrent_seats is None
        else max_concurrent_seats,
        max_tenure_years=settings.KOE_COMMITTEE_MAX_TENURE_YEARS if max_tenure_years is None else max_tenure_years,
    )


def application_caps_now(application: Application) -> CapCheck:
    """An applicant's 兼職・在任 on the round's 委嘱日, counted again from the registry (it may have changed since entry)."""
    recruitment = application.round
    return seat_caps_check(
        committee_id=recruitment.committee_id,
        name=application.name,
        birth_date=application.birth_date,
        term_start=recruitment.term_start,
        max_concurrent_seats=recruitment.max_concurrent_seats,
        max_tenure_years=recruitment.max_tenure_years,
    )


# ---- 応募倍率 ----


def round_counts(*, committee: Committee | None = None) -> list[ratios.RoundCount]:
    """Seats and applicants of every published round whose notice is over.

    A withdrawn application is not counted. A round still taking
    applications is left out until its 受付締切日 has passed, so a 年度's
    figure never shows a half-received round as a low ratio.
    """
    rounds = RecruitmentRound.objects.filter(published=True, notice_ends_on__lt=timezone.localdate())
    if committee is not None:
        rounds = rounds.filter(committee=committee)
    counted = ~Q(applications__outcome=Application.Outcome.WITHDRAWN)
    rounds = rounds.annotate(
        applicants=Count("applications", filter=counted),
        eligible_applicants=Count("applications", filter=counted & Q(applications__eligible=True)),
    )
    return [
        ratios.RoundCount(
            fiscal_year=r.fiscal_year,
            seats=r.seats_offered,
            applicants=r.applicants,
            eligible_applicants=r.eligible_applicants,
            committee_id=r.committee_id,
        )
        for r in rounds
    ]


def round_count(recruitment: RecruitmentRound) -> ratios.RoundCount:
    applications = [a for a in recruitment.applications.all() if a.counted]
    return ratios.RoundCount(
        fiscal_year=recruitment.fiscal_year,
        seats=recruitment.seats_offered,
        applicants=len(applications),
        eligible_applicants=sum(1 for a in applications if a.eligible),
    )
