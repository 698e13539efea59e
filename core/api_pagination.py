"""Pagination shared by every list endpoint.

Every list answers `?page=` and `?page_size=` (at most 500) with `count`, `next`,
`previous` and `results` (the contract in the OpenAPI schema). The cost of a page
follows the viewer's scope: querysets are scoped by `accounts.permissions`, so `count`
counts the viewer's rows only.

A list whose rows belong to people (activities, deals) may name them: a view with
`list_partition_field` (e.g. "rep_id") and `list_partitions()` (a subquery of the
people's ids, or None) has its pages read, on PostgreSQL, as the first rows *of each
person* by the list's order (a LATERAL join over the people, each person's rows read by
their (rep, ordering) index), merged. A manager's page then reads a few rows per rep
of the team instead of sorting every row of the team's history. The rows, their order
and the page boundaries are exactly those of the plain query (SQLite reads that one).
"""

from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import F, QuerySet
from django.db.models.expressions import RawSQL
from rest_framework import pagination


def _order(queryset: QuerySet) -> list[tuple[str, bool]]:
    """The queryset's ordering as (field, descending) pairs (plain fields only)."""
    ordering = queryset.query.order_by or queryset.model._meta.ordering
    order = []
    for term in ordering:
        if not isinstance(term, str) or "__" in term or term == "?":
            raise ValueError(f"Cannot partition a list ordered by {term!r}.")
        descending = term.startswith("-")
        name = term.lstrip("-")
        field = queryset.model._meta.pk if name == "pk" else None
        field = field or queryset.model._meta.get_field(name)
        order.append((field.attname, descending))
    return order


def first_rows_of_each(
    queryset: QuerySet, *, partition_field: str, partitions: QuerySet, stop: int
) -> RawSQL:
    """A subquery of the ids of the first `stop` rows of `queryset` (in its order),
    read as the first `stop` rows of each partition (`partition_field` = each id of
    `partitions`), merged: `queryset.filter(pk__in=this)[start:stop]` is the same
    page as `queryset[start:stop]` on PostgreSQL."""
    order = _order(queryset)
    pk = queryset.model._meta.pk.attname
    if pk not in [column for column, _descending in order]:
        order.append((pk, False))  # a total order, so that pages never overlap
    columns = [pk, *(column for column, _d in order if column != pk)]
    inner = (
        queryset.filter(**{partition_field: RawSQL("scope.pk", ())})
        .order_by(*(F(c).desc() if d else F(c).asc() for c, d in order))
        .values_list(*columns)[:stop]
    )
    inner_sql, inner_params = inner.query.get_compiler(queryset.db).as_sql()
    scope_sql, scope_params = partitions.query.get_compiler(queryset.db).as_sql()
    names = ", ".join(f"c{index}" for index in range(len(columns)))
    by = {column: f"c{index}" for index, column in enumerate(columns)}
    merge = ", ".join(f"{by[c]} {'DESC' if d else 'ASC'}" for c, d in order)
    sql = (
        f"SELECT page.c0 FROM ({scope_sql}) AS scope (pk)"
        f" CROSS JOIN LATERAL ({inner_sql}) AS page ({names})"
        f" ORDER BY {merge} LIMIT {int(stop)}"
    )
    return RawSQL(sql, (*scope_params, *inner_params))


class PartitionedPaginator(Paginator):
    """A Django paginator whose pages are read per partition (see the module)."""

    def __init__(self, object_list, per_page, *, partition_field, partitions, **kw):
        super().__init__(object_list, per_page, **kw)
        self.partition_field = partition_field
        self.partitions = partitions

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        rows = self.object_list.none()
        if top > bottom:
            try:
                ids = first_rows_of_each(
                    self.object_list,
                    partition_field=self.partition_field,
                    partitions=self.partitions,
                    stop=top,
                )
            except EmptyResultSet:  # e.g. a filter that matches nothing by itself
                pass
            else:
                rows = self.object_list.filter(pk__in=ids)[bottom:top]
        return self._get_page(rows, number, self)


class PageNumberPagination(pagination.PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 500

    def paginate_queryset(self, queryset, request, view=None):
        partitions = None
        field = getattr(view, "list_partition_field", None)
        if field and connections[queryset.db].vendor == "postgresql":
            partitions = view.list_partitions()
        if partitions is None:
            self.django_paginator_class = Paginator
        else:
            self.django_paginator_class = lambda rows, size: PartitionedPaginator(
                rows, size, partition_field=field, partitions=partitions
            )
        return super().paginate_queryset(queryset, request, view)
