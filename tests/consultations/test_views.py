from http import HTTPStatus

import pytest

from consultations.models import Consultation

from .factories import ConsultationFactory, DraftSectionFactory

pytestmark = pytest.mark.django_db


def test_open_consultations_are_listed_and_drafts_are_not(client):
    open_one = ConsultationFactory(title="公開中の計画案")
    draft = ConsultationFactory(title="準備中の計画案", status=Consultation.Status.DRAFT)
    page = client.get("/").content.decode()
    assert "公開中の計画案" in page and "準備中の計画案" not in page
    assert client.get(f"/consultations/{draft.pk}/").status_code == HTTPStatus.NOT_FOUND
    assert client.get(f"/consultations/{open_one.pk}/").status_code == HTTPStatus.OK


def test_detail_shows_sections_period_and_escapes_text(client):
    consultation = ConsultationFactory(title="<script>alert(1)</script>計画")
    DraftSectionFactory(consultation=consultation, number="2-1", heading="施策の方向")
    page = client.get(f"/consultations/{consultation.pk}/").content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page
    assert "2-1 施策の方向" in page
    assert "31日間" in page
    assert "令和" in page  # 和暦 shown alongside 西暦
    assert f"/consultations/{consultation.pk}/submit/" in page


def test_closed_consultation_offers_no_form(client):
    consultation = ConsultationFactory(closed=True)
    page = client.get(f"/consultations/{consultation.pk}/").content.decode()
    assert "/submit/" not in page
    assert client.get(f"/consultations/{consultation.pk}/submit/").status_code == HTTPStatus.GONE
