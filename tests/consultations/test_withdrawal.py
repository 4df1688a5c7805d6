"""案の取り下げ (#15, 行政手続法43条4項): 広聴 withdraws a draft with a reason after a
confirmation screen; the fact, the date and the reason are published on the case's
page, in the list and in the Atom feed, and no channel takes an opinion any more."""

import xml.etree.ElementTree as ET
from http import HTTPStatus

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.roles import ADMIN, DEPARTMENT_APPROVER, KOUCHOU
from consultations.models import Consultation
from consultations.services import consultation_withdraw
from core.models import AuditEvent
from feedback.models import Submission
from feedback.services import SubmissionClosed
from tests.accounts.factories import StaffUserFactory
from tests.consultations.factories import ConsultationFactory
from tests.feedback.factories import submit

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"
REASON = (
    "国の制度改正により計画の前提が変わったため、本案による計画の策定を見送ります。改めて案を作成し、意見を募集します。"
)
TITLE = "川口市自転車活用推進計画（案）"


@pytest.fixture
def kouchou():
    return StaffUserFactory(roles=[KOUCHOU])


@pytest.fixture
def open_case():
    return ConsultationFactory(title=TITLE)


def _withdrawn(case, actor, reason=REASON):
    withdrawn = consultation_withdraw(actor=actor, consultation=case, reason=reason)
    case.refresh_from_db()
    return withdrawn


# ---- The service ----


@pytest.mark.parametrize("status", ["scheduled", "open", "closed"])
def test_kouchou_withdraws_an_announced_case_and_it_is_audited(kouchou, status):
    case = ConsultationFactory(title=TITLE, status=status)

    withdrawn = _withdrawn(case, kouchou)

    case.refresh_from_db()
    assert case.status == Consultation.Status.WITHDRAWN == withdrawn.status
    assert case.withdrawal_reason == REASON
    assert timezone.localdate(case.withdrawn_at) == timezone.localdate()
    event = AuditEvent.objects.get(action="consultation.withdraw")
    assert (event.target_type, event.target_id) == ("consultations.consultation", str(case.pk))
    assert event.actor == kouchou
    assert event.before == {"status": status}
    assert event.after["status"] == "withdrawn" and event.after["reason"] == REASON


def test_an_admin_may_withdraw_too(open_case):
    _withdrawn(open_case, StaffUserFactory(roles=[ADMIN]))
    open_case.refresh_from_db()
    assert open_case.status == Consultation.Status.WITHDRAWN


def test_a_department_approver_may_not_withdraw(open_case):
    with pytest.raises(PermissionDenied, match="広聴担当またはシステム管理者だけ"):
        _withdrawn(open_case, StaffUserFactory(roles=[DEPARTMENT_APPROVER]))
    open_case.refresh_from_db()
    assert open_case.status == Consultation.Status.OPEN
    assert not AuditEvent.objects.filter(action="consultation.withdraw").exists()


@pytest.mark.parametrize("reason", ["", "　 \n"])
def test_the_reason_is_required(kouchou, open_case, reason):
    with pytest.raises(ValidationError) as exc:
        _withdrawn(open_case, kouchou, reason=reason)
    assert exc.value.message_dict["reason"] == ["取り下げの理由を入力してください（空白だけでは送信できません）。"]
    open_case.refresh_from_db()
    assert open_case.status == Consultation.Status.OPEN and open_case.withdrawn_at is None


@pytest.mark.parametrize(
    ("status", "message"),
    [
        ("published", "結果を公表した案件は取り下げできません。"),
        ("withdrawn", "この案件は既に取り下げられています。"),
        ("draft", "準備中（公示前）の案件は取り下げではなく"),
    ],
)
def test_only_an_announced_case_before_its_results_can_be_withdrawn(kouchou, status, message):
    case = ConsultationFactory(status=status)
    with pytest.raises(ValidationError) as exc:
        _withdrawn(case, kouchou)
    assert exc.value.messages[0].startswith(message)
    assert not AuditEvent.objects.filter(action="consultation.withdraw").exists()


def test_the_mayors_letters_are_never_withdrawn(kouchou):
    with pytest.raises(ValidationError, match="市長への手紙は取り下げできません"):
        _withdrawn(ConsultationFactory(letter=True), kouchou)


