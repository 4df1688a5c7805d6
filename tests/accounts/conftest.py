import pytest

from .factories import DepartmentFactory, StaffUserFactory, UserFactory


@pytest.fixture
def citizen(db):
    return UserFactory()


@pytest.fixture
def department(db):
    bu = DepartmentFactory(code="shimin", name="市民生活部", parent=None)
    return DepartmentFactory(code="kocho", name="広聴課", parent=bu)


@pytest.fixture
def staff_user(db, department):
    return StaffUserFactory(department=department)
