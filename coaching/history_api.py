"""REST API for bringing history (admins): import files, follow them, replay the review.

`POST /api/v1/history-imports/` takes `kind` (activities, deals, targets) and the CSV as
a `file` upload or as `content` text. It answers 201 with the finished job, 202 while a
worker checks a large file (poll `GET /api/v1/history-imports/<id>/`), 200 with the
first job when the same file was uploaded before, and 400 naming every bad line when
nothing was imported. An `Idempotency-Key` replays the first answer to a retry.
"""

import hashlib

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from accounts.api import IsAdmin
from accounts.models import ImportJob
from accounts.people_import import UnreadableFile, decode_upload
from activities.api import ID_REGEX, IDEMPOTENCY_KEY, IDEMPOTENCY_KEY_REUSED
from activities.idempotency import idempotent
from coaching.history_forms import MAX_HISTORY_FILE_BYTES
from coaching.history_replay import ReplaySummary, history_replay
from core.params import MAX_ID
from targets.history_import import KINDS, history_import_start, history_job_get


class HistoryImportCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=list(KINDS))
    file = serializers.FileField(required=False)
    content = serializers.CharField(
        required=False, trim_whitespace=False, max_length=MAX_HISTORY_FILE_BYTES
    )

    def validate_file(self, upload):
        if upload.size > MAX_HISTORY_FILE_BYTES:
            raise serializers.ValidationError(_("The file is larger than 16 MB."))
        return upload

    def validate(self, attrs):
        upload, content = attrs.get("file"), attrs.get("content")
        if (upload is None) == (content is None):
            raise serializers.ValidationError(
                {"file": [_("Send the CSV as a file upload or as content, not both.")]}
            )
        field = "file" if upload is not None else "content"
        raw = upload.read() if upload is not None else content.encode()
        try:
            attrs["text"] = decode_upload(raw)
        except UnreadableFile as error:
            raise serializers.ValidationError({field: [str(error)]}) from error
        attrs["filename"] = upload.name if upload is not None else ""
        return attrs


class HistoryImportSerializer(serializers.ModelSerializer):
    kind = serializers.SerializerMethodField()
    percent = serializers.IntegerField(read_only=True)

    class Meta:
        model = ImportJob
        fields = [
            "id",
            "kind",
            "filename",
            "status",
            "total_rows",
            "processed_rows",
            "percent",
            "imported_count",
            "errors",
            "created_at",
            "finished_at",
        ]
        read_only_fields = fields

    def get_kind(self, job) -> str:
        return self.context["kind"]


class ReplaySerializer(serializers.Serializer):
    weeks = serializers.IntegerField()
    months = serializers.IntegerField()
    autonomy_changes = serializers.IntegerField()
    flags = serializers.IntegerField()
    kudos = serializers.IntegerField()
    plans_opened = serializers.IntegerField()
    plans_closed = serializers.IntegerField()


def job_status_code(job: ImportJob, *, new: bool) -> int:
    if not new:
        return status.HTTP_200_OK
    if job.status == ImportJob.Status.DONE:
        return status.HTTP_201_CREATED
    if job.status == ImportJob.Status.FAILED:
        return status.HTTP_400_BAD_REQUEST
    return status.HTTP_202_ACCEPTED


class HistoryImportViewSet(viewsets.GenericViewSet):
    """History imports (admins only): past activities, deals and targets from CSV."""

    permission_classes = [IsAdmin]
    serializer_class = HistoryImportSerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    lookup_value_regex = ID_REGEX
    queryset = ImportJob.objects.none()

    @extend_schema(
        request={
            "multipart/form-data": HistoryImportCreateSerializer,
            "application/json": HistoryImportCreateSerializer,
        },
        parameters=[IDEMPOTENCY_KEY],
        responses={
            200: HistoryImportSerializer,
            201: HistoryImportSerializer,
            202: HistoryImportSerializer,
            422: IDEMPOTENCY_KEY_REUSED,
        },
    )
    def create(self, request):
        payload = HistoryImportCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        kind, text = payload.validated_data["kind"], payload.validated_data["text"]

        def write():
            try:
                job, new = history_import_start(
                    by=request.user,
                    kind=kind,
                    filename=payload.validated_data["filename"],
                    content=text,
                )
            except UnreadableFile as error:
                raise ValidationError({"file": [str(error)]}) from error
            body = HistoryImportSerializer(job, context={"kind": kind}).data
            code = job_status_code(job, new=new)
            if code == status.HTTP_400_BAD_REQUEST:
                body = {
                    "file": [
                        _("Line %(line)d: %(message)s") % error for error in job.errors
                    ],
                    "job": job.pk,
                }
            return code, body

        key = request.headers.get("Idempotency-Key")
        if key is None:
            code, body = write()
            return Response(body, status=code)
        fingerprint = hashlib.sha256(f"{kind}\n{text}".encode()).hexdigest()
        code, body, replayed = idempotent(
            user=request.user,
            key=key,
            path=request.path,
            fingerprint=fingerprint,
            write=write,
        )
        response = Response(body, status=code)
        if replayed:
            response["Idempotent-Replayed"] = "true"
        return response

    @extend_schema(
        parameters=[OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH)],
        responses={200: HistoryImportSerializer},
    )
    def retrieve(self, request, pk=None):
        found = history_job_get(pk=int(pk)) if int(pk) <= MAX_ID else None
        if found is None:
            raise Http404
        job, kind = found
        return Response(HistoryImportSerializer(job, context={"kind": kind.slug}).data)

    @extend_schema(request=None, responses={200: ReplaySerializer})
    @action(detail=False, methods=["post"])
    def replay(self, request):
        """Replay autonomy and the review over the whole history (idempotent)."""
        summary: ReplaySummary = history_replay()
        return Response(ReplaySerializer(summary).data)


routes = [("history-imports", HistoryImportViewSet, "api-history-import")]
urlpatterns: list = []
