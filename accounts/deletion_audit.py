"""Every deletion of a user account leaves an audit row, whichever code deletes it.

A ``pre_delete`` receiver on the user model (connected in
``AccountsConfig.ready``) writes ``user.delete`` in the deletion's own
transaction: the Django admin, a resident deleting their account, a
retention job, ``QuerySet.delete()`` or the shell all leave one row per
account, and a deletion that rolls back leaves none. Rows the account
wrote before are not touched (``core.models.AuditEvent.actor`` has no
constraint and DO_NOTHING), so they keep its id and display name.

Who deleted the account is known when the deleting code says so: wrap the
deletion in ``user_deletion_actor(actor, reason=…)``, or call
``user_delete``; otherwise the row names no actor (システム). A resident's
e-mail is not copied into the row: a resident is named by id only.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.db import transaction
from django.db.models.signals import pre_delete
from django.dispatch import receiver
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import is_staff_member, user_roles
from core.services import audit_record

USER_DELETE_ACTION = "user.delete"


@dataclass(frozen=True)
class _Deletion:
    actor: object
    reason: str
    ip_address: str | None


_current: ContextVar[_Deletion | None] = ContextVar("koe_user_deletion", default=None)


@contextmanager
def user_deletion_actor(actor, *, reason: str = "", ip_address: str | None = None) -> Iterator[None]:
    """Name who deletes (and why) for the accounts deleted inside the block."""
    token = _current.set(_Deletion(actor, reason, ip_address))
    try:
        yield
    finally:
        _current.reset(token)


@transaction.atomic
def user_delete(*, user: User, actor, reason: str = "", ip_address: str | None = None) -> None:
    """Delete an account; the audit row names ``actor`` and ``reason``."""
    with user_deletion_actor(actor, reason=reason, ip_address=ip_address):
        user.delete()


def _label(user: User) -> str:
    """Staff by their display name; a resident by id only (their e-mail is what is being removed)."""
    if is_staff_member(user):
        return str(user)
    return _("市民 #%(id)s") % {"id": user.pk}


@receiver(pre_delete, sender=User, dispatch_uid="accounts.audit_user_delete")
def audit_user_delete(sender, instance: User, **kwargs) -> None:
    deletion = _current.get() or _Deletion(None, "", None)
    actor = deletion.actor if getattr(deletion.actor, "is_authenticated", False) else None
    label = _label(instance)
    staff = is_staff_member(instance)
    actor_label = None
    if actor is not None and actor.pk == instance.pk:
        actor_label = _("本人（%(label)s）") % {"label": label}
    elif actor is None:
        actor_label = _("システム")
    audit_record(
        actor=actor,
        actor_label=actor_label,
        action=USER_DELETE_ACTION,
        target_type=User._meta.label_lower,
        target_id=instance.pk,
        summary=_("利用者「%(label)s」を削除しました") % {"label": label}
        + (f"：{deletion.reason}" if deletion.reason else ""),
        before={
            "label": label,
            "staff": staff,
            "roles": sorted(user_roles(instance)) if staff else [],
            "department_id": instance.department_id,
        },
        after={"deleted": True, "reason": deletion.reason},
        ip_address=deletion.ip_address,
    )
