import re
from http import HTTPStatus

import pytest

from accounts.roles import DEPARTMENT_STAFF, KOUCHOU
from core.models import AuditEvent
from feedback.models import Submission
from feedback.services import AnswerInput, submission_create, submission_suggestion_apply
from tests.accounts.factories import DepartmentFactory, StaffUserFactory, UserFactory
from tests.consultations.factories import ConsultationFactory, QuestionFactory
from tests.feedback.factories import submit
from tests.plans.factories import PolicyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(django_capture_on_commit_callbacks):
    bu = DepartmentFactory(code="shimin", name="市民生活部")
    kyodo = DepartmentFactory(code="kyodo", name="協働推進課", parent=bu)
    zaisei = DepartmentFactory(code="zaisei", name="財政課")
    policy1, policy3 = PolicyFactory(code="VI-1"), PolicyFactory(code="VI-3")
    pc_kyodo = ConsultationFactory(department=kyodo)
    pc_zaisei = ConsultationFactory(department=zaisei)
    with django_capture_on_commit_callbacks(execute=True):  # run the analysis
        subs = {
            "low": submit(
                pc_kyodo,
                body="町会の加入を増やしたい。電話 090-1111-2222",
                identity={"name": "川口 太郎"},
            ),
            "high": submit(pc_kyodo, body="ボランティアの支援を。"),
            "other": submit(pc_zaisei, body="市税の収納率について。"),
        }
    submission_suggestion_apply(
        submission_id=subs["low"].pk,
        policy_code="VI-1",
        confidence=0.31,
        group_key="g1",
    )
    submission_suggestion_apply(
        submission_id=subs["high"].pk,
        policy_code="VI-1",
        confidence=0.92,
        group_key="g2",
    )
    submission_suggestion_apply(
        submission_id=subs["other"].pk,
        policy_code="VI-3",
        confidence=0.55,
        group_key="g3",
    )
    return {
        "kyodo": kyodo,
        "zaisei": zaisei,
        "bu": bu,
        "policy1": policy1,
        "policy3": policy3,
        **subs,
        "kouchou": StaffUserFactory(roles=[KOUCHOU]),
        "kyodo_staff": StaffUserFactory(roles=[DEPARTMENT_STAFF], department=kyodo),
        "bu_staff": StaffUserFactory(roles=[DEPARTMENT_STAFF], department=bu),
    }


def _numbers(response):
    """Return the fixture names of the listed submissions, in page order."""
    page = response.content.decode()
    found = {page.find(f">{response.wsgi_request._subs[n].receipt_number}<"): n for n in ("low", "high", "other")}
    return [name for position, name in sorted(found.items()) if position >= 0]


def _get(client, world, user, url):
    client.force_login(world[user])
    response = client.get(url)
    response.wsgi_request._subs = world
    return response


def test_queue_lists_low_confidence_first_for_kouchou(client, world):
    response = _get(client, world, "kouchou", "/staff/queue/")
    assert response.status_code == HTTPStatus.OK
    assert _numbers(response) == ["low", "other", "high"]
    page = response.content.decode()
    # The 施策 with its name, not only its code (#13).
    assert re.search(r"VI-1 [^<（]+（推定 31%）", page), page


def test_department_staff_see_only_their_department(client, world):
    assert _numbers(_get(client, world, "kyodo_staff", "/staff/queue/")) == [
        "low",
        "high",
    ]
    # A 部 sees its 課.
    assert _numbers(_get(client, world, "bu_staff", "/staff/queue/")) == ["low", "high"]
    other = world["other"]
    assert _get(client, world, "kyodo_staff", f"/staff/submissions/{other.pk}/").status_code == HTTPStatus.NOT_FOUND


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?policy=VI-3", ["other"]),
        ("?confidence_below=0.5", ["low"]),
        ("?q=ボランティア", ["high"]),
        ("?group=g1", ["low"]),
        ("?order=newest", ["other", "high", "low"]),
    ],
)
def test_queue_filters(client, world, query, expected):
    assert _numbers(_get(client, world, "kouchou", f"/staff/queue/{query}")) == expected


def test_department_staff_read_masked_text_and_cannot_open_personal_data(client, world):
    response = _get(client, world, "kyodo_staff", f"/staff/submissions/{world['low'].pk}/")
    page = response.content.decode()
    assert "090-1111-2222" not in page
    assert "本文（個人情報をマスクした文面）" in page
    assert client.get(f"/staff/submissions/{world['low'].pk}/personal-data/").status_code == HTTPStatus.FORBIDDEN


def test_kouchou_viewing_personal_data_is_logged(client, world):
    response = _get(client, world, "kouchou", f"/staff/submissions/{world['low'].pk}/personal-data/")
    assert "川口 太郎" in response.content.decode()
    event = AuditEvent.objects.get(action="pii.view", target_id=str(world["low"].pk))
    assert event.actor == world["kouchou"]


