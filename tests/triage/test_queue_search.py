"""The queue's text search looks only at what the viewer may read."""

import datetime
from http import HTTPStatus

import pytest
from django.utils import timezone

from accounts.roles import ADMIN, DEPARTMENT_STAFF, KOUCHOU
from nlp.models import SubmissionAnalysis
from tests.accounts.factories import DepartmentFactory, StaffUserFactory
from tests.consultations.factories import ConsultationFactory
from tests.feedback.factories import submit

pytestmark = pytest.mark.django_db

NAMED = "私は山田太郎です。公園のベンチを増やしてほしい。電話 090-1234-5678"


@pytest.fixture
def world(django_capture_on_commit_callbacks):
    kyodo = DepartmentFactory(code="kyodo", name="協働推進課")
    pc = ConsultationFactory(department=kyodo)
    with django_capture_on_commit_callbacks(execute=True):  # run the analysis (masking)
        named = submit(pc, body=NAMED)
    # Intake enqueues the analysis on commit; without running it there is none yet.
    unanalysed = submit(pc, body="山田太郎です。図書館の開館時間を延長してください。")
    return {
        "named": named,
        "unanalysed": unanalysed,
        "kouchou": StaffUserFactory(roles=[KOUCHOU]),
        "admin": StaffUserFactory(roles=[ADMIN]),
        "staff": StaffUserFactory(roles=[DEPARTMENT_STAFF], department=kyodo),
    }


def _html_hits(client, world, user, q):
    client.force_login(world[user])
    response = client.get("/staff/queue/", {"q": q})
    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    return {name for name in ("named", "unanalysed") if f">{world[name].receipt_number}<" in page}


def _api_hits(world, user, q):
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=world[user])[0].key}")
    response = api.get("/api/v1/staff/queue/", {"q": q})
    assert response.status_code == HTTPStatus.OK
    numbers = {row["receipt_number"] for row in response.json()["results"]}
    return {name for name in ("named", "unanalysed") if world[name].receipt_number in numbers}


@pytest.fixture(params=["html", "api"])
def hits(request, client, world):
    if request.param == "html":
        return lambda user, q: _html_hits(client, world, user, q)
    return lambda user, q: _api_hits(world, user, q)


def test_the_name_is_masked_in_the_stored_analysis(world):
    masked = world["named"].analyses.get().masked_text
    assert "山田太郎" not in masked
    assert "1234" not in masked


@pytest.mark.parametrize("q", ["山田太郎", "山田", "1234", "090-1234", "5678"])
def test_departments_cannot_find_masked_personal_data(hits, q):
    assert hits("staff", q) == set()


def test_departments_find_words_they_can_read(hits):
    assert hits("staff", "公園のベンチ") == {"named"}


def test_departments_do_not_search_an_unanalysed_original(hits):
    assert hits("staff", "図書館") == set()


def test_kouchou_and_admins_search_the_original(hits):
    assert hits("kouchou", "山田太郎") == {"named", "unanalysed"}
    assert hits("kouchou", "1234") == {"named"}
    assert hits("admin", "山田太郎") == {"named", "unanalysed"}


def test_departments_search_the_latest_analysis_only(hits, world):
    # An older analysis (say, before a masking fix) kept the name in clear.
    named = world["named"]
    old = SubmissionAnalysis.objects.create(submission=named, model_version="old", masked_text=NAMED)
    SubmissionAnalysis.objects.filter(pk=old.pk).update(analysed_at=timezone.now() - datetime.timedelta(days=30))
    assert hits("staff", "山田太郎") == set()
    assert hits("staff", "公園のベンチ") == {"named"}
