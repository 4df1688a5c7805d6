"""Writes on accounts: staff creation, role changes and API tokens."""

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from accounts.models import Department, User
from accounts.roles import ADMIN, ROLE_LABELS, STAFF_ROLES, is_staff_member
from core.services import audit_record


def _roles_clean(roles: list[str] | set[str], *, staff: bool) -> list[str]:
    unknown = sorted(set(roles) - set(ROLE_LABELS))
    if unknown:
        raise ValidationError(
            _("不明な役割です: %(roles)s"),
            code="unknown_role",
            params={"roles": ", ".join(unknown)},
        )
    if staff and not set(roles) & STAFF_ROLES:
        raise ValidationError(
            _("職員には市民以外の役割を少なくとも1つ指定してください。"),
            code="no_staff_role",
        )
    return sorted(set(roles))


def _role_names(user: User) -> list[str]:
    return sorted(user.groups.values_list("name", flat=True))


@transaction.atomic
def user_create_staff(
    *,
    email: str,
    password: str,
    department: Department | None = None,
    roles: list[str],
    display_name: str = "",
    actor: User | None = None,
) -> User:
    """Create a staff account whose e-mail is already verified.

    The account must still enrol TOTP before it reaches staff pages
    (see StaffMFARequiredMiddleware).
    """
    roles = _roles_clean(roles, staff=True)
    email = User.objects.normalize_email(email).strip()
    user = User(
        email=email,
        display_name=display_name,
        department=department,
        is_staff=ADMIN in roles,
    )
    validate_password(password, user)
    user.set_password(password)
    user.full_clean()
    user.save()
    user.groups.set(Group.objects.filter(name__in=roles))
    # Operators vouch for staff addresses, so no verification mail is sent.
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
    audit_record(
        actor=actor,
        action="user.create_staff",
        target=user,
        summary=_("職員アカウントを作成しました"),
        after={
            "email": email,
            "roles": roles,
            "department": department.code if department else None,
        },
    )
    return user


@transaction.atomic
def user_set_roles(*, user: User, roles: list[str], actor: User | None = None) -> User:
    """Replace the user's roles; Django's is_staff follows the admin role."""
    roles = _roles_clean(roles, staff=False)
    before = _role_names(user)
    user.groups.set(Group.objects.filter(name__in=roles))
    # A superuser keeps admin-site access whatever groups it holds.
    is_staff = ADMIN in roles or user.is_superuser
    if user.is_staff != is_staff:
        user.is_staff = is_staff
        user.save(update_fields=["is_staff"])
    # Drop the roles cached by accounts.roles.user_roles.
    user.__dict__.pop("_koe_roles", None)
    if before != roles:
        audit_record(
            actor=actor,
            action="user.set_roles",
            target=user,
            summary=_("役割を変更しました"),
            before={"roles": before},
            after={"roles": roles},
        )
    return user


@transaction.atomic
def api_token_issue(*, user: User, actor: User | None = None) -> str:
    """Create or rotate the user's API token and return its key.

    The key is returned once to the caller and never written to the audit
    log. Only staff members may hold a token.
    """
    if not user.is_active or not is_staff_member(user):
        raise ValidationError(
            _("APIトークンは有効な職員アカウントにのみ発行できます。"),
            code="not_staff",
        )
    rotated, _count = Token.objects.filter(user=user).delete()
    token = Token.objects.create(user=user)
    audit_record(
        actor=actor,
        action="api_token.rotate" if rotated else "api_token.issue",
        target=user,
        summary=_("APIトークンを再発行しました") if rotated else _("APIトークンを発行しました"),
    )
    return token.key