def test_bulk_assign_and_topic_are_audited_and_feed_training(client, world):
    from nlp.models import TopicLabel

    client.force_login(world["kouchou"])
    ids = [world["low"].pk, world["other"].pk]
    client.post(
        "/staff/queue/",
        {"selected": ids, "action": "assign", "department": world["kyodo"].pk},
    )
    client.post("/staff/queue/", {"selected": ids, "action": "topic", "policy": "VI-1"})
    assert set(Submission.objects.filter(pk__in=ids).values_list("department__code", "policy__code")) == {
        ("kyodo", "VI-1")
    }
    assert AuditEvent.objects.filter(action="submission.assign").count() == 2
    assert set(TopicLabel.objects.filter(submission_id__in=ids).values_list("label_id", flat=True)) == {"VI-1"}


def test_department_staff_cannot_bulk_change_other_departments(client, world):
    client.force_login(world["kyodo_staff"])
    client.post(
        "/staff/queue/",
        {"selected": [world["other"].pk], "action": "status", "status": "filed"},
    )
    world["other"].refresh_from_db()
    assert world["other"].status == "received"


def test_citizens_are_refused(client, world):
    client.force_login(UserFactory())
    assert client.get("/staff/queue/").status_code == HTTPStatus.FORBIDDEN


def test_staff_api_applies_the_same_department_rules(world):
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    api = APIClient()
    token = Token.objects.create(user=world["kyodo_staff"])
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    listed = api.get("/api/v1/staff/queue/").json()["results"]
    assert [row["receipt_number"] for row in listed] == [
        world["low"].receipt_number,
        world["high"].receipt_number,
    ]
    assert api.get(f"/api/v1/staff/submissions/{world['other'].pk}/").status_code == HTTPStatus.NOT_FOUND
    detail = api.get(f"/api/v1/staff/submissions/{world['low'].pk}/").json()
    assert "090-1111-2222" not in detail["text"]
    assert (
        api.post(
            f"/api/v1/staff/submissions/{world['other'].pk}/assign/",
            {"department": "kyodo"},
        ).status_code
        == HTTPStatus.NOT_FOUND
    )
    assert (
        api.post(
            f"/api/v1/staff/submissions/{world['low'].pk}/assign/",
            {"department": "zaisei"},
        ).status_code
        == HTTPStatus.NO_CONTENT
    )


def test_staff_api_refuses_citizens_and_session_without_totp(world, client):
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=UserFactory()).key}")
    assert api.get("/api/v1/staff/queue/").status_code == HTTPStatus.FORBIDDEN
    client.force_login(StaffUserFactory(roles=[KOUCHOU], with_totp=False))
    assert client.get("/api/v1/staff/queue/").status_code == HTTPStatus.FORBIDDEN


def test_a_topic_correction_changes_the_next_training_set(client, world):
    from nlp.training import labelled_examples

    client.force_login(world["kouchou"])
    low = world["low"]
    client.post(f"/staff/submissions/{low.pk}/", {"action": "topic", "policy": "VI-1"})
    client.post(f"/staff/submissions/{low.pk}/", {"action": "topic", "policy": "VI-3"})
    examples = labelled_examples(known={"VI-1", "VI-3"})
    assert (low.body, "VI-3") in examples
    assert (low.body, "VI-1") not in examples
    assert AuditEvent.objects.filter(action="submission.topic", target_id=str(low.pk)).count() == 2


def test_bulk_add_to_an_opinion_group_counts_as_the_same_intent(client, world):
    from opinions.models import OpinionGroup
    from opinions.services.seeding import opinion_groups_seed

    kouchou = world["kouchou"]
    opinion_groups_seed(actor=kouchou, consultation=world["low"].consultation)
    target = OpinionGroup.objects.get(items__submission=world["low"])
    client.force_login(kouchou)
    client.post(
        "/staff/queue/",
        {
            "selected": [world["high"].pk],
            "action": "group",
            "group_number": target.number,
        },
    )
    target.refresh_from_db()
    assert set(target.items.values_list("submission_id", flat=True)) == {
        world["low"].pk,
        world["high"].pk,
    }
    # Submissions of two different cases cannot share a group.
    response = client.post(
        "/staff/queue/",
        {
            "selected": [world["low"].pk, world["other"].pk],
            "action": "group",
            "group_number": target.number,
        },
        follow=True,
    )
    assert "同じ案件の提出だけです" in response.content.decode()


