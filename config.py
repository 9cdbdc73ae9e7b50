"""Koosloome configuration defaults.

Every key below can be overridden from the environment as ``KOOSLOOME_<KEY>``
(values are parsed as JSON when they can be, so ``KOOSLOOME_MAIL_PORT=2525`` is an
integer and ``KOOSLOOME_RATELIMIT_ENABLED=false`` a boolean). ``DATABASE_URL`` is
honoured too, as on most hosting platforms. ``koosloome.settings`` applies and checks them.
"""

from __future__ import annotations


class Config:
    """Defaults for every deployment; the README documents each key."""

    #: Where the secret key, the SQLite file and demo files live (default: ./instance).
    INSTANCE_PATH: str | None = None
    #: Signs sessions and tokens. Generated into ``instance/secret_key`` when unset.
    SECRET_KEY: str | None = None
    #: Default: an SQLite file in the instance folder (filled in by the app factory).
    SQLALCHEMY_DATABASE_URI: str | None = None
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    #: "pgbouncer" when DATABASE_URL points at PgBouncer in transaction-pooling mode
    #: (docs/deploy/pgbouncer.ini): psycopg then prepares no statements on the server, since
    #: consecutive transactions of one connection may run on different server connections.
    DATABASE_POOLER: str | None = None
    #: The same PostgreSQL database reached without the pooler, for ``flask backup`` and
    #: ``flask restore``: pg_dump and pg_restore change session settings (search_path) that
    #: transaction pooling would hand on to the app's next transaction. Needed with a pooler.
    DATABASE_DIRECT_URL: str | None = None
    SQLALCHEMY_TRACK_MODIFICATIONS = False
    #: Absolute base for links in emails and calendar invites.
    BASE_URL = "http://127.0.0.1:5000"

    MAIL_SERVER: str | None = None
    MAIL_PORT = 25
    MAIL_USE_TLS = False
    MAIL_USE_SSL = False
    MAIL_USERNAME: str | None = None
    MAIL_PASSWORD: str | None = None
    MAIL_DEFAULT_SENDER = "Koosloome <koosloome@localhost>"
    #: Seconds an outbox worker holds a claimed message before others take it for abandoned;
    #: renewed before each message. Far longer than one SMTP exchange.
    OUTBOX_CLAIM_SECONDS = 600

    #: SMS for people without e-mail (reminder, new time or place, cancellation, a free seat):
    #: off unless a provider is named. "messente" is Messente's Omnimessage API; the password
    #: belongs in the environment (KOOSLOOME_SMS_PASSWORD), never in a file in the repository.
    SMS_PROVIDER: str | None = None
    SMS_API_URL = "https://api.messente.com/v1"
    SMS_USERNAME: str | None = None
    SMS_PASSWORD: str | None = None
    #: The sender name shown on the phone (at most 11 letters for an alphanumeric sender).
    SMS_SENDER = "Koosloome"

    RATELIMIT_ENABLED = True
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    #: Namespaces the counters, so that one Redis can serve other applications too.
    RATELIMIT_KEY_PREFIX = "koosloome"
    #: If the limit storage (Redis) fails, serve the request unlimited rather than fail it:
    #: people must still be able to register; the failure is logged.
    RATELIMIT_SWALLOW_ERRORS = True
    #: How many reverse proxies (nginx…) stand in front of the app and set X-Forwarded-For /
    #: X-Forwarded-Proto. Rate limits count per client address, so behind a proxy this must be
    #: set (usually 1), or every visitor shares the proxy's address and its limits.
    TRUSTED_PROXIES = 0
    #: Per client address, on the registration form and the registration API (Flask-Limiter).
    REGISTRATION_RATE_LIMIT = "30 per minute; 300 per hour"
    #: Per client address, the look-ups of board join codes and feedback codes that find nothing
    #: (the codes are short: this keeps guessing them slow).
    CODE_LOOKUP_RATE_LIMIT = "30 per minute; 200 per hour"
    #: Joins of one board from one client address (web and API). Joining again gives a fresh
    #: vote budget, so this is tight; a room whose people all share one address (the venue's
    #: Wi-Fi) joins a few a minute. Participants who join through their registration link get
    #: the same participant back however often they join.
    BOARD_JOIN_RATE_LIMIT = "6 per minute; 40 per hour"
    #: Failed sign-ins per staff account, whatever the address (besides the per-address one).
    LOGIN_ACCOUNT_RATE_LIMIT = "20 per 15 minutes; 100 per day"
    #: Sign-ups for announcements (the public "tell me about coming events" form), per client
    #: address and, so that nobody's inbox fills with confirmation requests, per e-mail address.
    SUBSCRIBE_RATE_LIMIT = "10 per minute; 60 per hour"
    SUBSCRIBE_ADDRESS_RATE_LIMIT = "3 per hour; 5 per day"

    #: Events on one page of the public list (and the API's default page size). Ten keep the
    #: home page within its 30 KB budget with room to spare (bench/README.md, page weight).
    EVENTS_PER_PAGE = 10

    DEFAULT_LOCALE = "et"
    LANGUAGES = ("et", "en")
    TIMEZONE = "Europe/Tallinn"

    #: Shown in the footer of every page (WCAG 3.2.6 consistent help). Example addresses until
    #: configured: a default must never be someone's real mailbox.
    CONTACT_EMAIL = "info@koosloome.example"
    CONTACT_PHONE = "+372 5555 0000"
    #: Each partner's contact address (organiser of its invitations, "questions?" in its
    #: e-mails), by partner: ``KOOSLOOME_PARTNER_EMAILS='{"vpk": "…", "tas": "…"}'``. Unset,
    #: the address stored for the partner is used (an example address on a new install).
    PARTNER_EMAILS: dict[str, str] = {}

    #: The funding statement in the footer of every page and on the LEADER evidence PDFs
    #: (attendance sheet, evidence pack, certificates of participation), in each language.
    FUNDING_STATEMENT_ET = ("Projekti „Koosloomest koostööni“ rahastatakse LEADER-meetmest "
                            "(Euroopa Maaelu Arengu Põllumajandusfond).")
    FUNDING_STATEMENT_EN = ("The project “Koosloomest koostööni” (From co-creation to "
                            "cooperation) is funded by the LEADER measure (European "
                            "Agricultural Fund for Rural Development).")
    #: The logo pictures (PNG or JPEG) the PDFs print, in order, e.g. LEADER's and the EU's:
    #: ``KOOSLOOME_LOGO_FILES=/srv/logos/leader.png,/srv/logos/eu.png``. Unset, boxed labels
    #: mark where the logos go; a file that cannot be read is left out (with a warning).
    LOGO_FILES: tuple[str, ...] = ()
    #: What each logo shows, for people who cannot see it (its alt text), in the same order:
    #: ``KOOSLOOME_LOGO_NAMES=LEADER,Euroopa Liit``. Unset, a logo is named by its file name.
    LOGO_NAMES: tuple[str, ...] = ()

    #: Days after an event ends before its health data (access needs, diets, transport…) is
    #: deleted by ``flask privacy purge``.
    HEALTH_DATA_RETENTION_DAYS = 30
    #: Days after a trip ends before the travellers' travel details (document, date of
    #: birth, emergency contact) are deleted by ``flask privacy purge``.
    TRAVEL_DETAILS_RETENTION_DAYS = 14
    #: Staff get a digest of the arrangements still open this many days before an event.
    ARRANGEMENT_DIGEST_DAYS = (7, 2)
    #: Months after an event ends before its registrations are anonymised; the LEADER evidence
    #: period (see the README, "Personal data and retention").
    PERSONAL_DATA_RETENTION_MONTHS = 84

    #: Idle seconds before SQLite gives up waiting for the write lock.
    SQLITE_BUSY_TIMEOUT_MS = 15000

    WTF_CSRF_TIME_LIMIT = None  # WCAG 2.2.1: no time limits on forms
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    MAX_CONTENT_LENGTH = 1024 * 1024
    #: The largest file an organiser may upload (materials, photos, scans, receipts), in MB.
    #: Pages that take a file read requests up to twice this; every other page 1 MB.
    MAX_UPLOAD_MB = 10
    #: Where uploaded files are kept on disk (default: instance/files, private to the app).
    FILES_DIR: str | None = None
    #: Keep uploaded files in an S3-compatible bucket instead (MinIO, Hetzner, AWS…). The
    #: keys belong in the environment (KOOSLOOME_FILES_S3_SECRET_ACCESS_KEY); unset, boto3's
    #: own sources (AWS_ACCESS_KEY_ID…) are used.
    FILES_S3_BUCKET: str | None = None
    FILES_S3_ENDPOINT_URL: str | None = None
    FILES_S3_REGION: str | None = None
    FILES_S3_ACCESS_KEY_ID: str | None = None
    FILES_S3_SECRET_ACCESS_KEY: str | None = None
    #: Object names start with this (one bucket shared with other data).
    FILES_S3_PREFIX = ""
    #: Strict-Transport-Security max-age (seconds) when BASE_URL is https; 0 sends none.
    HSTS_MAX_AGE = 31536000
    #: Add ``includeSubDomains`` to Strict-Transport-Security: every host under the domain
    #: must then serve https. Only for an operator who owns the whole domain.
    HSTS_INCLUDE_SUBDOMAINS = False


class TestConfig(Config):
    """Settings the test suite starts from."""

    TESTING = True
    SECRET_KEY = "test-secret-key-not-for-production"  # noqa: S105
    WTF_CSRF_ENABLED = False
    RATELIMIT_ENABLED = False
    BASE_URL = "http://koosloome.test"
    MAIL_DEFAULT_SENDER = "Koosloome <koosloome@koosloome.test>"
