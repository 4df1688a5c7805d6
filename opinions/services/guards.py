"""Workbench write guards: who may edit a case's 意見要旨, and the row locks.

Every workbench write checks access through the workbench selectors and
takes its locks in the same order (the case row, then the group).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from consultations.models import Consultation
from opinions import workflow
from opinions.models import OpinionGroup
from opinions.selectors.groups import consultation_list_for_workbench


def _check_workbench(*, actor, consultation: Consultation) -> None:
    if not consultation_list_for_workbench(user=actor).filter(pk=consultation.pk).exists():
        raise PermissionDenied(_("この案件の意見要旨を編集する権限がありません。"))


def _lock_case(consultation_id: int) -> Consultation:
    """Lock the case row first: changes that renumber or add groups queue
    up per case, and always take their locks in the same order.

    FOR NO KEY UPDATE leaves foreign-key checks alone, so intake can still
    store new submissions for the case meanwhile.
    """
    return Consultation.objects.select_for_update(no_key=True).get(pk=consultation_id)


def _lock_group(*, actor, group: OpinionGroup, draft_only: bool = True) -> OpinionGroup:
    locked = OpinionGroup.objects.select_for_update().select_related("consultation").get(pk=group.pk)
    _check_workbench(actor=actor, consultation=locked.consultation)
    if draft_only and locked.review not in workflow.EDITABLE:
        raise ValidationError(
            _("確認・承認の手続中の意見要旨は変更できません。変更するには差し戻してください。"),
            code="not_draft",
        )
    return locked