def test_kouchou_reading_an_original_with_personal_data_is_logged(client, world):
    opened = AuditEvent.objects.filter(action="pii.view_original")
    _get(client, world, "kouchou", f"/staff/submissions/{world['low'].pk}/")  # has a phone number
    assert opened.filter(actor=world["kouchou"], target_id=str(world["low"].pk)).count() == 1
    # No personal data found: the original equals the masked copy, nothing to log.
    _get(client, world, "kouchou", f"/staff/submissions/{world['high'].pk}/")
    assert not opened.filter(target_id=str(world["high"].pk)).exists()
    # Departments read the masked copy: nothing to log either.
    _get(client, world, "kyodo_staff", f"/staff/submissions/{world['low'].pk}/")
    assert not opened.filter(actor=world["kyodo_staff"]).exists()


def test_kouchou_reading_an_original_with_personal_data_over_the_api_is_logged(client, world):
    opened = AuditEvent.objects.filter(action="pii.view_original")
    client.force_login(world["kouchou"])
    detail = client.get(f"/api/v1/staff/submissions/{world['low'].pk}/")
    assert detail.status_code == HTTPStatus.OK and "090-1111-2222" in detail.json()["text"]
    row = opened.get()
    assert (row.actor, row.target_type, row.target_id) == (
        world["kouchou"],
        "feedback.submission",
        str(world["low"].pk),
    )
    assert row.summary == "個人情報を含む原文を表示"
    client.get(f"/api/v1/staff/submissions/{world['high'].pk}/")  # nothing to mask: nothing to log
    assert opened.count() == 1
    client.force_login(world["kyodo_staff"])  # reads the masked copy
    assert "090-1111-2222" not in client.get(f"/api/v1/staff/submissions/{world['low'].pk}/").json()["text"]
    assert opened.count() == 1


def test_a_survey_response_shows_its_free_text_and_is_logged_only_when_it_holds_personal_data(
    client, world, django_capture_on_commit_callbacks
):
    """#11: a response's text is its 自由記述; 広聴 read it as departments read its masked copy."""
    survey = ConsultationFactory(survey=True, department=world["kyodo"])
    choice = QuestionFactory(consultation=survey, number=1)
    free = QuestionFactory(consultation=survey, number=2, kind="free_text")

    def respond(text):
        answers = [AnswerInput(choice.pk, choice_ids=[choice.choices.first().pk]), AnswerInput(free.pk, text=text)]
        with django_capture_on_commit_callbacks(execute=True):
            return submission_create(consultation=survey, channel="web", answers=answers)

    plain = respond("集会所の改修を早めにお願いします。")
    phone = respond("集会所の件、電話 090-1111-2222 にご連絡ください。")
    opened = AuditEvent.objects.filter(action="pii.view_original")
    page = _get(client, world, "kouchou", f"/staff/submissions/{plain.pk}/").content.decode()
    assert "集会所の改修を早めにお願いします。" in page
    assert not opened.exists()  # masking found nothing in the text shown
    page = _get(client, world, "kouchou", f"/staff/submissions/{phone.pk}/").content.decode()
    assert "090-1111-2222" in page
    assert list(opened.values_list("target_id", flat=True)) == [str(phone.pk)]
    page = _get(client, world, "kyodo_staff", f"/staff/submissions/{phone.pk}/").content.decode()
    assert "集会所の件" in page and "090-1111-2222" not in page
    assert opened.count() == 1


def test_the_queue_shows_a_masked_excerpt_and_keeps_its_filters(client, db):
    from tests.support.analysis import analyse

    department = DepartmentFactory(code="q-kyodo", name="協働推進課")
    consultation = ConsultationFactory(department=department)
    submission = submit(consultation, body="山田花子です。電話090-1234-5678。町会の掲示板を新しくしてください。")
    Submission.objects.filter(pk=submission.pk).update(department=department)
    analyse(submission, masked_text="〇〇です。電話XXX-XXXX-XXXX。町会の掲示板を新しくしてください。")
    for user in (StaffUserFactory(roles=[KOUCHOU]), StaffUserFactory(roles=[DEPARTMENT_STAFF], department=department)):
        client.force_login(user)
        page = client.get("/staff/queue/").content.decode()
        assert "町会の掲示板を新しくしてください。" in page
        assert "090-1234-5678" not in page and "山田花子" not in page
    # Filters stick: the next visit without a query opens with the last one.
    client.get("/staff/queue/", {"q": "掲示板"})
    again = client.get("/staff/queue/")
    assert again.status_code == 302 and again["Location"] == "/staff/queue/?q=%E6%8E%B2%E7%A4%BA%E6%9D%BF"
    cleared = client.get("/staff/queue/", {"clear": "1"})
    assert cleared.status_code == 302 and cleared["Location"] == "/staff/queue/"
    assert client.get("/staff/queue/").status_code == 200
