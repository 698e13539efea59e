"""People: authentication pages and the API."""

from tests.permission_matrix import API_ANON, Row, everyone

ROWS = [
    Row("login", everyone(302, anonymous=200)),
    Row("logout", everyone(302, anonymous=302), method="post"),
    Row("password_reset", everyone(200, anonymous=200)),
    Row("password_reset_done", everyone(200, anonymous=200)),
    Row(
        "password_reset_confirm",
        everyone(200, anonymous=200),
        kwargs=lambda world: {"uidb64": "MQ", "token": "bad-token"},
    ),
    Row("password_reset_complete", everyone(200, anonymous=200)),
    Row("password_change", everyone(200)),
    Row("password_change_done", everyone(200)),
    Row(
        "api-token", everyone(400, anonymous=400), method="post", data=lambda world: {}
    ),
    Row("api-me", everyone(200, anonymous=API_ANON)),
]
