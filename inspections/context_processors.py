"""Template context every page needs: the service name and what the signed-in user may do."""

from django.conf import settings

from .roles import capabilities


def service(request):
    user = getattr(request, "user", None)
    return {"service_name": settings.SERVICE_NAME, "can": capabilities(user)}
