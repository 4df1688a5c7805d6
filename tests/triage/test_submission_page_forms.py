"""The submission page's note/topic/assign forms say what was wrong."""

from http import HTTPStatus

import pytest

from core.models import AuditEvent
from tests.feedback.factories import submit
from tests.plans.factories import PolicyFactory
from tests.support.analysis import analyse

pytestmark = pytest.mark.django_db


@pytest.fixture
def page(client, people, case):
    PolicyFactory(code="VI-1")
    submission = submit(case[0], body="歩道を広げてください。")
    analyse(submission)
    client.force_login(people["kouchou"])
    return client, f"/staff/submissions/{submission.pk}/", submission


def _post(page, data):
    client, url, submission = page
    response = client.post(url, data, follow=True)
    submission.refresh_from_db()
    return response, response.content.decode()


def test_an_empty_note_is_refused_with_a_message_and_nothing_is_saved(page):
    response, html = _post(page, {"action": "note", "text": "   "})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "メモの内容を入力してください。" in html
    assert not page[2].notes.exists()


def test_a_too_long_note_keeps_what_was_typed(page):
    typed = "長" * 2001
    response, html = _post(page, {"action": "note", "text": typed})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "2000" in html
    assert typed in html  # the textarea still holds the text
    assert not page[2].notes.exists()


def test_an_unknown_policy_is_refused_with_a_message(page):
    response, html = _post(page, {"action": "topic", "policy": "NO-SUCH"})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "選んだ施策は見つかりません" in html
    assert page[2].policy_id is None
    assert not AuditEvent.objects.filter(action="submission.topic").exists()


def test_an_unknown_department_is_refused_with_a_message(page):
    response, html = _post(page, {"action": "assign", "department": "999999"})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "選んだ所管課は見つかりません" in html
    assert page[2].department_id is None
    assert not AuditEvent.objects.filter(action="submission.assign").exists()


def test_a_missing_department_is_refused_with_a_message(page):
    response, html = _post(page, {"action": "assign", "department": ""})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "所管課を選んでください。" in html


def test_valid_forms_still_save_and_say_so(page, org):
    response, html = _post(page, {"action": "note", "text": "電話で確認済み"})
    assert response.status_code == HTTPStatus.OK
    assert "メモを追加しました。" in html
    assert page[2].notes.get().text == "電話で確認済み"
    response, html = _post(page, {"action": "assign", "department": org["road"].pk})
    assert "所管課を割り当てました。" in html
    assert page[2].department == org["road"]
    response, html = _post(page, {"action": "topic", "policy": "VI-1"})
    assert "施策を「" in html
    assert page[2].policy.code == "VI-1"
