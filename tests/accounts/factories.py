"""Factories for users and departments; other apps' tests import these.

    UserFactory()                      a citizen with a verified e-mail
    StaffUserFactory(roles=[KOUCHOU])  staff, TOTP already enrolled
    StaffUserFactory(with_totp=False)  staff who still has to enrol TOTP
    DepartmentFactory(parent=bu)       a 課 under a 部

Every user's password is DEFAULT_PASSWORD. A staff user's TOTP secret is
kept on the instance as ``user.totp_secret`` so tests can compute codes
with ``totp_code(user.totp_secret)``.
"""

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import encrypt
from django.contrib.auth.models import Group
from factory.django import DjangoModelFactory

from accounts.models import Department, User
from accounts.roles import ADMIN, CITIZEN, DEPARTMENT_STAFF

from .totp import new_totp_secret

DEFAULT_PASSWORD = "kawaguchi-koe-2026"


class DepartmentFactory(DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"dept-{n:03d}")
    name = factory.Sequence(lambda n: f"第{n}課")
    parent = None
    order = factory.Sequence(int)


def _set_roles(user, roles):
    user.groups.set(Group.objects.filter(name__in=roles))
    user.__dict__.pop("_koe_roles", None)
    is_staff = ADMIN in roles or user.is_superuser
    if user.is_staff != is_staff:
        user.is_staff = is_staff
        user.save(update_fields=["is_staff"])


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.jp")
    display_name = factory.Sequence(lambda n: f"利用者{n}")
    password = factory.PostGenerationMethodCall("set_password", DEFAULT_PASSWORD)

    @factory.post_generation
    def _save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save(update_fields=["password"])

    @factory.post_generation
    def email_verified(obj, create, extracted, **kwargs):
        """Register the address with allauth (verified unless False)."""
        if create:
            EmailAddress.objects.update_or_create(
                user=obj,
                email=obj.email,
                defaults={"primary": True, "verified": extracted is not False},
            )

    @factory.post_generation
    def roles(obj, create, extracted, **kwargs):
        if create:
            _set_roles(obj, extracted if extracted is not None else [CITIZEN])


class StaffUserFactory(UserFactory):
    email = factory.Sequence(lambda n: f"staff{n}@city.example.jp")
    display_name = factory.Sequence(lambda n: f"職員{n}")
    department = factory.SubFactory(DepartmentFactory)

    @factory.post_generation
    def roles(obj, create, extracted, **kwargs):
        if create:
            _set_roles(obj, extracted if extracted is not None else [DEPARTMENT_STAFF])

    @factory.post_generation
    def with_totp(obj, create, extracted, **kwargs):
        """Enrol TOTP (default) so the user passes StaffMFARequiredMiddleware."""
        if create and extracted is not False:
            obj.totp_secret = new_totp_secret()
            Authenticator.objects.create(
                user=obj,
                type=Authenticator.Type.TOTP,
                data={"secret": encrypt(obj.totp_secret)},
            )
