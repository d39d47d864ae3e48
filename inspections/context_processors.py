"""Template context every page needs: the service name and what the signed-in user may do."""

from django.conf import settings

from .roles import capabilities, role_of


def service(request):
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    return {
        "service_name": settings.SERVICE_NAME,
        "can": capabilities(user),
        "user_role": role_of(user) if signed_in else None,
    }
