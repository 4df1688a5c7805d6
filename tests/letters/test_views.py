import datetime
from http import HTTPStatus

import pytest
from django.core import mail
from django.urls import reverse

from core.models import AuditEvent
from letters.models import LetterCase
from tests.letters.factories import letter_category

pytestmark = pytest.mark.django_db
REPLY = "ご意見ありがとうございます。青木町公園には来年度ベンチを3基増設する予定です。"


def _as(client, user):
    client.logout()
    client.force_login(user)
    return client


def _url(name, case, **kwargs):
    return reverse(f"staff:{name}", args=[case.pk])


def test_a_letter_goes_from_routing_to_the_writers_account(
    client, letter, people, org, django_capture_on_commit_callbacks
):
    number = letter.submission.receipt_number
    _as(client, people["kouchou"])
    inbox = client.get(reverse("staff:letter_list")).content.decode()
    assert number in inbox and "未回付" in inbox
    detail = client.get(_url("letter_detail", letter)).content.decode()
    assert "川口 太郎です" in detail  # 広聴 reads the original
    form = client.get(_url("letter_route", letter))
    routed_text = form.context["form"].initial["routed_text"]
    assert "川口 太郎" not in routed_text and "taro@example.jp" not in routed_text
    response = client.post(
        _url("letter_route", letter),
        {"department": org["koen"].pk, "category": letter_category().pk, "routed_text": routed_text},
    )
    assert response.status_code == HTTPStatus.FOUND

    _as(client, people["staff"])
    detail = client.get(_url("letter_detail", letter)).content.decode()
    assert "青木町公園" in detail
    assert "川口 太郎" not in detail and "taro@example.jp" not in detail
    assert "提出者の氏名・住所・連絡先を表示する" not in detail
    response = client.post(_url("letter_draft", letter), {"text": REPLY})
    assert response.status_code == HTTPStatus.FOUND

    for who, stage in (
        ("kacho", "kacho"),
        ("bucho", "bucho"),
        ("kouchou", "kouchou"),
    ):
        _as(client, people[who])
        page = client.get(_url("letter_detail", letter)).content.decode()
        assert "承認する" in page
        response = client.post(_url("letter_approve", letter), {"stage": stage, "decision": "approve"})
        assert response.status_code == HTTPStatus.FOUND

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url("letter_send", letter))
    assert response.status_code == HTTPStatus.FOUND
    assert len(mail.outbox) == 1 and REPLY in mail.outbox[0].body

    _as(client, people["citizen"])
    mine = client.get(reverse("feedback:my_submissions")).content.decode()
    assert reverse("letters:reply", args=[number]) in mine
    reply = client.get(reverse("letters:reply", args=[number]))
    assert reply.status_code == HTTPStatus.OK
    assert REPLY in reply.content.decode()
    letter.refresh_from_db()
    assert letter.status == LetterCase.Status.SENT


def test_the_reply_page_is_only_for_its_writer_and_only_once_sent(client, letter, people):
    from tests.accounts.factories import UserFactory

    number = letter.submission.receipt_number
    _as(client, people["citizen"])
    assert client.get(reverse("letters:reply", args=[number])).status_code == HTTPStatus.NOT_FOUND
    LetterCase.objects.filter(pk=letter.pk).update(status=LetterCase.Status.SENT, reply_text=REPLY)
    assert client.get(reverse("letters:reply", args=[number])).status_code == HTTPStatus.OK
    _as(client, UserFactory())
    assert client.get(reverse("letters:reply", args=[number])).status_code == HTTPStatus.NOT_FOUND
    client.logout()
    response = client.get(reverse("letters:reply", args=[number]))
    assert response.status_code == HTTPStatus.FOUND and "/accounts/login/" in response["Location"]


def test_another_department_cannot_see_or_act_on_the_letter(client, letter, people, org):
    from letters.services import letter_route

    letter_route(actor=people["kouchou"], case=letter, category=letter_category(), department=org["koen"])
    number = letter.submission.receipt_number
    for who in ("other_staff", "other_kacho"):
        _as(client, people[who])
        assert number not in client.get(reverse("staff:letter_list")).content.decode()
        assert client.get(_url("letter_detail", letter)).status_code == HTTPStatus.NOT_FOUND
        assert client.get(_url("letter_draft", letter)).status_code == HTTPStatus.NOT_FOUND
        assert client.post(_url("letter_draft", letter), {"text": REPLY}).status_code == HTTPStatus.NOT_FOUND
        response = client.post(_url("letter_approve", letter), {"stage": "kacho", "decision": "approve"})
        assert response.status_code in (HTTPStatus.NOT_FOUND, HTTPStatus.FORBIDDEN)
    letter.refresh_from_db()
    assert letter.status == LetterCase.Status.ROUTED and letter.approvals.count() == 0
    _as(client, people["staff"])
    assert number in client.get(reverse("staff:letter_list")).content.decode()
    _as(client, people["bucho"])  # the 部 sees its 課's letters
    assert number in client.get(reverse("staff:letter_list")).content.decode()


def test_citizens_cannot_reach_letter_pages(client, letter, people):
    _as(client, people["citizen"])
    assert client.get(reverse("staff:letter_list")).status_code == HTTPStatus.FORBIDDEN
    assert client.get(_url("letter_detail", letter)).status_code == HTTPStatus.FORBIDDEN


