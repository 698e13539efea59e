"""Bringing history (coaching.history_views, coaching.history_api): admins only."""

from accounts.models import ImportJob
from tests.permission_matrix import API_ANON, Row, admin_only


def history_job_pk(world) -> dict:
    job = ImportJob.objects.create(
        created_by=world["admin"],
        content="date,email,metric,quantity,outcome\n",
        status=ImportJob.Status.FAILED,
    )
    return {"pk": job.pk}


ROWS = [
    Row("history:import", admin_only()),
    Row("history:job", admin_only(), kwargs=history_job_pk),
    Row("history:template", admin_only(), kwargs=lambda world: {"kind": "deals"}),
    Row("history:replay", admin_only(302), method="post"),
    Row(
        "api-history-import-list",
        admin_only(400, anonymous=API_ANON),
        method="post",
        data=lambda world: {},
    ),
    Row(
        "api-history-import-detail",
        admin_only(anonymous=API_ANON),
        kwargs=history_job_pk,
    ),
    Row("api-history-import-replay", admin_only(anonymous=API_ANON), method="post"),
]
