"""Edits of the plan in the admin go through plans.services with an audit row.

The 施策 and their キーワード are the NLP taxonomy, so a change to either
names the 施策 in the audit log.
"""

from http import HTTPStatus

import pytest
from django.urls import reverse

from accounts.roles import ADMIN
from core.models import AuditEvent
from plans.models import Policy, PolicyTheme
from tests.accounts.factories import StaffUserFactory
from tests.plans.factories import PolicyFactory, PolicyThemeFactory
from tests.support.admin_forms import admin_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    # An administrator with TOTP enrolled (StaffUserFactory's default).
    admin_user = StaffUserFactory(roles=[ADMIN], is_superuser=True, is_staff=True)
    client.force_login(admin_user)
    client.admin_user = admin_user
    return client


@pytest.fixture
def policy():
    policy = PolicyFactory(code="VI-1", title="地域コミュニティの活性化")
    PolicyThemeFactory(policy=policy, number=1, keywords=["自治会", "町会"])
    return policy


def _edit_policy(admin_client, policy, **changes):
    url = reverse("admin:plans_policy_change", args=[policy.pk])
    page = admin_client.get(url)
    assert page.status_code == HTTPStatus.OK
    data = admin_form_data(page.content.decode())
    data.update(changes)
    response = admin_client.post(url, data)
    assert response.status_code == HTTPStatus.FOUND, (
        response.context["adminform"].form.errors,
        [f.errors for f in response.context["inline_admin_formsets"]],
    )
    return response


def test_renaming_a_policy_is_audited_naming_it(admin_client, policy):
    _edit_policy(admin_client, policy, title="地域コミュニティと自治会の活性化")

    policy.refresh_from_db()
    assert policy.title == "地域コミュニティと自治会の活性化"
    event = AuditEvent.objects.get(action="plan.policy.update")
    assert event.actor == admin_client.admin_user
    assert (event.target_type, event.target_id) == ("plans.policy", str(policy.pk))
    assert "施策VI-1" in event.summary
    assert event.before == {"title": "地域コミュニティの活性化", "policy_code": "VI-1"}
    assert event.after == {
        "title": "地域コミュニティと自治会の活性化",
        "policy_code": "VI-1",
    }
    # Nothing else was written: the theme inline was posted unchanged.
    assert AuditEvent.objects.filter(action__startswith="plan.").count() == 1


def test_changing_a_policys_keywords_is_audited_naming_the_policy(admin_client, policy):
    theme = policy.themes.get()
    data = admin_form_data(admin_client.get(reverse("admin:plans_policy_change", args=[policy.pk])).content.decode())
    prefix = next(key[: -len("-keywords")] for key in data if key.endswith("-keywords"))

    _edit_policy(admin_client, policy, **{f"{prefix}-keywords": '["自治会", "町会", "防災訓練"]'})

    theme.refresh_from_db()
    assert theme.keywords == ["自治会", "町会", "防災訓練"]
    event = AuditEvent.objects.get(action="plan.theme.update")
    assert (event.target_type, event.target_id) == (
        "plans.policytheme",
        str(theme.pk),
    )
    assert "施策VI-1 地域コミュニティの活性化" in event.summary
    assert event.before == {"keywords": ["自治会", "町会"], "policy_code": "VI-1"}
    assert event.after == {
        "keywords": ["自治会", "町会", "防災訓練"],
        "policy_code": "VI-1",
    }
    assert not AuditEvent.objects.filter(action="plan.policy.update").exists()


def test_adding_and_deleting_a_theme_inline_is_audited(admin_client, policy):
    theme = policy.themes.get()
    data = admin_form_data(admin_client.get(reverse("admin:plans_policy_change", args=[policy.pk])).content.decode())
    prefix = next(
        key[: -len("-TOTAL_FORMS")]
        for key in data
        if key.endswith("-TOTAL_FORMS") and f"{key[: -len('-TOTAL_FORMS')]}-0-keywords" in data
    )
    _edit_policy(
        admin_client,
        policy,
        **{
            f"{prefix}-TOTAL_FORMS": "2",
            f"{prefix}-0-DELETE": "on",
            f"{prefix}-1-number": "2",
            f"{prefix}-1-keywords": '["防災"]',
            f"{prefix}-1-backgrounds": '["自主防災組織の担い手が不足しています。"]',
        },
    )

    assert not PolicyTheme.objects.filter(pk=theme.pk).exists()
    assert list(policy.themes.values_list("keywords", flat=True)) == [["防災"]]
    deleted = AuditEvent.objects.get(action="plan.theme.delete")
    assert deleted.target_id == str(theme.pk)
    assert deleted.before["keywords"] == ["自治会", "町会"]
    created = AuditEvent.objects.get(action="plan.theme.create")
    assert created.after["keywords"] == ["防災"]
    assert created.after["policy_code"] == "VI-1"


def test_deleting_a_policy_in_the_admin_is_audited(admin_client, policy):
    url = reverse("admin:plans_policy_delete", args=[policy.pk])
    response = admin_client.post(url, {"post": "yes"})

    assert response.status_code == HTTPStatus.FOUND
    assert not Policy.objects.filter(pk=policy.pk).exists()
    event = AuditEvent.objects.get(action="plan.policy.delete")
    assert event.before["code"] == "VI-1"
    assert event.before["title"] == "地域コミュニティの活性化"


def test_editing_the_plan_itself_is_audited(admin_client, policy):
    plan = policy.vision.plan
    url = reverse("admin:plans_plan_change", args=[plan.pk])
    data = admin_form_data(admin_client.get(url).content.decode())
    data["period_label"] = "令和8年度～令和12年度"

    response = admin_client.post(url, data)

    assert response.status_code == HTTPStatus.FOUND
    event = AuditEvent.objects.get(action="plan.plan.update")
    assert event.after["period_label"] == "令和8年度～令和12年度"