def test_departments_cannot_route_or_see_personal_data(client, letter, people, org):
    from letters.services import letter_route

    letter_route(actor=people["kouchou"], case=letter, category=letter_category(), department=org["koen"])
    _as(client, people["staff"])
    assert client.get(_url("letter_route", letter)).status_code == HTTPStatus.FORBIDDEN
    assert client.get(_url("letter_personal_data", letter)).status_code == HTTPStatus.FORBIDDEN
    assert client.get(_url("letter_print", letter)).status_code == HTTPStatus.FORBIDDEN
    assert not AuditEvent.objects.filter(action="pii.view").exists()


def test_personal_data_and_print_page_are_logged_views(client, letter, people, org):
    from letters.services import letter_reply_approve, letter_reply_draft, letter_route

    letter_route(actor=people["kouchou"], case=letter, category=letter_category(), department=org["koen"])
    letter_reply_draft(actor=people["staff"], case=letter, text=REPLY)
    for who in ("kacho", "bucho", "kouchou"):
        letter_reply_approve(actor=people[who], case=letter, approved=True)
    _as(client, people["kouchou"])
    page = client.get(_url("letter_personal_data", letter)).content.decode()
    assert "川口市青木2-1-1" in page
    printed = client.get(_url("letter_print", letter))
    text = printed.content.decode()
    assert printed.status_code == HTTPStatus.OK
    assert "〒332-8601" in text and "川口 太郎 様" in text and "川口市長" in text and REPLY in text
    assert "letter-print.css" in text
    assert AuditEvent.objects.filter(action="pii.view", actor=people["kouchou"]).count() == 2


def test_inbox_flags_overdue_letters_in_words(client, letter, people, org):
    from letters.services import letter_route

    letter_route(actor=people["kouchou"], case=letter, category=letter_category(), department=org["koen"])
    LetterCase.objects.filter(pk=letter.pk).update(due_on=datetime.date(2020, 1, 6))
    _as(client, people["kouchou"])
    assert "期限超過（" in client.get(reverse("staff:letter_list")).content.decode()


def test_send_back_without_a_reason_is_refused_on_the_page(client, letter, people, org):
    from letters.services import letter_reply_draft, letter_route

    letter_route(actor=people["kouchou"], case=letter, category=letter_category(), department=org["koen"])
    letter_reply_draft(actor=people["staff"], case=letter, text=REPLY)
    _as(client, people["kacho"])
    response = client.post(
        _url("letter_approve", letter),
        {"stage": "kacho", "decision": "send_back"},
        follow=True,
    )
    assert "差し戻す理由を入力してください。" in response.content.decode()
    letter.refresh_from_db()
    assert letter.status == LetterCase.Status.DRAFTED


def test_a_letter_without_reply_wanted_is_filed_from_its_page(client, make_letter, people):
    case = make_letter(reply_requested=False, publication_consent=False)
    _as(client, people["kouchou"])
    response = client.post(_url("letter_file", case), {"disposition": "anonymous"})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "氏名と連絡先があります" in response.content.decode()
    response = client.post(_url("letter_file", case), {"disposition": "no_reply"})
    assert response.status_code == HTTPStatus.FOUND
    case.refresh_from_db()
    assert case.status == LetterCase.Status.FILED
    # No consent: the publish page is not offered.
    assert client.get(_url("letter_publish", case)).status_code == HTTPStatus.FORBIDDEN


def test_published_summaries_are_listed_per_bu_and_fiscal_year(client, make_letter, people, org):
    from letters.services import letter_file, letter_publish, letter_route

    published = make_letter(reply_requested=False)
    letter_route(actor=people["kouchou"], case=published, category=letter_category(), department=org["koen"])
    letter_file(actor=people["kouchou"], case=published, disposition="no_reply")
    letter_publish(
        actor=people["kouchou"],
        case=published,
        summary="公園のベンチを増やしてほしい。",
    )
    unpublished = make_letter(reply_requested=False, body="駅前の駐輪場について。")
    letter_file(actor=people["kouchou"], case=unpublished, disposition="no_reply")

    client.logout()
    page = client.get(reverse("letters:published")).content.decode()
    assert "都市計画部" in page and "公園課" in page
    assert "公園のベンチを増やしてほしい。" in page
    assert "（個別の回答はしていません）" in page
    assert "川口 太郎" not in page and "駐輪場" not in page
    assert "年度（令和" in page


def test_the_inbox_pages_through_every_case_with_no_cap(client, make_letter, people, monkeypatch):
    from letters import staff_views as staff_letter_views

    monkeypatch.setattr(staff_letter_views, "LETTERS_PER_PAGE", 2)
    numbers = [make_letter(body=f"道路の補修について（{n}）").submission.receipt_number for n in range(5)]
    _as(client, people["kouchou"])
    pages = [client.get(reverse("staff:letter_list"), {"page": n}).content.decode() for n in (1, 2, 3)]
    assert "全5件のうち 1～2件目" in pages[0] and 'rel="next"' in pages[0]
    assert "全5件のうち 5～5件目" in pages[2] and 'rel="next"' not in pages[2]
    # Every letter is on exactly one page.
    assert all(sum(number in page for page in pages) == 1 for number in numbers)


def test_kouchou_reading_the_original_letter_is_logged(client, letter, people, org):
    from letters.services import letter_route

    _as(client, people["kouchou"])
    client.get(_url("letter_detail", letter))
    assert AuditEvent.objects.filter(action="pii.view_original", actor=people["kouchou"]).count() == 1
    letter_route(actor=people["kouchou"], case=letter, category=letter_category(), department=org["koen"])
    _as(client, people["staff"])  # the 課 reads the masked copy
    client.get(_url("letter_detail", letter))
    assert not AuditEvent.objects.filter(action="pii.view_original", actor=people["staff"]).exists()