# ---- No channel takes an opinion after it ----


def test_the_web_form_refuses_with_the_date_and_the_reason(client, kouchou, open_case):
    _withdrawn(open_case, kouchou)

    response = client.get(f"/consultations/{open_case.pk}/submit/")

    assert response.status_code == HTTPStatus.GONE
    html = response.content.decode()
    assert "この案件は現在受け付けていません" in html
    assert "この案を取り下げました" in html and REASON in html


def test_the_api_refuses_with_a_message_naming_the_withdrawal(api_client, kouchou, open_case):
    _withdrawn(open_case, kouchou)
    today = timezone.localdate()

    response = api_client.post(
        f"/api/v1/consultations/{open_case.pk}/submissions/", {"body": "意見です。"}, format="json"
    )

    assert response.status_code == HTTPStatus.GONE
    assert response.json() == {
        "detail": f"この案件は{today:%Y年%-m月%-d日}に取り下げられたため、意見を受け付けていません。"
    }
    assert not Submission.objects.exists()


@pytest.mark.parametrize("channel", ["web", "post", "fax", "email", "counter"])
def test_intake_refuses_every_channel_paper_included(kouchou, open_case, channel):
    _withdrawn(open_case, kouchou)
    with pytest.raises(SubmissionClosed, match="取り下げられたため、意見を受け付けていません") as exc:
        submit(open_case, channel=channel, entered_by=kouchou if channel != "web" else None)
    assert exc.value.code == "withdrawn"
    assert not Submission.objects.exists()


def test_opinions_received_before_stay_on_record(kouchou, open_case):
    kept = submit(open_case, body="取り下げ前に届いた意見です。")
    _withdrawn(open_case, kouchou)
    kept.refresh_from_db()
    assert kept.status == Submission.Status.RECEIVED and kept.body == "取り下げ前に届いた意見です。"


# ---- What the public reads ----


def test_the_case_page_publishes_the_withdrawal_its_date_and_reason(client, kouchou, open_case):
    _withdrawn(open_case, kouchou)
    today = timezone.localdate()

    html = client.get(reverse("consultations:detail", args=[open_case.pk])).content.decode()

    assert "案の取り下げ" in html
    assert f"市は{today.year}年{today.month}月{today.day}日" in html and "この案を取り下げました" in html
    assert REASON in html
    assert "案の公示日" in html
    assert "意見を提出する" not in html  # no way to submit is offered


def test_the_list_shows_the_withdrawal_with_its_date_and_reason(client, kouchou, open_case):
    ConsultationFactory(title="別の計画（案）")
    _withdrawn(open_case, kouchou)
    today = timezone.localdate()

    html = client.get(reverse("consultations:list"), {"status": "withdrawn"}).content.decode()

    assert TITLE in html and "別の計画（案）" not in html
    assert f"{today.year}年{today.month}月{today.day}日" in html and "に案を取り下げました" in html
    assert REASON in html


def test_the_reason_is_escaped(client, kouchou, open_case):
    _withdrawn(open_case, kouchou, reason='費用が5 < 10 & "見込み" を超えるため')
    for url in (reverse("consultations:detail", args=[open_case.pk]), reverse("consultations:list")):
        html = client.get(url).content.decode()
        assert '5 < 10 & "見込み"' not in html
        assert "費用が5 &lt; 10 &amp; &quot;見込み&quot; を超えるため" in html


def test_markup_in_the_reason_is_refused(kouchou, open_case):
    with pytest.raises(ValidationError) as exc:
        _withdrawn(open_case, kouchou, reason='<script>alert("x")</script>のため')
    assert "HTMLタグ" in exc.value.message_dict["reason"][0]


def test_the_feed_carries_the_withdrawal_as_an_entry(client, kouchou, open_case):
    ConsultationFactory(title="募集中の計画（案）")
    _withdrawn(open_case, kouchou)

    root = ET.fromstring(client.get("/consultations/feed.atom").content)

    entries = {e.find(f"{ATOM}title").text: e for e in root.iter(f"{ATOM}entry")}
    assert "【意見募集開始】募集中の計画（案）" in entries
    entry = entries[f"【案の取り下げ】{TITLE}"]
    assert entry.find(f"{ATOM}link").get("href").endswith(f"/consultations/{open_case.pk}/")
    assert entry.find(f"{ATOM}id").text.endswith(f"consultation/{open_case.pk}/withdrawn")
    summary = entry.find(f"{ATOM}summary").text
    assert "に案を取り下げました" in summary and f"取り下げの理由：{REASON}" in summary
    assert not any(title.endswith(TITLE) and not title.startswith("【案の取り下げ】") for title in entries)


