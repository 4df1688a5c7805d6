from http import HTTPStatus

import pytest
from django.test import Client

from accounts.roles import KOUCHOU
from consultations.services import invitation_code_hash
from feedback.models import Submission
from tests.accounts.factories import StaffUserFactory, UserFactory
from tests.consultations.factories import (
    ConsultationFactory,
    DraftSectionFactory,
    QuestionFactory,
)

from .factories import submit

pytestmark = pytest.mark.django_db

BODY = "公園の遊具を増やしてください。\n特に幼児向けが足りません。"


def _pc_data(consultation, **overrides):
    data = {
        "section": "",
        "section_text": "",
        "body": BODY,
        "eligibility": "resident",
        "eligibility_detail": "",
        "name": "川口 太郎",
        "name_kana": "かわぐち たろう",
        "organization": "",
        "postcode": "３３２−８６０１",
        "address": "川口市青木2-1-1",
        "phone": "",
        "email": "taro@example.jp",
    }
    data.update(overrides)
    return data


def test_public_comment_goes_through_confirmation_to_a_receipt(client, django_capture_on_commit_callbacks):
    consultation = ConsultationFactory()
    section = DraftSectionFactory(consultation=consultation, number="3-1", heading="施策の方向")
    url = f"/consultations/{consultation.pk}/submit/"
    assert client.get(url).status_code == HTTPStatus.OK

    confirm = client.post(url, {**_pc_data(consultation, section=section.pk), "step": "confirm"})
    page = confirm.content.decode()
    assert confirm.status_code == HTTPStatus.OK
    assert "入力内容の確認" in page and "まだ送信されていません" in page
    assert "3-1 施策の方向" in page and "332-8601" in page  # normalised postcode shown back
    assert Submission.objects.count() == 0

    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(
            url,
            {
                **_pc_data(consultation, section=section.pk, postcode="332-8601"),
                "step": "submit",
            },
        )
    submission = Submission.objects.get()
    assert done.status_code == HTTPStatus.FOUND
    assert done["Location"] == f"/receipt/{submission.receipt_number}/"
    receipt = client.get(done["Location"]).content.decode()
    assert submission.receipt_number in receipt
    assert submission.section == section and submission.channel == "web"
    assert submission.identity.postcode == "332-8601"
    assert submission.identity.name_kana == "かわぐち たろう"  # as typed (issue #13)
    # Another browser cannot read the receipt.
    assert Client().get(done["Location"]).status_code == HTTPStatus.NOT_FOUND


def test_errors_keep_what_the_user_typed_and_list_every_problem(client):
    consultation = ConsultationFactory(max_opinion_chars=20, required_identity=["name"])
    long_text = "とても長い意見です。" * 5
    response = client.post(
        f"/consultations/{consultation.pk}/submit/",
        {
            **_pc_data(consultation, body=long_text, name="", postcode="12-34"),
            "step": "confirm",
        },
    )
    page = response.content.decode()
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert long_text in page
    assert 'id="error-summary"' in page
    assert "ご意見は20文字以内で入力してください（現在50文字）。" in page
    assert "郵便番号は7桁の数字で入力してください（例：332-8601）。" in page
    assert 'href="#id_name_field"' in page
    assert 'aria-invalid="true"' in page


def test_edit_from_the_confirmation_screen_returns_the_filled_form(client):
    consultation = ConsultationFactory()
    response = client.post(
        f"/consultations/{consultation.pk}/submit/",
        {**_pc_data(consultation), "step": "edit"},
    )
    assert response.status_code == HTTPStatus.OK
    assert "公園の遊具を増やしてください。" in response.content.decode()
    assert Submission.objects.count() == 0


def test_user_text_is_escaped_on_the_confirmation_screen(client):
    consultation = ConsultationFactory()
    response = client.post(
        f"/consultations/{consultation.pk}/submit/",
        {**_pc_data(consultation, body="5 < 10 & \"引用\" 'x'"), "step": "confirm"},
    )
    page = response.content.decode()
    assert "5 &lt; 10 &amp; &quot;引用&quot; &#x27;x&#x27;" in page


def test_letter_requires_name_and_a_way_to_reply_when_a_reply_is_wanted(client):
    letter = ConsultationFactory(letter=True)
    response = client.post(
        "/letter/submit/",
        {
            "body": "駅前の歩道を広げてください。",
            "reply_requested": "yes",
            "contact_method": "post",
            "step": "confirm",
        },
    )
    page = response.content.decode()
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "回答を希望する場合は氏名を入力してください。" in page
    assert "郵送での回答を希望する場合は住所を入力してください。" in page
    ok = client.post(
        "/letter/submit/",
        {
            "body": "駅前の歩道を広げてください。",
            "reply_requested": "no",
            "step": "submit",
        },
    )
    assert ok.status_code == HTTPStatus.FOUND
    assert Submission.objects.get(consultation=letter).reply_requested is False


