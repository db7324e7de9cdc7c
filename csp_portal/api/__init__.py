"""The REST API under /api/v1/: what every app's endpoints share.

Each app keeps its serializers, filters and viewsets in `<app>/api.py`; they read through the app's
permission module (scoped querysets for lists, `get_<thing>_for_user` for one object: 404 outside scope,
403 when visible but not changeable) and write through the app's services, exactly as the pages do.
This package holds the parts they share: authentication by token (knox) or session, the rate limits,
pagination, the bounded JSON parser, optimistic concurrency (ETag and If-Match), the mapping of service
errors to responses, the OpenAPI description (drf-spectacular), the docs page and the URL router.
"""