# ---- The staff page: reason → confirmation → withdrawn ----


def _page(case):
    return reverse("staff:consultation_withdraw", args=[case.pk])


def test_kouchou_confirms_before_anything_is_withdrawn(client, kouchou, open_case):
    client.force_login(kouchou)
    assert "取り下げの理由" in client.get(_page(open_case)).content.decode()

    confirm = client.post(_page(open_case), {"reason": REASON, "step": "confirm"})

    assert confirm.status_code == HTTPStatus.OK
    html = confirm.content.decode()
    assert "案の取り下げ（確認）" in html and "取り下げると元に戻せません" in html
    assert REASON in html
    open_case.refresh_from_db()
    assert open_case.status == Consultation.Status.OPEN  # nothing happened yet

    done = client.post(_page(open_case), {"reason": REASON, "step": "submit"})

    assert done.status_code == HTTPStatus.FOUND
    assert done["Location"] == reverse("consultations:detail", args=[open_case.pk])
    open_case.refresh_from_db()
    assert open_case.status == Consultation.Status.WITHDRAWN and open_case.withdrawal_reason == REASON
    event = AuditEvent.objects.get(action="consultation.withdraw")
    assert event.actor == kouchou and event.ip_address is not None
    page = client.get(done["Location"]).content.decode()
    assert "の案を取り下げました。" in page  # the success message


def test_an_empty_reason_is_refused_on_the_page(client, kouchou, open_case):
    client.force_login(kouchou)
    response = client.post(_page(open_case), {"reason": "  ", "step": "confirm"})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "取り下げの理由を入力してください" in response.content.decode()
    assert "案の取り下げ（確認）" not in response.content.decode()


def test_going_back_from_the_confirmation_keeps_the_reason(client, kouchou, open_case):
    client.force_login(kouchou)
    response = client.post(_page(open_case), {"reason": REASON, "step": "edit"})
    assert response.status_code == HTTPStatus.OK
    assert response.context["form"]["reason"].value() == REASON
    assert "確認画面へ進む" in response.content.decode()


def test_a_published_case_offers_no_withdrawal(client, kouchou):
    case = ConsultationFactory(status=Consultation.Status.PUBLISHED)
    client.force_login(kouchou)
    html = client.get(_page(case)).content.decode()
    assert "取り下げできるのは、公開予定・募集中・募集終了（集計中）の案件です" in html
    assert "確認画面へ進む" not in html
    response = client.post(_page(case), {"reason": REASON, "step": "submit"})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "結果を公表した案件は取り下げできません。" in response.content.decode()


def test_department_staff_cannot_open_the_page(client, open_case):
    client.force_login(StaffUserFactory(roles=[DEPARTMENT_APPROVER]))
    assert client.get(_page(open_case)).status_code == HTTPStatus.FORBIDDEN
    assert client.post(_page(open_case), {"reason": REASON, "step": "submit"}).status_code == HTTPStatus.FORBIDDEN
    open_case.refresh_from_db()
    assert open_case.status == Consultation.Status.OPEN


def test_the_staff_home_links_kouchou_to_the_page(client, kouchou, open_case):
    client.force_login(kouchou)
    html = client.get(reverse("staff:home")).content.decode()
    assert _page(open_case) in html and f"{TITLE} を取り下げる" in html


def test_the_admin_action_leads_to_the_page(client, open_case):
    admin_user = StaffUserFactory(roles=[ADMIN], is_superuser=True, is_staff=True)
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:consultations_consultation_changelist"),
        {"action": "withdraw_consultation", "_selected_action": [open_case.pk]},
    )
    assert response.status_code == HTTPStatus.FOUND and response["Location"] == _page(open_case)
    open_case.refresh_from_db()
    assert open_case.status == Consultation.Status.OPEN
