"""REST API for metrics, activities, deals and contacts (thin: the services decide).

Querysets are scoped with the permission policy, so another team's entry is a 404 and a
list never shows it. POST to activities and deals honours an `Idempotency-Key` header.
"""

import django_filters
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response

from accounts.models import Role
from accounts.permissions import records_people
from accounts.selectors import record_owner_for
from activities import services
from activities.idempotency import idempotent, request_fingerprint
from activities.models import Activity, Contact, Deal, Metric, Source
from activities.selectors import (
    activities_visible_to,
    contact_for_entry,
    contacts_visible_to,
    deals_visible_to,
)
from activities.serializers import (
    ActivitySerializer,
    ActivityUpdateSerializer,
    ActivityWriteSerializer,
    ContactSerializer,
    DealSerializer,
    DealUpdateSerializer,
    DealWriteSerializer,
    MetricCreateSerializer,
    MetricSerializer,
    MetricUpdateSerializer,
)
from core.api_filters import IdFilter

ID_REGEX = r"[0-9]{1,18}"
IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description=_(
        "Any unique string (e.g. a UUID), 1 to 255 characters. A retry with the same "
        "key and the same body returns the first response (with the header "
        "Idempotent-Replayed: true) and logs nothing twice. The same key with a "
        "different body is refused with 422. Keys expire after 24 hours."
    ),
)
IDEMPOTENCY_KEY_REUSED = OpenApiResponse(
    description=_("The Idempotency-Key was already used with a different body.")
)


def create_response(request, write) -> Response:
    """Run a create once per Idempotency-Key (if the request carries one)."""
    key = request.headers.get("Idempotency-Key")
    if key is None:
        status_code, body = write()
        return Response(body, status=status_code)
    status_code, body, replayed = idempotent(
        user=request.user,
        key=key,
        path=request.path,
        fingerprint=request_fingerprint(request.data),
        write=write,
    )
    response = Response(body, status=status_code)
    if replayed:
        response["Idempotent-Replayed"] = "true"
    return response


class ScopedViewSet(viewsets.GenericViewSet):
    lookup_value_regex = ID_REGEX

    model = None
    # A list of rows that belong to reps reads a manager's page per rep of the team
    # (core/api_pagination.py), so that it costs the page, not the team's history.
    list_partition_field: str | None = None

    def list_partitions(self):
        viewer = self.request.user
        if viewer.is_admin or viewer.role != Role.MANAGER:
            return None
        return records_people(viewer)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.model.objects.none()
        return self.scoped_queryset(self.request.user)


# --- Metrics --------------------------------------------------------------------------


class MetricFilter(django_filters.FilterSet):
    class Meta:
        model = Metric
        fields = ["kind", "is_active"]


class MetricViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """What can be logged and targeted. Admins add custom activity metrics and retire
    them (`is_active: false`), which keeps their history."""

    serializer_class = MetricSerializer
    queryset = Metric.objects.order_by("sort_order", "slug")
    filterset_class = MetricFilter
    lookup_field = "slug"
    lookup_value_regex = r"[-a-zA-Z0-9_]{1,40}"
    http_method_names = ["get", "post", "patch", "head", "options"]

    @extend_schema(request=MetricCreateSerializer, responses={201: MetricSerializer})
    def create(self, request):
        serializer = MetricCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        metric = services.metric_create(by=request.user, **serializer.validated_data)
        return Response(MetricSerializer(metric).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=MetricUpdateSerializer, responses={200: MetricSerializer})
    def partial_update(self, request, slug=None):
        metric = self.get_object()
        serializer = MetricUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        metric = services.metric_update(
            metric=metric, by=request.user, **serializer.validated_data
        )
        return Response(MetricSerializer(metric).data)


# --- Activities -----------------------------------------------------------------------


class EntryFilter(django_filters.FilterSet):
    user = IdFilter(field_name="rep_id", label=_("User id"))
    date_from = django_filters.DateFilter(field_name="local_date", lookup_expr="gte")
    date_to = django_filters.DateFilter(field_name="local_date", lookup_expr="lte")
    source = django_filters.ChoiceFilter(choices=Source.choices)


class ActivityFilter(EntryFilter):
    metric = django_filters.CharFilter(field_name="metric__slug")

    class Meta:
        model = Activity
        fields = ["user", "metric", "date_from", "date_to", "source"]


class ActivityViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Logged activities. Reps log for themselves; managers see (`?user=`) and correct
    their teams' entries."""

    serializer_class = ActivitySerializer
    filterset_class = ActivityFilter
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    model = Activity
    list_partition_field = "rep_id"

    def scoped_queryset(self, viewer):
        return activities_visible_to(viewer)

    @extend_schema(
        request=ActivityWriteSerializer,
        responses={201: ActivitySerializer, 422: IDEMPOTENCY_KEY_REUSED},
        parameters=[IDEMPOTENCY_KEY],
    )
    def create(self, request):
        serializer = ActivityWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data

        def write():
            rep = record_owner_for(
                request.user, person_id=data.get("user"), field="user"
            )
            activity = services.activity_log(
                rep=rep,
                metric=data["metric"],
                quantity=data["quantity"],
                occurred_at=data.get("occurred_at"),
                contact=contact_for_entry(
                    viewer=request.user, contact_id=data.get("contact")
                ),
                outcome=data["outcome"],
                note=data["note"],
                source=Source.API,
                by=request.user,
            )
            return status.HTTP_201_CREATED, ActivitySerializer(activity).data

        return create_response(request, write)

    @extend_schema(
        request=ActivityUpdateSerializer, responses={200: ActivitySerializer}
    )
    def partial_update(self, request, pk=None):
        activity = self.get_object()
        serializer = ActivityUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        changes = dict(serializer.validated_data)
        if "contact" in changes:
            changes["contact"] = contact_for_entry(
                viewer=request.user, contact_id=changes["contact"]
            )
        activity = services.activity_update(
            activity=activity, by=request.user, **changes
        )
        return Response(ActivitySerializer(activity).data)

    @extend_schema(responses={204: OpenApiResponse(description=_("Deleted"))})
    def destroy(self, request, pk=None):
        services.activity_delete(activity=self.get_object(), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- Deals ----------------------------------------------------------------------------


class DealFilter(EntryFilter):
    class Meta:
        model = Deal
        fields = ["user", "date_from", "date_to", "source"]


class DealViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Won deals (amounts in the company currency); they feed `deals` and `revenue`."""

    serializer_class = DealSerializer
    filterset_class = DealFilter
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    model = Deal
    list_partition_field = "rep_id"

    def scoped_queryset(self, viewer):
        return deals_visible_to(viewer)

    @extend_schema(
        request=DealWriteSerializer,
        responses={201: DealSerializer, 422: IDEMPOTENCY_KEY_REUSED},
        parameters=[IDEMPOTENCY_KEY],
    )
    def create(self, request):
        serializer = DealWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data

        def write():
            deal = services.deal_log(
                rep=record_owner_for(
                    request.user, person_id=data.get("user"), field="user"
                ),
                title=data["title"],
                amount=data["amount"],
                closed_at=data.get("closed_at"),
                contact=contact_for_entry(
                    viewer=request.user, contact_id=data.get("contact")
                ),
                note=data["note"],
                source=Source.API,
                by=request.user,
            )
            return status.HTTP_201_CREATED, DealSerializer(deal).data

        return create_response(request, write)

    @extend_schema(request=DealUpdateSerializer, responses={200: DealSerializer})
    def partial_update(self, request, pk=None):
        deal = self.get_object()
        serializer = DealUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        changes = dict(serializer.validated_data)
        if "contact" in changes:
            changes["contact"] = contact_for_entry(
                viewer=request.user, contact_id=changes["contact"]
            )
        deal = services.deal_update(deal=deal, by=request.user, **changes)
        return Response(DealSerializer(deal).data)

    @extend_schema(responses={204: OpenApiResponse(description=_("Deleted"))})
    def destroy(self, request, pk=None):
        services.deal_delete(deal=self.get_object(), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- Contacts -------------------------------------------------------------------------


class ContactFilter(django_filters.FilterSet):
    owner = IdFilter(field_name="owner_id")
    search = django_filters.CharFilter(field_name="name", lookup_expr="icontains")

    class Meta:
        model = Contact
        fields = ["owner", "search"]


class ContactViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """The light CRM: people a rep talks to."""

    serializer_class = ContactSerializer
    filterset_class = ContactFilter
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    model = Contact

    def scoped_queryset(self, viewer):
        return contacts_visible_to(viewer)

    def create(self, request):
        serializer = ContactSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        owner = record_owner_for(
            request.user, person_id=data.pop("owner_id", None), field="owner"
        )
        contact = services.contact_create(owner=owner, by=request.user, **data)
        return Response(ContactSerializer(contact).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        contact = self.get_object()
        serializer = ContactSerializer(contact, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.pop("owner_id", None)
        contact = services.contact_update(contact=contact, by=request.user, **data)
        return Response(ContactSerializer(contact).data)

    @extend_schema(responses={204: OpenApiResponse(description=_("Deleted"))})
    def destroy(self, request, pk=None):
        services.contact_delete(contact=self.get_object(), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


routes = [
    ("metrics", MetricViewSet, "metric"),
    ("activities", ActivityViewSet, "activity"),
    ("deals", DealViewSet, "deal"),
    ("contacts", ContactViewSet, "contact"),
]
urlpatterns: list = []