def test_survey_rejects_too_many_choices_and_stores_answers_with_attributes(client):
    survey = ConsultationFactory(survey=True)
    many = QuestionFactory(
        consultation=survey,
        kind="multiple",
        max_choices=2,
        labels=["広報紙", "HP", "SNS", "回覧板"],
    )
    ids = [str(c.pk) for c in many.choices.all()]
    url = f"/consultations/{survey.pk}/submit/"
    bad = client.post(url, {f"q{many.pk}": ids[:3], "age_band": "30s", "step": "confirm"})
    assert bad.status_code == HTTPStatus.BAD_REQUEST
    assert "選べるのは2つまでです（3つ選ばれています）。" in bad.content.decode()
    good = client.post(
        url,
        {f"q{many.pk}": ids[:2], "age_band": "30s", "gender": "na", "step": "submit"},
    )
    assert good.status_code == HTTPStatus.FOUND
    submission = Submission.objects.get()
    assert sorted(submission.answers.get().choices.values_list("label", flat=True)) == [
        "HP",
        "広報紙",
    ]
    assert (submission.age_band, submission.gender, submission.body) == (
        "30s",
        "na",
        "",
    )


def test_submit_is_rate_limited_per_ip_and_keeps_the_text(client, settings):
    settings.KOE_SUBMIT_RATE = "2/m"
    consultation = ConsultationFactory()
    url = f"/consultations/{consultation.pk}/submit/"
    for _ in range(2):
        assert client.post(url, {**_pc_data(consultation), "step": "submit"}).status_code == HTTPStatus.FOUND
    limited = client.post(url, {**_pc_data(consultation), "step": "submit"})
    assert limited.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert "しばらく待ってから" in limited.content.decode()
    assert "公園の遊具を増やしてください。" in limited.content.decode()
    assert Submission.objects.count() == 2


def test_my_submissions_lists_only_mine_and_allows_withdrawal(client):
    me, someone = UserFactory(), UserFactory()
    consultation = ConsultationFactory()
    mine = submit(consultation, author=me)
    theirs = submit(consultation, author=someone)
    client.force_login(me)
    page = client.get("/mypage/submissions/").content.decode()
    assert mine.receipt_number in page and theirs.receipt_number not in page
    assert client.post(f"/mypage/submissions/{theirs.receipt_number}/withdraw/").status_code == HTTPStatus.NOT_FOUND
    client.post(f"/mypage/submissions/{mine.receipt_number}/withdraw/")
    mine.refresh_from_db()
    assert mine.status == "withdrawn"


def test_login_required_consultation_sends_anonymous_users_to_login(client):
    consultation = ConsultationFactory(allow_anonymous_account=False)
    response = client.get(f"/consultations/{consultation.pk}/submit/")
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith("/accounts/login/")


def test_staff_enter_a_paper_submission_with_its_channel(client):
    consultation = ConsultationFactory()
    staff = StaffUserFactory(roles=[KOUCHOU])
    client.force_login(staff)
    response = client.post(
        f"/staff/consultations/{consultation.pk}/entry/",
        {
            "channel": "post",
            "received_on": "2026-11-20",
            "body": "紙で届いた意見です。",
            "name": "鳩ヶ谷 次郎",
        },
    )
    assert response.status_code == HTTPStatus.FOUND
    submission = Submission.objects.get()
    assert (submission.channel, submission.entered_by, str(submission.received_on)) == (
        "post",
        staff,
        "2026-11-20",
    )
    assert submission.identity.name == "鳩ヶ谷 次郎"


def test_citizens_cannot_reach_staff_entry(client):
    client.force_login(UserFactory())
    consultation = ConsultationFactory()
    assert client.get(f"/staff/consultations/{consultation.pk}/entry/").status_code == HTTPStatus.FORBIDDEN


def test_staff_type_in_a_paper_questionnaire(client):
    survey = ConsultationFactory(survey=True, invitation_required=True)
    question = QuestionFactory(
        consultation=survey,
        kind="scale5",
        labels=["そう思う", "ややそう思う", "そう思わない"],
    )
    # The questionnaire carries its invitation code, spent when it is typed in (#15).
    survey.invitation_codes.create(code_hash=invitation_code_hash("AB12CD34"))
    client.force_login(StaffUserFactory(roles=[KOUCHOU]))
    url = f"/staff/consultations/{survey.pk}/entry/"
    assert "招待コード" in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "channel": "post",
            "received_on": "2026-11-20",
            "invitation_code": "AB12CD34",
            f"q{question.pk}": str(question.choices.first().pk),
            "age_band": "70s",
        },
    )
    assert response.status_code == HTTPStatus.FOUND
    submission = Submission.objects.get()
    assert (submission.channel, submission.age_band) == ("post", "70s")
    assert submission.answers.get().choices.get().label == "そう思う"
    assert survey.invitation_codes.get().used_at is not None


