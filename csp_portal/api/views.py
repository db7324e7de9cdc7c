"""The viewset every app's endpoints build on: scoped lists, authorised fetches, ETags on versioned rows.

A viewset names its scoped queryset (`scoped`, from the app's permission module, with the joins its
serializer needs) and how one row is fetched and authorised (`fetch`, the permission module's
`get_<thing>_for_user`). Lists are always the scoped queryset, filtered; a row is always fetched
through `fetch`, so outside the caller's scope is 404 and visible but not changeable is 403, from the
same functions the pages call.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.db.models import Model, QuerySet
from django.urls import reverse
from django.utils.cache import patch_cache_control, patch_vary_headers
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from csp_portal.api.concurrency import with_etag
from csp_portal.api.filters import MAX_ID

T = TypeVar("T")


def pk_of(value: Any) -> int:
    """A row id from the URL: anything but a whole number in range is a 404 (as a missing row is)."""
    text = str(value)
    if not text.isdigit() or not 0 < int(text) <= MAX_ID:
        raise NotFound("Not found.")
    return int(text)


def body_pk(request: Request, field: str) -> int | None:
    """The id of the row a create is made under (`action_plan`, `measure`), if the body names one that
    could be an id: the caller is authorised on it before the rest of the body is checked."""
    data = request.data
    if not isinstance(data, dict) or field not in data:
        return None
    try:
        value = serializers.IntegerField(min_value=1, max_value=MAX_ID).run_validation(data[field])
    except serializers.ValidationError:
        return None  # the full check of the body names the field
    return int(value)


def created(body: Any, url_name: str, pk: int) -> Response:
    """201 with the new row and its address in Location (url_name: its detail view, e.g. api:action-detail)."""
    return Response(body, status=status.HTTP_201_CREATED, headers={"Location": reverse(url_name, args=[pk])})


def first_or_404(queryset: QuerySet[Any], pk: int) -> Any:
    """A row of a scoped queryset, or 404 (outside the scope looks the same as missing)."""
    row = queryset.filter(pk=pk).first()
    if row is None:
        raise NotFound("Not found.")
    return row


class PortalViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):  # type: ignore[type-arg]
    """List and retrieve; subclasses add writes through their app's services (with DRF's CreateModelMixin or
    UpdateModelMixin for the routes, overriding its create or update: a PATCH is an update with partial)."""

    lookup_field = "pk"
    # No OPTIONS (DRF's description of a view) and no TRACE: every other method a view lacks is a 405.
    http_method_names = ["get", "post", "put", "patch", "delete", "head"]
    metadata_class = None

    def scoped(self, user: Any) -> QuerySet[Any]:
        """The rows the user may see, with what the serializer reads joined in."""
        raise NotImplementedError

    def fetch(self, user: Any, pk: int, *, for_write: bool = False) -> Any:
        """One row through the permission module: 404 outside scope, 403 if for_write is not allowed."""
        raise NotImplementedError

    def get_queryset(self) -> QuerySet[Any]:
        return self.scoped(self.request.user)

    def get_object(self, *, for_write: bool = False) -> Any:
        return self.fetch(self.request.user, pk_of(self.kwargs[self.lookup_field]), for_write=for_write)

    def valid_input(self, serializer_class: type[serializers.Serializer], **kwargs: Any) -> dict[str, Any]:  # type: ignore[type-arg]
        """The request's body as an input serializer reads it (`partial`, for a PATCH, and its own arguments in
        kwargs); a 400 with the field errors if it is wrong."""
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context(), **kwargs)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def valid_input_under(
        self,
        field: str,
        authorise: Callable[[int], T],
        serializer_class: type[serializers.Serializer],  # type: ignore[type-arg]
        **kwargs: Any,
    ) -> tuple[T, dict[str, Any]]:
        """A create's body and the row it is made under (named by the body's `field`, an id), authorised by
        `authorise` (the permission module's fetch: 404 outside scope, 403 if not allowed) before the rest
        of the body is checked, so that a caller learns nothing of a row they may not see from a 400."""
        pk = body_pk(self.request, field)
        parent = authorise(pk) if pk is not None else None
        values = self.valid_input(serializer_class, **kwargs)
        if parent is None:  # an id body_pk does not read but the serializer takes (beyond the ids' range)
            parent = authorise(values[field])
        return parent, values

    def reread(self, row: Model) -> Any:
        """The row again through the scoped queryset, with its annotations and prefetches (one query)."""
        return self.get_queryset().get(pk=row.pk)

    def finalize_response(self, request: Request, response: Response, *args: Any, **kwargs: Any) -> Response:
        # Answers depend on who asks: never kept by a shared cache, nor given to someone else.
        response = super().finalize_response(request, response, *args, **kwargs)
        patch_cache_control(response, private=True)
        patch_vary_headers(response, ("Authorization", "Cookie"))
        return response

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        row = self.get_object()
        response = Response(self.get_serializer(row).data)
        version = getattr(row, "version", None)
        return with_etag(response, version) if isinstance(version, int) else response
