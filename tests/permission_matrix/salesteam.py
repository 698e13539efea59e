"""Project-level URLs."""

from tests.permission_matrix import API_ANON, Row, admin_only, everyone

ROWS = [
    Row("home", everyone(200)),
    Row("healthz", everyone(200, anonymous=200)),
    Row(
        "set_language",
        everyone(302, anonymous=302),
        method="post",
        data=lambda world: {"language": "en", "next": "/"},
    ),
    # In production (tests run with DEBUG off) the schema and its docs need a login.
    Row("api-schema", everyone(200, anonymous=API_ANON)),
    Row("api-docs", everyone(200)),
    Row("api-root", everyone(200, anonymous=API_ANON)),
    # Django's admin: one row for its index stands for the admin site (its own tests cover it).
    Row("admin:index", admin_only(200, others=302, anonymous=302)),
]
