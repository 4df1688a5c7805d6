"""Staff page /staff/surveys/<pk>/results/."""

import re
from decimal import Decimal
from http import HTTPStatus

import pytest

from accounts.roles import DEPARTMENT_STAFF, KOUCHOU
from plans.models import IndicatorValue
from tests.accounts.factories import StaffUserFactory, UserFactory
from tests.support.surveys import respond, scale_question

pytestmark = pytest.mark.django_db


def _url(survey, suffix=""):
    return f"/staff/surveys/{survey.pk}/results/{suffix}"


def test_kouchou_sees_tables_with_numbers_and_computes_indicators(client, survey, indicator):
    question = scale_question(survey, indicator=indicator)
    respond(survey, {question: ["そう思う"]}, attributes={"gender": "female"})
    respond(survey, {question: ["そう思わない"]}, attributes={"gender": "male"})
    client.force_login(StaffUserFactory(roles=[KOUCHOU]))
    response = client.get(_url(survey))
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert "<caption>" in html and 'scope="col"' in html and 'scope="row"' in html
    assert "50.0%" in html  # the number is printed beside the bar
    assert not re.search(r"\sstyle=", html)  # CSP 'self': no inline styles
    assert not re.search(r"<script(?![^>]*\ssrc=)", html)  # nor inline scripts
    assert "性別別" in html
    response = client.post(_url(survey, "indicators/"))
    assert response.status_code == HTTPStatus.FOUND
    value = IndicatorValue.objects.get(indicator=indicator)
    # 1 of 2 → 50.0%, margin 1.96·√(0.25/2) = 0.69296 → 69.30
    assert (value.value, value.margin_of_error) == (Decimal("50.0"), Decimal("69.30"))
    html = client.get(_url(survey)).content.decode()
    assert "50.0%（n=2、±69.30）" in html and "33.9%" in html  # value, n, margin; baseline shown


def test_department_staff_can_read_but_not_compute(client, survey):
    client.force_login(StaffUserFactory(roles=[DEPARTMENT_STAFF], department=survey.department))
    assert client.get(_url(survey)).status_code == HTTPStatus.OK
    assert client.post(_url(survey, "indicators/")).status_code == HTTPStatus.FORBIDDEN


def test_department_staff_read_only_their_own_departments_survey_results(client, survey):
    from tests.accounts.factories import DepartmentFactory

    other = DepartmentFactory(code="hoiku-s", name="保育課")
    outsider = StaffUserFactory(roles=[DEPARTMENT_STAFF], department=other)
    client.force_login(outsider)
    assert client.get(_url(survey)).status_code == HTTPStatus.NOT_FOUND
    assert client.post(_url(survey, "tally/")).status_code == HTTPStatus.NOT_FOUND
    home = client.get("/staff/").content.decode()
    assert survey.title not in home and _url(survey) not in home
    client.force_login(StaffUserFactory(roles=[DEPARTMENT_STAFF], department=survey.department))
    assert client.get(_url(survey)).status_code == HTTPStatus.OK
    assert _url(survey) in client.get("/staff/").content.decode()
    client.force_login(StaffUserFactory(roles=[KOUCHOU], department=other))
    assert client.get(_url(survey)).status_code == HTTPStatus.OK


def test_citizens_are_refused(client, survey):
    client.force_login(UserFactory())
    assert client.get(_url(survey)).status_code == HTTPStatus.FORBIDDEN


def test_non_survey_is_404(client):
    from tests.consultations.factories import ConsultationFactory

    client.force_login(StaffUserFactory(roles=[KOUCHOU]))
    assert client.get(_url(ConsultationFactory())).status_code == HTTPStatus.NOT_FOUND