def test_csv_upload_page_reports_bad_rows_and_imports_good_files(client, django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    consultation = ConsultationFactory()
    client.force_login(StaffUserFactory(roles=[KOUCHOU]))
    url = f"/staff/consultations/{consultation.pk}/import/"
    bad = SimpleUploadedFile("x.csv", "提出方法,到着日,意見\r\n電話,2026-11-20,意見\r\n".encode())
    # The import runs as a job after commit (eagerly here); the upload goes to its page.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"file": bad})
    assert response.status_code == HTTPStatus.FOUND
    page = client.get(response["Location"]).content.decode()
    assert "1件の誤りがあるため取り込みませんでした" in page and "提出方法は 郵送・FAX・電子メール・持参" in page
    good = SimpleUploadedFile("x.csv", "提出方法,到着日,意見\r\n郵送,2026-11-20,よい案です\r\n".encode())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"file": good})
    assert response.status_code == HTTPStatus.FOUND
    assert "完了：1件を取り込みました" in client.get(response["Location"]).content.decode()
    assert Submission.objects.get().channel == "post"


@pytest.fixture
def two_departments(db):
    from accounts.roles import DEPARTMENT_APPROVER, DEPARTMENT_STAFF
    from tests.accounts.factories import DepartmentFactory

    bu = DepartmentFactory(code="kensetsu-v", name="建設部")
    road = DepartmentFactory(code="doro-v", name="道路課", parent=bu)
    child = DepartmentFactory(
        code="hoiku-v",
        name="保育課",
        parent=DepartmentFactory(code="kodomo-v", name="子ども部"),
    )
    return {
        "own": ConsultationFactory(department=road, title="道路整備計画（案）"),
        "foreign": ConsultationFactory(department=child, title="保育計画（案）"),
        "staff": StaffUserFactory(roles=[DEPARTMENT_STAFF], department=road),
        "bu_approver": StaffUserFactory(roles=[DEPARTMENT_APPROVER], department=bu),
        "kouchou": StaffUserFactory(roles=[KOUCHOU]),
    }


def test_department_staff_enter_and_import_only_into_their_own_departments_cases(
    client, two_departments, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    own, foreign = two_departments["own"], two_departments["foreign"]
    paper = {
        "channel": "post",
        "received_on": "2026-11-20",
        "body": "紙で届いた意見です。",
    }
    for user in (two_departments["staff"], two_departments["bu_approver"]):
        client.force_login(user)
        home = client.get("/staff/").content.decode()
        assert own.title in home and foreign.title not in home
        assert client.get(f"/staff/consultations/{foreign.pk}/entry/").status_code == HTTPStatus.NOT_FOUND
        assert client.post(f"/staff/consultations/{foreign.pk}/entry/", paper).status_code == HTTPStatus.NOT_FOUND
        csv_file = SimpleUploadedFile("x.csv", "提出方法,到着日,意見\r\n郵送,2026-11-20,よい案です\r\n".encode())
        assert (
            client.post(f"/staff/consultations/{foreign.pk}/import/", {"file": csv_file}).status_code
            == HTTPStatus.NOT_FOUND
        )
        assert client.post(f"/staff/consultations/{own.pk}/entry/", paper).status_code == HTTPStatus.FOUND
    assert not Submission.objects.filter(consultation=foreign).exists()
    assert Submission.objects.filter(consultation=own).count() == 2

    client.force_login(two_departments["kouchou"])
    home = client.get("/staff/").content.decode()
    assert own.title in home and foreign.title in home
    assert client.post(f"/staff/consultations/{foreign.pk}/entry/", paper).status_code == HTTPStatus.FOUND
    csv_file = SimpleUploadedFile("x.csv", "提出方法,到着日,意見\r\n郵送,2026-11-20,よい案です\r\n".encode())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/staff/consultations/{foreign.pk}/import/", {"file": csv_file})
    assert response.status_code == HTTPStatus.FOUND
    assert Submission.objects.filter(consultation=foreign).count() == 2


def test_the_workable_rule_is_one_predicate(two_departments):
    from feedback.selectors import (
        can_work_on_consultation,
        consultation_list_workable_by,
    )

    own, foreign = two_departments["own"], two_departments["foreign"]
    assert set(consultation_list_workable_by(user=two_departments["staff"])) == {own}
    assert set(consultation_list_workable_by(user=two_departments["bu_approver"])) == {own}
    assert {own, foreign} <= set(consultation_list_workable_by(user=two_departments["kouchou"]))
    assert can_work_on_consultation(user=two_departments["staff"], consultation=own)
    assert not can_work_on_consultation(user=two_departments["staff"], consultation=foreign)
    assert can_work_on_consultation(user=two_departments["kouchou"], consultation=foreign)
    assert not can_work_on_consultation(user=UserFactory(), consultation=own)


def test_missing_fields_are_named_in_the_browsers_language(client):
    # An English browser gets the English page (#15); the message still names the field.
    consultation = ConsultationFactory(required_identity=["name", "address"])
    response = client.post(
        f"/consultations/{consultation.pk}/submit/",
        {**_pc_data(consultation, name="", address=""), "step": "confirm"},
        HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9",
    )
    page = response.content.decode()
    assert "Name: please fill this in." in page and "Address: please fill this in." in page
    assert "This field is required" not in page
    response = client.post(
        f"/consultations/{consultation.pk}/submit/",
        {**_pc_data(consultation, name="", address=""), "step": "confirm"},
    )
    page = response.content.decode()
    assert "氏名を入力してください。" in page and "住所を入力してください。" in page
