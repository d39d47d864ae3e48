"""Sign-in for scripts on the JSON API: HTTP Basic credentials, and 401 (not a login redirect)."""

import base64
import binascii

from django.contrib.auth import authenticate
from django.http import JsonResponse

API_PREFIX = "/api/"


class ApiAuthenticationMiddleware:
    """On /api/ only: accept `Authorization: Basic …` for one request (no session is created), and
    answer 401 JSON to anyone not signed in. Goes after AuthenticationMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        header = request.headers.get("Authorization", "")
        if header.startswith("Basic ") and not request.user.is_authenticated:
            user = self._basic_user(request, header[6:])
            if user is None:
                return self._unauthorised("The username or password is wrong.")
            request.user = user
            request._cached_user = user
        if not request.user.is_authenticated:
            return self._unauthorised("Sign in first: use HTTP Basic credentials or a signed-in session.")
        return self.get_response(request)

    @staticmethod
    def _basic_user(request, encoded):
        try:
            username, _, password = base64.b64decode(encoded, validate=True).decode("utf-8").partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return None
        return authenticate(request, username=username, password=password)

    @staticmethod
    def _unauthorised(message):
        response = JsonResponse({"error": message}, status=401)
        response["WWW-Authenticate"] = 'Basic realm="Ofsted judgement tracker API", charset="UTF-8"'
        return response
