"""Settings for the KDLA certification portal, read from the environment (12-factor).

Every variable is documented in README.md. ``DJANGO_ENV=production`` switches off every
development default: a missing secret is then a startup error.
"""

from datetime import time, timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from kdla_portal.environment import env_bool, env_int, env_list, env_str
from kdla_portal.secret_key import secret_key_problem

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("KDLA_VAR_DIR", str(BASE_DIR / "var")))

DJANGO_ENV = env_str("DJANGO_ENV", "development")
if DJANGO_ENV not in {"development", "production"}:
    raise ImproperlyConfigured("DJANGO_ENV must be 'development' or 'production'.")
PRODUCTION = DJANGO_ENV == "production"

DEBUG = env_bool("DEBUG", default=not PRODUCTION)
if PRODUCTION:
    SECRET_KEY = env_str("SECRET_KEY", "")
    _secret_key_problem = secret_key_problem(SECRET_KEY)
    if _secret_key_problem:
        raise ImproperlyConfigured(
            f"{_secret_key_problem} in production, e.g. with: "
            "python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [])
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("ALLOWED_HOSTS must be set in production.")
else:
    SECRET_KEY = env_str("SECRET_KEY", "development-only-insecure-key-" + "x" * 40)
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])

SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Lookups a minute one address may make on the public certificate verification page, counted
# in Django's cache: per process by default; CACHE_REDIS_URL shares the count between workers.
VERIFY_RATE_LIMIT_PER_MINUTE = env_int("VERIFY_RATE_LIMIT_PER_MINUTE", 30)
CACHE_REDIS_URL = env_str("CACHE_REDIS_URL", "")
# Open Badges 3.0 signing keys: a JSON Web Key Set of Ed25519 keys, in this variable or file
# (the first key signs, all verify). `manage.py create_open_badges_key` adds one to the file.
OPEN_BADGES_KEYS = env_str("OPEN_BADGES_KEYS", "")
OPEN_BADGES_KEY_FILE = env_str("OPEN_BADGES_KEY_FILE", str(VAR_DIR / "open-badges-keys.json"))
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_REDIS_URL}
        if CACHE_REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [SITE_URL])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "import_export",
    "django_celery_beat",
    "axes",
    "accounts",
    "documents",
    "review",
    "notifications",
    "courses",
    "certifications",
    "certificates",
    "credits",
    "training",
    "portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Outside WhiteNoise, so static files get Permissions-Policy too (they keep their caching).
    "kdla_portal.security_headers.SecurityHeadersMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.sessions.IdleSessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires: it turns a refused sign-in into the locked-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kdla_portal.urls"
WSGI_APPLICATION = "kdla_portal.wsgi.application"

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
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'kdla_portal.sqlite3'}"),
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "accounts.password_validation.NotOnlyWhitespaceValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Sign-in brute-force protection (django-axes) for the staff and the review-site sign-in.
# The axes backend only refuses locked-out sign-ins; ModelBackend checks the password.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_MINUTES = env_int("AXES_COOLOFF_MINUTES", 15)
AXES_COOLOFF_TIME = timedelta(minutes=AXES_COOLOFF_MINUTES)
# Lock one email address from one network address only, so a guesser elsewhere cannot lock a
# colleague out and one library's shared address does not lock every account signing in there.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"  # the sign-in form's email field keeps Django's name
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Reverse proxies in front of the portal whose X-Forwarded-For and X-Forwarded-Proto are
# believed (kdla_portal/client_address.py). 0, the default, trusts no forwarded header: set it
# to 1 behind one proxy (Caddy in docker-compose.yml) that gunicorn is reachable only through.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be 0 or more.")
AXES_CLIENT_IP_CALLABLE = "kdla_portal.client_address.client_ip_address"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "America/New_York"
USE_I18N = True
USE_TZ = True
# The agency writes dates as MM/DD/YYYY; forms accept the same.
DATE_FORMAT = "m/d/Y"
SHORT_DATE_FORMAT = "m/d/Y"
DATETIME_FORMAT = "m/d/Y g:i A"
SHORT_DATETIME_FORMAT = "m/d/Y g:i A"
DATE_INPUT_FORMATS = ["%m/%d/%Y", "%Y-%m-%d"]
USE_THOUSAND_SEPARATOR = False
FORMAT_MODULE_PATH = ["kdla_portal.formats"]

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "staticfiles")))

# Uploaded files are private: there is no MEDIA_URL route, and they are only ever streamed
# through views that check who is asking.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
AWS_STORAGE_BUCKET_NAME = env_str("AWS_STORAGE_BUCKET_NAME", "")
if AWS_STORAGE_BUCKET_NAME:
    default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
            "region_name": env_str("AWS_S3_REGION_NAME", "") or None,
            "endpoint_url": env_str("AWS_S3_ENDPOINT_URL", "") or None,
        },
    }
else:
    default_storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(MEDIA_ROOT), "base_url": None},
    }
