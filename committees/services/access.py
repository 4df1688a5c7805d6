"""Audit rows for every view of applicants' or members' personal data (one row per page shown)."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from committees.models import Application, Committee, RecruitmentRound
from committees.selectors import may_manage_committee
from core.services import audit_record


@transaction.atomic
def personal_data_viewed(
    *,
    actor,
    committee: Committee,
    target: Committee | RecruitmentRound | Application,
    what: str,
    ip_address: str | None = None,
) -> None:
    """Refuse anyone but the committee's secretariat and admins; log the view as ``pii.view``."""
    if not may_manage_committee(actor, committee):
        raise PermissionDenied(_("この附属機関の応募者・委員の情報を閲覧する権限がありません。"))
    audit_record(actor=actor, action="pii.view", target=target, summary=what, ip_address=ip_address)
