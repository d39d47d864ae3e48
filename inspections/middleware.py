"""Answer a friendly 503 (not a 500) when a view finds the database unreachable."""

import logging

from .views.errors import database_unavailable, unavailable

logger = logging.getLogger("inspections.database")


class DatabaseUnavailableMiddleware:
    """Turns OperationalError/InterfaceError raised by a view into the 503 page.

    Nothing is half-saved: writes run in transactions, which the database rolls back when the
    connection drops. Django drops the broken connection at the end of the request and the next
    request reconnects (CONN_HEALTH_CHECKS), so the service recovers by itself. Errors raised
    before the view (e.g. loading the session) reach handler500, which answers the same 503.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if database_unavailable(exception):
            logger.error("Database unavailable during %s %s: %s", request.method, request.path, exception)
            return unavailable(request)
        return None


class UploadSizeLimitMiddleware:
    """Refuse (413) any request whose body is larger than a report upload may be, before Django
    reads it: an oversized upload never reaches the disk. Forms still check each file's own size."""

    # Room for the form's other fields and the multipart boundaries around the file.
    OVERHEAD_BYTES = 64 * 1024

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings

        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.REPORT_UPLOAD_MAX_BYTES + self.OVERHEAD_BYTES:
            from .views.errors import too_large

            return too_large(request)
        return self.get_response(request)
