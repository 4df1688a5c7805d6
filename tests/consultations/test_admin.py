"""Editing a consultation in the admin goes through consultation_update."""

import datetime
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import ADMIN
from consultations.models import Consultation
from consultations.services import closing_moment
from core.models import AuditEvent
from tests.accounts.factories import StaffUserFactory
from tests.consultations.factories import ConsultationFactory, DraftSectionFactory
from tests.support.admin_forms import admin_form_data

pytestmark = pytest.mark.django_db
SHORT_REASON = "法改正の施行日に間に合わせるため"


@pytest.fixture
def admin_client(client):
    # An administrator with TOTP enrolled (StaffUserFactory's default).
    admin_user = StaffUserFactory(roles=[ADMIN], is_superuser=True, is_staff=True)
    client.force_login(admin_user)
    client.admin_user = admin_user
    return client


@pytest.fixture
def open_case():
    """Open since yesterday, announced yesterday, 31 days to the closing day."""
    consultation = ConsultationFactory()
    DraftSectionFactory(consultation=consultation)
    assert consultation.period_days() == 31
    return consultation


def _edit(admin_client, consultation, **changes):
    url = reverse("admin:consultations_consultation_change", args=[consultation.pk])
    page = admin_client.get(url)
    assert page.status_code == HTTPStatus.OK
    data = admin_form_data(page.content.decode())
    data.update(changes)
    return admin_client.post(url, data)


def _closing_day(days_from_today: int) -> dict:
    day = timezone.localdate() + datetime.timedelta(days=days_from_today)
    return {"closes_at_0": day.isoformat(), "closes_at_1": "23:59:59"}


def test_shortening_an_open_case_below_30_days_without_a_reason_is_refused(admin_client, open_case):
    stored_closes_at = open_case.closes_at
    typed = _closing_day(19)  # 公示日 yesterday → 21 days, both counted

    response = _edit(admin_client, open_case, **typed)

    assert response.status_code == HTTPStatus.OK
    errors = response.context["adminform"].form.errors
    assert list(errors) == ["closes_at"]
    assert "意見募集期間が21日で30日未満です" in errors["closes_at"][0]
    page = response.content.decode()
    assert "意見募集期間が21日で30日未満です" in page
    assert f'value="{typed["closes_at_0"]}"' in page  # what was typed is kept
    open_case.refresh_from_db()
    assert open_case.closes_at == stored_closes_at
    assert not AuditEvent.objects.filter(action="consultation.update").exists()


def test_shortening_with_a_published_reason_saves_and_is_audited(admin_client, open_case):
    response = _edit(admin_client, open_case, short_period_reason=SHORT_REASON, **_closing_day(19))

    assert response.status_code == HTTPStatus.FOUND, response.context["adminform"].form.errors
    open_case.refresh_from_db()
    new_closes_at = closing_moment(timezone.localdate() + datetime.timedelta(days=19))
    assert open_case.closes_at == new_closes_at
    assert open_case.short_period_reason == SHORT_REASON
    assert open_case.status == Consultation.Status.OPEN
    event = AuditEvent.objects.get(action="consultation.update")
    assert event.actor == admin_client.admin_user
    assert event.target_type == "consultations.consultation"
    assert event.target_id == str(open_case.pk)
    assert set(event.after) == {"closes_at", "short_period_reason"}
    assert event.before["short_period_reason"] == ""
    assert event.after["short_period_reason"] == SHORT_REASON
    assert event.before["closes_at"] != event.after["closes_at"]
    assert datetime.datetime.fromisoformat(event.after["closes_at"]) == new_closes_at


def test_an_edit_that_does_not_touch_the_period_is_audited_with_just_that_field(admin_client, open_case):
    response = _edit(admin_client, open_case, title="川口市道路整備計画（案）")

    assert response.status_code == HTTPStatus.FOUND
    event = AuditEvent.objects.get(action="consultation.update")
    assert event.before == {"title": open_case.title}
    assert event.after == {"title": "川口市道路整備計画（案）"}


def test_a_draft_may_be_shortened_its_period_is_checked_when_it_opens(admin_client, open_case):
    Consultation.objects.filter(pk=open_case.pk).update(status=Consultation.Status.DRAFT)

    response = _edit(admin_client, open_case, **_closing_day(19))

    assert response.status_code == HTTPStatus.FOUND
    open_case.refresh_from_db()
    assert open_case.period_days() == 21