STORAGES = {
    "default": default_storage,
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Behind Caddy (docker-compose.yml), which shares the media volume: the views check who may
# have a file and the proxy sends its bytes (kdla_portal/private_files.py).
PRIVATE_FILES_ACCEL_REDIRECT = env_bool("PRIVATE_FILES_ACCEL_REDIRECT", default=False)
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 10 * 1024 * 1024)
# Path of ClamAV's clamd Unix socket; empty: uploads are not virus-scanned (documents.virus_scan).
CLAMD_SOCKET = env_str("CLAMD_SOCKET", "")
# Most contact hours one course (portal, live or asynchronous) may claim.
MAX_COURSE_HOURS = env_int("MAX_COURSE_HOURS", 40)
FILE_UPLOAD_PERMISSIONS = 0o640

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "kdla_portal.mail_files.EmlFileBackend")
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = 30
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "KDLA Certification <certification@kdla.ky.gov>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "filesystem://")
if CELERY_BROKER_URL == "filesystem://":
    # Embedded broker: messages are files under var/, so the demo needs no server.
    _broker_dir = VAR_DIR / "celery" / "broker"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir),
        "data_folder_out": str(_broker_dir),
        "processed_folder": str(VAR_DIR / "celery" / "processed"),
        # Exchange tables; kombu's default is a "control" folder in the working directory.
        "control_folder": str(VAR_DIR / "celery" / "control"),
        "store_processed": False,
    }
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND", f"file://{VAR_DIR / 'celery' / 'results'}")
if CELERY_BROKER_URL == "filesystem://" or CELERY_RESULT_BACKEND.startswith("file://"):
    # The embedded defaults keep their messages and results in folders that must exist.
    for _folder in ("broker", "processed", "results", "control"):
        (VAR_DIR / "celery" / _folder).mkdir(parents=True, exist_ok=True)
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_TASK_DEFAULT_QUEUE", "celery")
# Every task is safe to repeat (docs/decisions/0005-durable-outbox.md): acknowledge after the
# task ran, and give a task whose worker died back to the broker instead of dropping it.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A task is stopped after 5 minutes (soft limit first, to let it clean up). Redis gives an
# unacknowledged task (its worker was killed) to another worker after the visibility timeout:
# 10 minutes, longer than any task may run, so a task still running is never handed out twice.
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 270)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 300)
CELERY_VISIBILITY_TIMEOUT = env_int("CELERY_VISIBILITY_TIMEOUT", 600)
if CELERY_VISIBILITY_TIMEOUT <= CELERY_TASK_TIME_LIMIT:
    raise ImproperlyConfigured("CELERY_VISIBILITY_TIMEOUT must exceed CELERY_TASK_TIME_LIMIT.")
if CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
        "socket_connect_timeout": 5,
    }
# Publishing gives up quickly when the broker is down (the outbox sweep sends the email later).
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A worker that starts catches up: a missed daily run, and the outbox (kdla_portal/celery.py).
CELERY_WORKER_CATCH_UP_ON_START = env_bool("CELERY_WORKER_CATCH_UP_ON_START", default=True)

# The outbox (notifications/): batches of 10 per SMTP connection, a leased batch is taken
# again after 5 minutes if its worker died, failed emails retry after 1, 2, 4 … minutes (at
# most an hour apart), one delivery task runs for up to 4 minutes and then hands over.
OUTBOX_BATCH_SIZE = env_int("OUTBOX_BATCH_SIZE", 10)
OUTBOX_LEASE_SECONDS = env_int("OUTBOX_LEASE_SECONDS", 300)
OUTBOX_RETRY_BASE_SECONDS = env_int("OUTBOX_RETRY_BASE_SECONDS", 60)
OUTBOX_RETRY_MAX_SECONDS = env_int("OUTBOX_RETRY_MAX_SECONDS", 3600)
OUTBOX_DELIVERY_SECONDS = env_int("OUTBOX_DELIVERY_SECONDS", 240)
OUTBOX_MESSAGE_ID_DOMAIN = env_str("OUTBOX_MESSAGE_ID_DOMAIN", "certification.kdla.ky.gov")
# The daily jobs: scheduled at 05:30 (certifications/migrations/0002); a run missed by then is
# caught up; the run itself delivers for up to 2 minutes and leaves the rest to the outbox task.
DAILY_RUN_TIME = time(5, 30)
DAILY_RUN_DELIVERY_SECONDS = env_int("DAILY_RUN_DELIVERY_SECONDS", 120)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

SECURE_CONTENT_TYPE_NOSNIFF = True
# Content-Security-Policy (django-csp): scripts, styles, fonts and images only from the portal's
# own static files: no inline script or style anywhere, the review site included. The one hash
# is the <style> Django's admin/change_list.html writes for lists without actions. Framing
# follows X-Frame-Options (kdla_portal/security_headers.py): 'self' for file previews only.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'sha256-blvLUW3UscWqsXGByNOqdBboM+ShWAuugp2mC/wbafU='"],
        # Bootstrap draws check boxes and select arrows with data: SVG images.
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'"],
        "object-src": ["'self'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
X_FRAME_OPTIONS = "DENY"  # the file preview view opts in to same-origin framing
SESSION_COOKIE_HTTPONLY = True
# A session ends after SESSION_IDLE_MINUTES without a request (8 hours: a working day on a shared
# library computer). Requests move the end, writing the session at most every
# SESSION_REFRESH_SECONDS (accounts/sessions.py).
SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", 8 * 60)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_REFRESH_SECONDS = env_int("SESSION_REFRESH_SECONDS", 300)
if TRUSTED_PROXY_COUNT:
    # Only a trusted proxy may say the client's connection was HTTPS.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # WeasyPrint logs every rendering step of every certificate PDF at INFO.
        "weasyprint.progress": {"level": "WARNING"},
    },
}

# Reminder schedule (days before a due date); see certifications/services for the rules.
UPLOAD_REMINDER_DAYS = [int(d) for d in env_list("UPLOAD_REMINDER_DAYS", ["21", "7", "1"])]
RENEWAL_REMINDER_DAYS = [
    int(d) for d in env_list("RENEWAL_REMINDER_DAYS", ["365", "180", "90", "30"])
]
REVIEWER_DIGEST_AFTER_DAYS = env_int("REVIEWER_DIGEST_AFTER_DAYS", 7)
# A reminder whose day passed without a run is sent late, if its day was at most this long ago.
REMINDER_CATCH_UP_DAYS = env_int("REMINDER_CATCH_UP_DAYS", 14)
