"""Account pages are Japanese, use the site layout and are accessible."""

import re
from http import HTTPStatus

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

ENTRANCE_PAGES = [
    "account_login",
    "account_signup",
    "account_reset_password",
    "account_reset_password_done",
    "account_email_verification_sent",
]


def _assert_site_layout(html: str):
    assert '<html lang="ja">' in html
    assert 'class="site-header"' in html
    assert 'href="#main"' in html
    # allauth's untranslated English fallback must not leak through.
    for english in ("Sign In", "Sign Up", "Password Reset", "Menu:"):
        assert english not in html


def _assert_every_input_labelled(html: str):
    for input_id in re.findall(r'<input[^>]*type="(?:text|email|password)"[^>]*id="([^"]+)"', html):
        assert f'for="{input_id}"' in html, input_id


def _headings_in_order(html: str):
    levels = [int(level) for level in re.findall(r"<h([1-6])", html)]
    assert levels and levels[0] == 1 and levels.count(1) == 1
    for previous, current in zip(levels, levels[1:], strict=False):
        assert current <= previous + 1


@pytest.mark.parametrize("url_name", ENTRANCE_PAGES)
def test_entrance_pages_render_in_site_layout(client, url_name):
    response = client.get(reverse(url_name))

    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    _assert_site_layout(html)
    _assert_every_input_labelled(html)
    _headings_in_order(html)


def test_login_page_is_japanese(client):
    html = client.get(reverse("account_login")).content.decode()

    assert "<h1>ログイン</h1>" in html
    assert '<label for="id_login">' in html
    assert '<label for="id_password">' in html
    assert "パスワードを忘れた方" in html


def test_signup_page_states_purpose_of_use(client):
    html = client.get(reverse("account_signup")).content.decode()

    assert "個人情報の利用目的" in html
    assert "第62条" in html
    assert reverse("privacy") in html


def test_failed_login_shows_error_summary_linking_to_field(client, citizen):
    response = client.post(reverse("account_login"), {"login": citizen.email, "password": "wrong-password"})

    html = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert 'class="error-summary"' in html
    assert "入力内容に誤りがあります" in html
    assert 'aria-invalid="true"' in html or "メールアドレスまたはパスワード" in html or "正しくありません" in html


def test_empty_signup_links_errors_to_fields(client):
    html = client.post(reverse("account_signup"), {}).content.decode()

    assert 'href="#id_email"' in html
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_email_error"' in html


def test_logout_page_for_logged_in_user(client, citizen):
    client.force_login(citizen)
    response = client.get(reverse("account_logout"))

    html = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert "ログアウトしますか" in html
    _assert_site_layout(html)


def test_invalid_email_confirmation_link_is_explained(client):
    response = client.get(reverse("account_confirm_email", args=["not-a-key"]))

    assert response.status_code == HTTPStatus.OK
    assert "有効期限が切れているか" in response.content.decode()


def test_invalid_password_reset_key_is_explained(client):
    url = reverse("account_reset_password_from_key", kwargs={"uidb36": "zz", "key": "bad-key"})
    response = client.get(url, follow=True)

    assert "リンクが無効です" in response.content.decode()


def test_mfa_index_is_japanese(client, staff_user):
    client.force_login(staff_user)
    response = client.get(reverse("mfa_index"))

    html = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert "<h1>2段階認証</h1>" in html
    assert "認証アプリによる2段階認証は有効です" in html
    _headings_in_order(html)


@pytest.mark.parametrize("url_name", ["accessibility", "privacy"])
def test_policy_pages_render(client, url_name):
    response = client.get(reverse(url_name))

    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    _assert_site_layout(html)
    _headings_in_order(html)


def test_accessibility_policy_states_target_and_method(client):
    html = client.get(reverse("accessibility")).content.decode()

    for text in (
        "対象範囲",
        "JIS X 8341-3:2016",
        "AA",
        "準拠",
        "axe-core",
        "例外事項",
        "問い合わせ",
    ):
        assert text in html


def test_privacy_policy_states_purpose_and_masking(client):
    html = client.get(reverse("privacy")).content.decode()

    for text in (
        "利用目的",
        "第62条",
        "保存期間",
        "市長への手紙",
        "パブリック・コメント",
        "アンケート",
    ):
        assert text in html
    assert "伏せ" in html


@pytest.mark.parametrize(
    "url_name",
    ["account_email", "account_change_password", "account_reauthenticate", "mfa_index"],
)
def test_manage_pages_render_in_site_layout(client, citizen, url_name):
    client.force_login(citizen)

    response = client.get(reverse(url_name))

    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    _assert_site_layout(html)
    _assert_every_input_labelled(html)
    _headings_in_order(html)
    assert 'aria-label="アカウント設定"' in html or url_name == "account_reauthenticate"
