"""The apps' own rules (meetings, activities and targets, the review, the diagnosis, call
events in, webhooks out), each read from the environment with its default.

Imported by `salesteam.settings` after it has read `.env`, so the same variables apply;
`.env.example` documents them.
"""

import environ

env = environ.Env()

# --- Meetings -------------------------------------------------------------------------
# Generated video links: this base URL plus an unguessable room name (Jitsi by default).
VIDEO_BASE_URL = env.str("VIDEO_BASE_URL", default="https://meet.jit.si/")
# Days ahead for which recurring meetings are generated.
MEETINGS_HORIZON_DAYS = env.int("MEETINGS_HORIZON_DAYS", default=62)
# Fair hours (meetings.fair_hours): the weeks a series' out-of-hours burden is judged
# over when it is scheduled, and the days each person's running count looks back.
FAIR_HOURS_WEEKS = env.int("FAIR_HOURS_WEEKS", default=12)
FAIR_HOURS_LOOKBACK_DAYS = env.int("FAIR_HOURS_LOOKBACK_DAYS", default=90)
# Recommended days between check-ins with a rep, by autonomy level.
MEETING_CADENCE_DAYS = {
    "new": env.int("CADENCE_NEW_DAYS", default=7),
    "ramping": env.int("CADENCE_RAMPING_DAYS", default=7),
    "established": env.int("CADENCE_ESTABLISHED_DAYS", default=14),
    "autonomous": env.int("CADENCE_AUTONOMOUS_DAYS", default=30),
}
# Consecutive on-target weeks before the autonomy review promotes a rep one level.
AUTONOMY_PROMOTION_WEEKS = env.int("AUTONOMY_PROMOTION_WEEKS", default=4)

# --- Activities and targets -----------------------------------------------------------
# Deal amounts and revenue targets are in this currency (ISO 4217 code).
COMPANY_CURRENCY = env.str("COMPANY_CURRENCY", default="EUR")
# How many days back a rep may log an activity or deal (their local calendar).
ACTIVITY_BACKDATE_DAYS = env.int("ACTIVITY_BACKDATE_DAYS", default=7)
# Each process caches the metrics (activities.metric_cache); another process's change to
# a metric is seen within this many seconds.
METRIC_CACHE_SECONDS = env.int("METRIC_CACHE_SECONDS", default=60)
# The dip check after logging runs once per rep per this many seconds, at the end of the
# window (targets.receivers); 0 queues one check per activity.
DIP_CHECK_BATCH_SECONDS = env.int("DIP_CHECK_BATCH_SECONDS", default=60)
# The period in which reps may still edit or delete their own entries: day, week or month.
ACTIVITY_EDIT_WINDOW = env.str("ACTIVITY_EDIT_WINDOW", default="week")

# --- Results review -------------------------------------------------------------------
# Reps per review task; each chunk is one transaction and a fixed number of queries.
REVIEW_CHUNK_SIZE = env.int("REVIEW_CHUNK_SIZE", default=500)
# Work days in a row below a daily activity target before an "activity dip" flag.
REVIEW_DIP_DAYS = env.int("REVIEW_DIP_DAYS", default=3)
# Ramp weeks in a row below the ramped targets before a "behind on ramp" coaching flag
# (a new rep is coached, not put on a plan, while they ramp up).
RAMP_MISSED_WEEKS = env.int("RAMP_MISSED_WEEKS", default=2)
# Months in a row on quota before the system gives kudos.
REVIEW_PRAISE_MONTHS = env.int("REVIEW_PRAISE_MONTHS", default=2)
# Months in a row on quota that close an improvement plan by itself.
PLAN_RECOVERY_MONTHS = env.int("PLAN_RECOVERY_MONTHS", default=1)
# Closed months in a row on quota that make a rep "proven": lowering their autonomy or
# raising their targets then needs a written reason, and they are told (don't fix what
# works; targets.quota.is_proven). 0 turns the rule off.
PROVEN_MONTHS = env.int("PROVEN_MONTHS", default=3)

