"""A resident deletes their own account; their opinions stay, their identity goes.

What is kept is the public record (the opinion text, 受付番号, dates, the
respondent attributes of a survey answer); what goes is the account (e-mail,
display name, password, TOTP) and the identity on every submission sent from
it (the SubmitterIdentity rows: 氏名, 住所, 電話, メール …). Staff accounts are
not deleted this way: an admin removes them, so 職員's records of work stay
attributable until then.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.deletion_audit import user_delete
from accounts.roles import is_staff_member
from consultations.models import Consultation
from feedback.models import Submission
from feedback.services.retention import submission_identities_erase


@dataclass(frozen=True)
class AccountDeletion:
    submissions: int  # submissions sent from the account (all kept)
    identities_erased: int  # of which had an identity, now erased


def may_delete_own_account(user) -> bool:
    return bool(user.is_authenticated and not (is_staff_member(user) or user.is_staff or user.is_superuser))


def letters_awaiting_reply(*, user) -> int:
    """市長への手紙 from this account whose reply has not been sent yet (it needs the contact details)."""
    return (
        Submission.objects.filter(
            author=user,
            consultation__kind=Consultation.Kind.LETTER,
            reply_requested=True,
        )
        .exclude(status__in=[Submission.Status.ANSWERED, Submission.Status.FILED, Submission.Status.WITHDRAWN])
        .count()
    )


@transaction.atomic
def resident_account_delete(*, user, ip_address: str | None = None) -> AccountDeletion:
    """Erase the identity on the resident's submissions and delete the account (one audit row)."""
    if not may_delete_own_account(user):
        raise PermissionDenied(_("職員のアカウントはこの画面では削除できません。システム管理者に依頼してください。"))
    ids = list(Submission.objects.filter(author=user).values_list("id", flat=True))
    erased = submission_identities_erase(submission_ids=ids, detach_author=True)
    result = AccountDeletion(submissions=len(ids), identities_erased=erased)
    # accounts.deletion_audit writes the one user.delete row (the resident by id only).
    user_delete(
        user=user,
        actor=user,
        reason=_("本人がマイページから削除（提出 %(count)s件、うち個人情報を消去 %(erased)s件）")
        % {"count": len(ids), "erased": erased},
        ip_address=ip_address,
    )
    return result
