"""How a model declares the personal data it holds (one row of the 個人情報ファイル簿).

A model holding personal data sets a class attribute::

    PERSONAL_DATA = PersonalData(
        file="提出者の個人情報",
        purpose="…",
        fields=("name", "address", "email"),
        subjects="意見・手紙を提出した者",
        retention=("submission_identity",),
        seen_by=("kouchou", "admin"),
    )

accounts.personal_data walks every installed model and builds the register
(staff page, ``manage.py personal_data_register``) from these declarations,
so the register is what the code holds. A test fails when a model has a
field whose name looks personal (name, kana, address, email, phone, birth …)
that no declaration covers, when a declared field does not exist, or when a
role or retention kind named here is unknown.

Roles are written as the role names of accounts.roles (core cannot import
accounts); ``retention`` names core.retention kinds by key, or is a sentence
for data that no retention run erases (e.g. "アカウントの削除まで").
"""

import re
from dataclasses import dataclass

# Words in a field name that suggest personal data. Matched against the
# name's underscore-separated parts, so "display_name" and "ip_address" are
# caught but "codename" is not.
PERSONAL_NAME_PARTS = frozenset(
    {
        "name",
        "kana",
        "furigana",
        "address",
        "email",
        "mail",
        "phone",
        "tel",
        "fax",
        "mobile",
        "birth",
        "birthday",
        "birthdate",
        "dob",
        "postcode",
        "zip",
        "zipcode",
        "ip",
        "mynumber",
    }
)


def looks_personal(field_name: str) -> bool:
    return bool(set(re.split(r"_+", field_name.lower())) & PERSONAL_NAME_PARTS)


@dataclass(frozen=True)
class PersonalData:
    file: str  # 個人情報ファイル（記録）の名称
    purpose: str  # 利用目的
    fields: tuple[str, ...]  # model fields holding personal data (記録項目)
    subjects: str  # 記録範囲: whose data
    retention: tuple[str, ...]  # core.retention kind keys, or sentences
    seen_by: tuple[str, ...]  # role names who may see the fields
    source: str = ""  # 記録情報の収集方法
    sensitive: str = ""  # 要配慮個人情報 that may be included, if any
    note: str = ""
