"""A resident deletes their account: the opinions stay, the identity goes."""

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from accounts.models import User
from accounts.roles import KOUCHOU
from core.models import AuditEvent
from feedback.models import Submission, SubmitterIdentity
from feedback.services.account import resident_account_delete
from tests.accounts.factories import DEFAULT_PASSWORD, StaffUserFactory, UserFactory
from tests.consultations.factories import ConsultationFactory
from tests.feedback.factories import submit

pytestmark = pytest.mark.django_db
URL = reverse("feedback:account_delete")
IDENTITY = {
    "name": "川口 花子",
    "address": "川口市青木2-1-1",
    "phone": "048-258-1110",
    "email": "hanako@example.jp",
}
BODY = "歩道の段差をなくしてください。"


@pytest.fixture
def resident_with_opinions(db):
    resident = UserFactory(email="hanako@example.jp")
    opinions = [submit(ConsultationFactory(), body=BODY, identity=IDENTITY, author=resident) for _ in range(2)]
    return resident, opinions


def _post(client, **data):
    return client.post(URL, {"password": DEFAULT_PASSWORD, "confirm": "on", **data})


def test_my_submissions_links_to_the_deletion_page(client, resident_with_opinions):
    resident, _ = resident_with_opinions
    client.force_login(resident)

    page = client.get(reverse("feedback:my_submissions")).content.decode()

    assert URL in page


def test_the_page_says_what_stays_and_what_goes(client, resident_with_opinions):
    resident, _ = resident_with_opinions
    client.force_login(resident)

    page = client.get(URL).content.decode()

    assert "提出した2件の意見" in page
    assert "本文と受付番号は、市の公的な記録として残ります" in page
    assert 'autocomplete="current-password"' in page


def test_deleting_keeps_the_opinions_and_removes_the_identity_and_the_session(client, resident_with_opinions):
    resident, opinions = resident_with_opinions
    client.force_login(resident)

    response = _post(client)

    assert response.status_code == 200
    page = response.content.decode()
    assert "アカウントを削除しました" in page and "2件について" in page
    assert not User.objects.filter(pk=resident.pk).exists()
    assert not EmailAddress.objects.filter(email="hanako@example.jp").exists()
    for opinion in opinions:
        stored = Submission.objects.get(pk=opinion.pk)
        assert stored.body == BODY and stored.receipt_number == opinion.receipt_number
        assert stored.author_id is None
        assert not SubmitterIdentity.objects.filter(submission=stored).exists()
    # The session ended: the next page is anonymous.
    assert client.get(reverse("feedback:my_submissions")).status_code == 302


def test_deleting_leaves_one_audit_row_naming_the_resident_by_id_only(client, resident_with_opinions):
    resident, _ = resident_with_opinions
    client.force_login(resident)

    _post(client)

    row = AuditEvent.objects.get(action="user.delete", target_id=str(resident.pk))
    assert "2件" in row.summary
    text = f"{row.actor_label} {row.summary} {row.before} {row.after}"
    assert "hanako" not in text and "花子" not in text


def test_a_wrong_password_deletes_nothing_and_says_why(client, resident_with_opinions):
    resident, opinions = resident_with_opinions
    client.force_login(resident)

    response = _post(client, password="not-my-password")

    assert response.status_code == 400
    assert "パスワードが正しくありません" in response.content.decode()
    assert User.objects.filter(pk=resident.pk).exists()
    assert SubmitterIdentity.objects.filter(submission=opinions[0]).exists()


def test_the_confirmation_tick_is_required(client, resident_with_opinions):
    resident, _ = resident_with_opinions
    client.force_login(resident)

    response = client.post(URL, {"password": DEFAULT_PASSWORD})

    assert response.status_code == 400
    assert User.objects.filter(pk=resident.pk).exists()


def test_repeated_wrong_passwords_are_stopped(client, resident_with_opinions):
    resident, _ = resident_with_opinions
    client.force_login(resident)
    for _ in range(5):
        _post(client, password="guess")

    response = _post(client)  # even the right password waits now

    assert response.status_code == 429
    assert "しばらく削除を受け付けません" in response.content.decode()
    assert User.objects.filter(pk=resident.pk).exists()


def test_staff_cannot_delete_themselves_here(client, roles):
    staff = StaffUserFactory(roles=[KOUCHOU])
    client.force_login(staff)

    page = client.get(URL)
    posted = _post(client)

    assert page.status_code == posted.status_code == 403
    assert "システム管理者に削除を依頼" in posted.content.decode()
    assert User.objects.filter(pk=staff.pk).exists()
    with pytest.raises(Exception, match="職員のアカウント"):
        resident_account_delete(user=staff)


def test_the_page_warns_about_letters_awaiting_a_reply(client, db):
    resident = UserFactory()
    submit(
        ConsultationFactory(letter=True), body="手紙です。", identity=IDENTITY, author=resident, reply_requested=True
    )
    client.force_login(resident)

    page = client.get(URL).content.decode()

    assert "回答をまだお送りしていない市長への手紙が1件あります" in page


def test_anonymous_visitors_are_sent_to_login(client):
    response = client.get(URL)

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
