"""The one error hierarchy of Tandem.

Handlers and services raise these; a single exception handler renders them in the
OpenAI error format (or Azure's on Azure routes). Third-party errors are translated
at the boundary where they occur, by type, never by message text.
"""

from __future__ import annotations

from typing import Any


class TandemError(Exception):
    """Base class: an error with an HTTP status and an OpenAI-style type/code/param."""

    status_code: int = 500
    error_type: str = "server_error"
    code: str | None = None
    azure_code: str = "InternalServerError"

    def __init__(
        self,
        message: str,
        *,
        param: str | None = None,
        code: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.param = param
        self._explicit_code = code is not None
        if code is not None:
            self.code = code
        self.headers: dict[str, str] = headers or {}

    def openai_body(self) -> dict[str, Any]:
        """The body OpenAI's API returns for this error."""
        return {
            "error": {
                "message": self.message,
                "type": self.error_type,
                "param": self.param,
                "code": self.code,
            }
        }

    def azure_body(self) -> dict[str, Any]:
        """The body Azure OpenAI returns for this error."""
        return {
            "error": {
                "code": self.code if self._explicit_code else self.azure_code,
                "message": self.message,
                "param": self.param,
                "type": self.error_type,
                "status": self.status_code,
            }
        }


class InvalidRequestError(TandemError):
    """The request is malformed or names an unsupported parameter (400)."""

    status_code = 400
    error_type = "invalid_request_error"
    azure_code = "BadRequest"


class UnsupportedParameterError(InvalidRequestError):
    """A parameter the deployment's backend cannot honour (400, names the param)."""

    code = "unsupported_parameter"


class ContextLengthError(InvalidRequestError):
    """Prompt plus requested tokens exceed the model's context window (400)."""

    code = "context_length_exceeded"


class AuthenticationError(TandemError):
    """Missing or invalid credentials (401)."""

    status_code = 401
    error_type = "invalid_request_error"
    code = "invalid_api_key"
    azure_code = "401"


class PermissionDeniedError(TandemError):
    """Valid credentials without the right to do this (403)."""

    status_code = 403
    error_type = "invalid_request_error"
    code = "permission_denied"
    azure_code = "PermissionDenied"


class NotFoundError(TandemError):
    """A resource that does not exist (404)."""

    status_code = 404
    error_type = "invalid_request_error"
    code = "not_found"
    azure_code = "NotFound"


class DeploymentNotFoundError(NotFoundError):
    """The named deployment (model) does not exist (404)."""

    code = "model_not_found"
    azure_code = "DeploymentNotFound"


class ConflictError(TandemError):
    """The resource already exists (409)."""

    status_code = 409
    error_type = "invalid_request_error"
    code = "conflict"
    azure_code = "Conflict"


class PayloadTooLargeError(TandemError):
    """The request body exceeds the configured limit (413)."""

    status_code = 413
    error_type = "invalid_request_error"
    code = "request_too_large"
    azure_code = "RequestEntityTooLarge"


class UnsupportedMediaTypeError(TandemError):
    """A body in a format the route does not take, such as text/plain on a JSON route (415)."""

    status_code = 415
    error_type = "invalid_request_error"
    code = "unsupported_media_type"
    azure_code = "UnsupportedMediaType"


class RateLimitError(TandemError):
    """Too many requests or tokens (429, with retry-after)."""

    status_code = 429
    error_type = "rate_limit_error"
    code = "rate_limit_exceeded"
    azure_code = "429"


class OverloadedError(TandemError):
    """The deployment's queue is full (503, with retry-after)."""

    status_code = 503
    error_type = "server_error"
    code = "overloaded"
    azure_code = "ServiceUnavailable"


class NotReadyError(OverloadedError):
    """The deployment's model is still loading (503)."""

    code = "model_loading"


class UpstreamError(TandemError):
    """An upstream backend failed after retries and fallbacks (502)."""

    status_code = 502
    error_type = "server_error"
    code = "upstream_error"
    azure_code = "BadGateway"

    def __init__(
        self,
        message: str,
        *,
        upstream_status: int | None = None,
        retry_after: float | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(message, **kwargs)
        self.upstream_status = upstream_status
        self.retry_after = retry_after

    @property
    def retryable(self) -> bool:
        """429, 5xx and transport failures are worth another try."""
        return (
            self.upstream_status is None
            or self.upstream_status == 429
            or (self.upstream_status >= 500)
        )


class UpstreamClientError(TandemError):
    """The upstream rejected the request itself (4xx other than 429): passed on as is."""

    error_type = "invalid_request_error"
    azure_code = "BadRequest"

    def __init__(self, message: str, *, status_code: int, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.status_code = status_code


class UpstreamTimeoutError(UpstreamError):
    """The upstream did not answer in time (504)."""

    status_code = 504
    code = "timeout"
    azure_code = "Timeout"
