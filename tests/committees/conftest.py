import pytest

from accounts.roles import ADMIN, COMMITTEE_SECRETARIAT, KOUCHOU
from tests.accounts.factories import DepartmentFactory, StaffUserFactory, UserFactory
from tests.committees.factories import CommitteeFactory, RoundFactory


@pytest.fixture
def city(db):
    """Two committees with different secretariats, their staff, 広聴, an admin and a resident."""
    shimin = DepartmentFactory(code="c-shimin", name="協働推進課")
    kankyo = DepartmentFactory(code="c-kankyo", name="環境政策課")
    a = CommitteeFactory(name="市民参加推進審議会", secretariat=shimin, public_seats=3)
    b = CommitteeFactory(name="環境審議会", secretariat=kankyo, public_seats=2)
    return {
        "a": a,
        "b": b,
        "round_a": RoundFactory(committee=a, title="市民参加推進審議会 公募委員"),
        "round_b": RoundFactory(committee=b, title="環境審議会 公募委員"),
        "secretariat_a": StaffUserFactory(roles=[COMMITTEE_SECRETARIAT], department=shimin),
        "secretariat_b": StaffUserFactory(roles=[COMMITTEE_SECRETARIAT], department=kankyo),
        "kouchou": StaffUserFactory(roles=[KOUCHOU], department=DepartmentFactory(code="c-kocho", name="広聴課")),
        "admin": StaffUserFactory(roles=[ADMIN]),
        "resident": UserFactory(email="hanako@example.jp"),
    }
