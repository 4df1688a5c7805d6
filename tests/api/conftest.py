import pytest
from django.core.cache import cache
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.accounts.factories import UserFactory


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    # Submission counters live in the cache; one test must not throttle the next.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def resident(db):
    return UserFactory()


@pytest.fixture
def token_client(resident):
    """A client that authenticates as ``resident`` with a DRF token."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=resident).key}")
    return client
