"""個人情報ファイル簿: what personal data the system holds, built from the models.

Every installed model is read: its ``PERSONAL_DATA`` declaration
(core.personal_data.PersonalData), or for a third-party model (allauth,
Django) the declaration below. The register lists per record kind the
name, the model, 利用目的, 記録項目 (the fields' own verbose names), 記録範囲,
収集方法, 要配慮個人情報, 保存期間 (from core.retention and the settings), who
may see it (accounts.roles labels) and the number of records now. Nothing is
written by hand twice, so the register cannot drift from the code; the test
tests/accounts/test_personal_data_register.py fails when a field that looks
personal is in neither a declaration nor NOT_PERSONAL.
"""

from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.db import models

from accounts.roles import ADMIN, ROLE_LABELS
from core.exports import csv_bytes
from core.personal_data import PersonalData, looks_personal
from core.retention import retention_kind

# Who may see, besides the roles: the person themself.
SELF = "self"
VIEWER_LABELS = {**{key: str(label) for key, label in ROLE_LABELS.items()}, SELF: "本人"}

# Models of Django and allauth cannot carry a class attribute of ours.
THIRD_PARTY = {
    "account.emailaddress": PersonalData(
        file="ログイン用メールアドレス",
        purpose="ログイン、本人確認（メールアドレスの確認）、パスワード再設定の連絡",
        fields=("user", "email"),
        subjects="アカウントを登録した市民と職員",
        retention=("アカウントの削除まで（市民は本人がマイページから、職員はシステム管理者が削除）",),
        seen_by=(ADMIN, SELF),
        source="本人が登録画面で入力（職員はシステム管理者が登録）",
    ),
    "account.emailconfirmation": PersonalData(
        file="メールアドレス確認の記録",
        purpose="登録されたメールアドレスが本人のものであることの確認",
        fields=("email_address",),
        subjects="アカウントを登録した市民",
        retention=("アカウントの削除まで",),
        seen_by=(ADMIN,),
        source="登録時にシステムが作成",
    ),
    "mfa.authenticator": PersonalData(
        file="職員の2段階認証",
        purpose="職員のログイン時の本人確認（TOTP・リカバリーコード）",
        fields=("user", "data"),
        subjects="職員",
        retention=("アカウントの削除、または2段階認証の解除まで",),
        seen_by=(ADMIN,),
        source="職員が認証アプリを登録",
        note="秘密鍵は暗号化して保存し、画面には表示しません。",
    ),
    "authtoken.token": PersonalData(
        file="職員の API トークン",
        purpose="職員が API を使うときの本人確認",
        fields=("user",),
        subjects="API トークンを発行された職員",
        retention=("アカウントの削除、またはトークンの再発行まで",),
        seen_by=(ADMIN,),
        source="システム管理者が発行",
    ),
    "admin.logentry": PersonalData(
        file="管理画面の操作履歴（Django）",
        purpose="管理画面での変更の記録",
        fields=("user", "object_repr"),
        subjects="管理画面を操作した職員と、操作された記録の表示名",
        retention=("監査ログと同じ方針で管理（自動削除はしていません）",),
        seen_by=(ADMIN,),
        source="管理画面の操作時にシステムが記録",
        note="操作の監査は監査ログ（core.AuditEvent）で行います。",
    ),
    "sessions.session": PersonalData(
        file="ログインセッション",
        purpose="ログイン状態の維持、受付番号の控えの表示",
        fields=("session_data",),
        subjects="サイトを利用した市民と職員",
        retention=("ログアウト・有効期限切れまで（職員は操作がない状態が続くと自動的に終了）",),
        seen_by=(),
        source="利用時にシステムが作成",
    ),
}
THIRD_PARTY["authtoken.tokenproxy"] = THIRD_PARTY["authtoken.token"]

# Fields whose names look personal but are not, with the reason.
NOT_PERSONAL = {
    "auth.permission": {"name": "権限の名称"},
    "auth.group": {"name": "役割の名称"},
    "sites.site": {"name": "サイトの名称"},
    "core.district": {"name": "地区の名称"},
    "accounts.department": {"name": "組織（部・課）の名称"},
    "plans.plan": {"name": "計画の名称"},
    "plans.indicator": {"name": "指標の名称"},
    "committees.committee": {"name": "附属機関等の名称"},
    "letters.lettercategory": {"name": "市長への手紙の分野の名称"},
    "consultations.consultation": {"submission_address": "市の提出先の住所"},
}


def declaration_of(model: type[models.Model]) -> PersonalData | None:
    declared = getattr(model, "PERSONAL_DATA", None)
    if isinstance(declared, PersonalData):
        return declared
    return THIRD_PARTY.get(model._meta.label_lower)


