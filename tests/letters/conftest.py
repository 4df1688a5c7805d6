import pytest

from accounts.roles import DEPARTMENT_APPROVER, DEPARTMENT_STAFF, KOUCHOU, MAYOR
from tests.accounts.factories import DepartmentFactory, StaffUserFactory, UserFactory
from tests.consultations.factories import ConsultationFactory
from tests.feedback.factories import submit

WRITER = {
    "name": "川口 太郎",
    "address": "川口市青木2-1-1",
    "postcode": "332-8601",
    "email": "taro@example.jp",
    "contact_method": "email",
}
LETTER_BODY = "川口 太郎です。青木町公園にベンチを増やしてください。連絡は taro@example.jp まで。"


@pytest.fixture
def letter_consultation(db):
    return ConsultationFactory(letter=True)


@pytest.fixture
def org(db):
    """Two 部 with one 課 each, plus 広聴課."""
    toshi = DepartmentFactory(code="toshi", name="都市計画部")
    fukushi = DepartmentFactory(code="fukushi", name="福祉部")
    return {
        "toshi": toshi,
        "koen": DepartmentFactory(code="koen", name="公園課", parent=toshi),
        "fukushi": fukushi,
        "kaigo": DepartmentFactory(code="kaigo", name="介護保険課", parent=fukushi),
        "kocho": DepartmentFactory(
            code="kocho",
            name="広報広聴課",
            parent=DepartmentFactory(code="kikaku", name="企画財政部"),
        ),
    }


@pytest.fixture
def people(org):
    return {
        "kouchou": StaffUserFactory(roles=[KOUCHOU], department=org["kocho"]),
        "staff": StaffUserFactory(roles=[DEPARTMENT_STAFF], department=org["koen"]),
        "kacho": StaffUserFactory(roles=[DEPARTMENT_APPROVER], department=org["koen"]),
        "bucho": StaffUserFactory(roles=[DEPARTMENT_APPROVER], department=org["toshi"]),
        "other_staff": StaffUserFactory(roles=[DEPARTMENT_STAFF], department=org["kaigo"]),
        "other_kacho": StaffUserFactory(roles=[DEPARTMENT_APPROVER], department=org["kaigo"]),
        # 市長・秘書課: the 市長確認 of letters marked for it (no 課 of its own).
        "mayor": StaffUserFactory(roles=[MAYOR]),
        "citizen": UserFactory(),
    }


@pytest.fixture
def make_letter(letter_consultation, people):
    def make(
        *,
        identity=None,
        reply_requested=True,
        publication_consent=True,
        body=LETTER_BODY,
        **kwargs,
    ):
        kwargs.setdefault("author", people["citizen"])
        submission = submit(
            letter_consultation,
            body=body,
            identity=WRITER if identity is None else identity,
            reply_requested=reply_requested,
            publication_consent=publication_consent,
            **kwargs,
        )
        return submission.letter_case

    return make


@pytest.fixture
def letter(make_letter):
    return make_letter()