# --- Call events in (integrations.calls) ----------------------------------------------
# The public address Twilio calls, scheme and host (e.g. https://sales.example.com). Its
# signature covers the full URL: empty means the request's own address, read through
# SECURE_PROXY_SSL_HEADER and USE_X_FORWARDED_HOST; set it when a proxy rewrites more.
INBOUND_PUBLIC_BASE_URL = env.str("INBOUND_PUBLIC_BASE_URL", default="")
# A completed call at least this many seconds long is "connected"; shorter, "voicemail".
CALL_CONNECTED_SECONDS = env.int("CALL_CONNECTED_SECONDS", default=30)

# --- Diagnosis (coaching.diagnosis) ---------------------------------------------------
# The rolling window in days (and the previous window before a closed month).
DIAGNOSIS_WINDOW_DAYS = env.int("DIAGNOSIS_WINDOW_DAYS", default=90)
# A stage with fewer events than this is not judged: the team's rate is used instead.
DIAGNOSIS_MIN_EVENTS = env.int("DIAGNOSIS_MIN_EVENTS", default=10)
# Never propose more calls a work day than this times the team's top quartile.
DIAGNOSIS_CEILING_FACTOR = env.float("DIAGNOSIS_CEILING_FACTOR", default=2)

# --- Where the manager's time goes (coaching.attention) --------------------------------
# Attention is upside down when more than this share of a month's one-on-one minutes
# went to reps on quota while a rep below quota had none in the last NEGLECT_DAYS.
ATTENTION_UPSIDE_DOWN_SHARE = env.float("ATTENTION_UPSIDE_DOWN_SHARE", default=0.5)
ATTENTION_NEGLECT_DAYS = env.int("ATTENTION_NEGLECT_DAYS", default=14)

# --- Webhooks out (integrations.webhooks) ----------------------------------------------
# Hosts a subscription may point at although they resolve to a private, loopback or
# link-local address (an n8n on the office network; the tests' 127.0.0.1), and that may
# use plain http. Everything else must be https to a public address.
WEBHOOK_ALLOWED_HOSTS = env.list("WEBHOOK_ALLOWED_HOSTS", default=[])
# Attempts per message (the first and its retries): ten seconds, then four times longer
# each time (with 20 % jitter), capped at twelve hours: about 27 hours in all.
WEBHOOK_MAX_ATTEMPTS = env.int("WEBHOOK_MAX_ATTEMPTS", default=9)
WEBHOOK_RETRY_BASE_SECONDS = env.int("WEBHOOK_RETRY_BASE_SECONDS", default=10)
WEBHOOK_RETRY_MAX_SECONDS = env.int("WEBHOOK_RETRY_MAX_SECONDS", default=12 * 3600)
# Failed attempts in a row (no success between them) that disable a subscription.
WEBHOOK_DISABLE_AFTER_FAILURES = env.int("WEBHOOK_DISABLE_AFTER_FAILURES", default=20)
# Hours during which the secret replaced by a rotation still signs every message.
WEBHOOK_SECRET_GRACE_HOURS = env.int("WEBHOOK_SECRET_GRACE_HOURS", default=24)
# Seconds to connect and to wait for the answer; bytes of the answer that are kept.
WEBHOOK_CONNECT_TIMEOUT = env.float("WEBHOOK_CONNECT_TIMEOUT", default=3.0)
WEBHOOK_READ_TIMEOUT = env.float("WEBHOOK_READ_TIMEOUT", default=5.0)
WEBHOOK_RESPONSE_BODY_LIMIT = env.int("WEBHOOK_RESPONSE_BODY_LIMIT", default=2048)
# Seconds a web or worker process trusts its list of the events anyone subscribed to: a
# new subscription hears from other processes within this delay.
WEBHOOK_LISTENERS_TTL_SECONDS = env.int("WEBHOOK_LISTENERS_TTL_SECONDS", default=30)
# Days that finished deliveries and their attempts are kept in the log.
WEBHOOK_LOG_DAYS = env.int("WEBHOOK_LOG_DAYS", default=30)
