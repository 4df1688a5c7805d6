"""A letter's published 要旨 passes the personal-data screen; 広聴 may override, audited."""

from http import HTTPStatus

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.models import AuditEvent
from letters.models import LetterCase
from letters.services import letter_file, letter_publish, letter_route
from tests.letters.factories import letter_category

pytestmark = pytest.mark.django_db

# What no 要旨 may carry onto the public site (none of it the writer's own details,
# which letters refused already), and the auto-drafted, unedited masked text.
# Phone numbers and e-mail addresses were already refused by the writer-details
# check (any contact pattern, no override), so they are not listed here.
FLAGGED = [
    ("address", "埼玉県所沢市緑町4丁目5番6号の方から公園について。", "住所「埼玉県所沢市緑町4丁目5番6号」"),
    ("person", "山田一郎氏の庭木が道路にはみ出している。", "氏名「山田一郎」"),
    ("mynumber", "個人番号123456789018の通知について。", "マイナンバー（個人番号）「123456789018」"),
    ("postcode", "〒335-0001 の地域のごみ収集について。", "郵便番号「〒335-0001」"),
    ("birthdate", "1950年4月1日生まれの方の介護保険について。", "生年月日「1950年4月1日」"),
    ("placeholder", "電話 XXX-XXXX-XXXX の〇〇です。公園のベンチについて。", "伏せ字「XXX-XXXX-XXXX」"),
]


@pytest.fixture
def filed(make_letter, people, org):
    case = make_letter(reply_requested=False, body="公園のベンチを増やしてほしい。")
    letter_route(actor=people["kouchou"], case=case, category=letter_category(), department=org["koen"])
    return letter_file(actor=people["kouchou"], case=case, disposition="no_reply")


@pytest.mark.parametrize(("kind", "text", "named"), FLAGGED, ids=[f[0] for f in FLAGGED])
@pytest.mark.parametrize("field", ["summary", "reply_summary"])
def test_personal_data_in_either_summary_refuses_publication(filed, people, kind, text, named, field):
    texts = {"summary": "公園のベンチを増やしてほしい。", field: text}
    with pytest.raises(ValidationError) as exc:
        letter_publish(actor=people["kouchou"], case=filed, **texts)
    label = {"summary": "意見の要旨", "reply_summary": "回答の要旨"}[field]
    assert any(m.startswith(f"{label}に{named}") for m in exc.value.message_dict[field])
    filed.refresh_from_db()
    assert not filed.published and filed.published_summary == ""


def test_kouchou_publishes_a_flagged_summary_with_a_reason_and_it_is_audited(filed, people):
    summary = "山田一郎氏の庭木が道路にはみ出している。"
    letter_publish(
        actor=people["kouchou"],
        case=filed,
        summary=summary,
        screen_override=True,
        screen_override_reason="本人の同意を得て氏名を公表する",
    )
    filed.refresh_from_db()
    assert filed.published and filed.published_summary == summary
    event = AuditEvent.objects.get(action="public_text.screen_override")
    assert (event.target_type, event.target_id) == ("letters.lettercase", str(filed.pk))
    assert event.actor_id == people["kouchou"].pk
    assert event.after["reason"] == "本人の同意を得て氏名を公表する"
    assert [(f["field"], f["kind"], f["text"]) for f in event.after["findings"]] == [
        ("意見の要旨", "person", "山田一郎")
    ]


def test_a_clean_summary_publishes_without_an_override_row(filed, people):
    letter_publish(actor=people["kouchou"], case=filed, summary="公園のベンチを増やしてほしい。")
    filed.refresh_from_db()
    assert filed.published
    assert not AuditEvent.objects.filter(action="public_text.screen_override").exists()


def test_the_override_does_not_let_the_writers_own_details_out(filed, people):
    # The writer's name is refused before the screen, whatever the override says.
    with pytest.raises(ValidationError) as exc:
        letter_publish(
            actor=people["kouchou"],
            case=filed,
            summary="川口 太郎さんからの手紙。",
            screen_override=True,
            screen_override_reason="確認済み",
        )
    assert exc.value.code == "personal_data"
    filed.refresh_from_db()
    assert not filed.published


def _url(case):
    return reverse("staff:letter_publish", args=[case.pk])


def test_the_publish_page_names_the_span_keeps_the_text_and_offers_the_override(client, filed, people):
    client.force_login(people["kouchou"])
    page = client.get(_url(filed)).content.decode()
    assert 'name="screen_override"' not in page  # not the first thing staff reach for
    text = "電話 XXX-XXXX-XXXX の〇〇です。公園のベンチについて。"
    response = client.post(_url(filed), {"summary": text, "reply_summary": ""})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    html = response.content.decode()
    assert "意見の要旨に伏せ字「XXX-XXXX-XXXX」が残っています。" in html
    assert "意見の要旨に伏せ字「〇〇」が残っています。" in html
    assert 'class="error-summary"' in html
    assert response.context["form"]["summary"].value() == text  # what was typed is kept
    assert 'name="screen_override"' in html and 'name="screen_override_reason"' in html
    assert not LetterCase.objects.get(pk=filed.pk).published


def test_the_override_from_the_page_publishes_and_is_audited(client, filed, people):
    client.force_login(people["kouchou"])
    summary = "山田一郎氏の庭木が道路にはみ出している。"
    response = client.post(
        _url(filed),
        {"summary": summary, "screen_override": "on", "screen_override_reason": "本人の同意を得ている"},
    )
    assert response.status_code == HTTPStatus.FOUND
    filed.refresh_from_db()
    assert filed.published and filed.published_summary == summary
    event = AuditEvent.objects.get(action="public_text.screen_override")
    assert event.summary == "本人の同意を得ている" and event.ip_address == "127.0.0.1"


def test_an_override_without_a_reason_is_shown_beside_the_reason_field(client, filed, people):
    client.force_login(people["kouchou"])
    response = client.post(_url(filed), {"summary": "山田一郎氏の庭木について。", "screen_override": "on"})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.context["form"].errors["screen_override_reason"] == ["公表して差し支えない理由を入力してください。"]
    assert not LetterCase.objects.get(pk=filed.pk).published
