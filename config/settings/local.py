"""Development settings used by `make run`."""

from config.settings.base import *  # noqa: F403
from config.settings.base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
ALLOWED_HOSTS = ["*"]
ACCOUNT_EMAIL_VERIFICATION = env("KOE_EMAIL_VERIFICATION", default="optional")