def _concrete_field_names(model) -> list[str]:
    return [field.name for field in model._meta.get_fields() if getattr(field, "concrete", False)]


def undeclared_personal_fields(model_list=None) -> list[str]:
    """``app.model.field`` of every field that looks personal and is declared nowhere."""
    missing = []
    for model in model_list if model_list is not None else apps.get_models():
        label = model._meta.label_lower
        declared = declaration_of(model)
        covered = set(declared.fields if declared else ()) | set(NOT_PERSONAL.get(label, {}))
        missing += [
            f"{label}.{name}" for name in _concrete_field_names(model) if looks_personal(name) and name not in covered
        ]
    return missing


def declaration_errors(model_list=None) -> list[str]:
    """Declarations that name a missing field, an unknown role or an unknown retention kind."""
    errors = []
    for model in model_list if model_list is not None else apps.get_models():
        declared = declaration_of(model)
        if declared is None:
            continue
        label = model._meta.label_lower
        names = set(_concrete_field_names(model))
        errors += [f"{label}: 項目 {name} がありません" for name in declared.fields if name not in names]
        errors += [f"{label}: 役割 {role} は不明です" for role in declared.seen_by if role not in VIEWER_LABELS]
        errors += [
            f"{label}: 保存年限の種類 {key} は不明です"
            for key in declared.retention
            if key.isascii() and retention_kind(key) is None
        ]
    return errors


@dataclass(frozen=True)
class RegisterEntry:
    label: str  # app_label.model
    model_name: str
    declaration: PersonalData
    field_labels: tuple[str, ...]
    retention: tuple[str, ...]
    seen_by: tuple[str, ...]
    count: int | None


def _retention_text(key: str) -> str:
    kind = retention_kind(key) if key.isascii() else None
    if kind is None:
        return key
    counting = "翌年度の4月1日から起算" if settings.KOE_RETENTION_FROM_NEXT_FISCAL_YEAR else "その日から起算"
    text = f"{kind.label}：{kind.years}年（{kind.counted_from}、{counting}）。経過後は{kind.action}"
    return text if kind.applied else f"{text}【未適用：{kind.note}】"


def _count(model) -> int | None:
    try:
        return model._default_manager.count()
    except Exception:  # a proxy or unmanaged model without its table: no count
        return None


def register_entries(*, with_counts: bool = True) -> list[RegisterEntry]:
    entries = []
    for model in apps.get_models():
        declared = declaration_of(model)
        if declared is None:
            continue
        meta = model._meta
        if meta.proxy:
            continue
        entries.append(
            RegisterEntry(
                label=meta.label_lower,
                model_name=str(meta.verbose_name),
                declaration=declared,
                field_labels=tuple(str(meta.get_field(name).verbose_name) for name in declared.fields),
                retention=tuple(_retention_text(key) for key in declared.retention),
                seen_by=tuple(VIEWER_LABELS.get(role, role) for role in declared.seen_by) or ("（画面に表示しない）",),
                count=_count(model) if with_counts else None,
            )
        )
    return entries


HEADER = (
    "個人情報ファイルの名称",
    "記録の所在（モデル）",
    "利用目的",
    "記録項目",
    "記録範囲",
    "収集方法",
    "要配慮個人情報",
    "保存期間",
    "閲覧できる者",
    "記録件数",
    "備考",
)


def _row(entry: RegisterEntry) -> tuple:
    d = entry.declaration
    return (
        d.file,
        f"{entry.model_name}（{entry.label}）",
        d.purpose,
        "、".join(entry.field_labels),
        d.subjects,
        d.source,
        d.sensitive or "含まない",
        " ／ ".join(entry.retention),
        "、".join(entry.seen_by),
        "" if entry.count is None else entry.count,
        d.note,
    )


def register_csv(*, with_counts: bool = True) -> bytes:
    """The register as CSV (UTF-8 with BOM, CRLF) through core.exports."""
    return csv_bytes(header=HEADER, rows=[_row(entry) for entry in register_entries(with_counts=with_counts)])


def _md(value) -> str:
    return str(value).replace("|", "｜").replace("\r", " ").replace("\n", " ")


def register_markdown(*, with_counts: bool = True) -> str:
    lines = [
        f"# 個人情報ファイル簿（{settings.MUNICIPALITY_NAME}「{settings.SITE_TITLE}」）",
        "",
        "各モデルの宣言（PERSONAL_DATA）と保存年限の設定から生成しています。",
        "",
    ]
    for entry in register_entries(with_counts=with_counts):
        lines += [f"## {_md(entry.declaration.file)}", "", "| 項目 | 内容 |", "| --- | --- |"]
        lines += [f"| {heading} | {_md(value)} |" for heading, value in zip(HEADER[1:], _row(entry)[1:], strict=True)]
        lines.append("")
    return "\n".join(lines)
