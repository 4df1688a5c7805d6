"""意見要旨 actions offered on the triage queue (registered with triage in opinions.apps)."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from feedback.models import Submission
from opinions.models import OpinionGroup, OpinionItem
from opinions.services.items import opinion_item_move
from triage.services import submissions_lock_visible


@transaction.atomic
def submissions_add_to_group(*, actor, submission_ids: Iterable[int], group_number: int):
    """Put every item of the selected submissions into a case's 意見要旨.

    A submission not split yet becomes one item (as the workbench does).
    """
    rows = submissions_lock_visible(user=actor, submission_ids=submission_ids)
    if len({s.consultation_id for s in rows}) != 1:
        raise ValidationError(
            _("意見要旨に加えられるのは、同じ案件の提出だけです。案件で絞り込んでから選んでください。")
        )
    if any(s.status == Submission.Status.WITHDRAWN for s in rows):
        raise ValidationError(_("取り下げられた提出は意見要旨に加えられません。"))
    group = OpinionGroup.objects.filter(consultation_id=rows[0].consultation_id, number=group_number).first()
    if group is None:
        raise ValidationError(_("この案件に番号%(n)sの意見要旨はありません。") % {"n": group_number})
    OpinionItem.objects.bulk_create(
        [
            OpinionItem(
                submission=s,
                order=1,
                text=s.body,
                start=0,
                end=len(s.body),
                section_id=s.section_id,
            )
            for s in rows
            if not s.items.exists()
        ]
    )
    item_ids = OpinionItem.objects.filter(submission__in=rows).values_list("pk", flat=True)
    return opinion_item_move(actor=actor, item_ids=list(item_ids), group=group)


def submissions_add_to_group_action(*, actor, submission_ids: list[int], data: dict) -> str:
    """The queue's bulk action: returns the message shown to the member of staff."""
    group = submissions_add_to_group(actor=actor, submission_ids=submission_ids, group_number=data["group_number"])
    return _("%(count)s件を意見要旨 %(n)s に加えました。") % {
        "count": len(submission_ids),
        "n": group.number,
    }
