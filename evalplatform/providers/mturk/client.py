"""The MTurk gateway: the only module that imports boto3.

It builds the client (region us-east-1 plus an explicit endpoint, explicit retry mode),
checks every request against botocore's service model before sending it (patterns, enums
and maxima that botocore skips), maps errors to ours, and retries a ServiceFault a bounded
number of times where repeating the call is safe.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectionClosedError,
    EndpointConnectionError,
    NoCredentialsError,
    ParamValidationError,
    ReadTimeoutError,
)
from django.conf import settings

from evalplatform.providers.errors import (
    InvalidProviderRequest,
    ProviderConfigurationError,
    ProviderError,
    TransientProviderError,
)
from evalplatform.providers.mturk.validation import business_problems, strict_problems

logger = logging.getLogger(__name__)

ENDPOINTS = {
    "sandbox": "https://mturk-requester-sandbox.us-east-1.amazonaws.com",
    "production": "https://mturk-requester.us-east-1.amazonaws.com",
}
THROTTLING_CODES = {"ThrottlingException", "Throttling", "RequestLimitExceeded", "TooManyRequests"}
# Repeating these after a lost answer could create a second object; everything else we call
# is a read, carries a UniqueRequestToken, or is idempotent (approve/reject answer "status
# must be Submitted" the second time, which the review code checks with get_assignment).
NOT_REPEATABLE = {"create_qualification_type"}


class MTurkRequestError(ProviderError):
    """MTurk's RequestError: our request or the object's state is wrong (not retried)."""

    @property
    def turk_error_code(self) -> str:
        return self.code


class MTurkGateway:
    """A boto3 MTurk client with strict validation, error mapping and retry accounting."""

    def __init__(self, client: Any, *, environment: str) -> None:
        self.client = client
        self.environment = environment
        self.retry_attempts = 0  # botocore retries seen in responses (throttling, 5xx)
        self._lock = threading.Lock()

    def call(self, method: str, **params: Any) -> dict[str, Any]:
        operation = self.client.meta.method_to_api_mapping[method]
        problems = strict_problems(self.client.meta.service_model, operation, params)
        problems += business_problems(operation, params)
        if problems:
            raise InvalidProviderRequest("; ".join(problems), code="StrictValidation")
        faults_left = 0 if method in NOT_REPEATABLE else int(settings.MTURK_SERVICE_FAULT_RETRIES)
        while True:
            try:
                response: dict[str, Any] = getattr(self.client, method)(**params)
            except ClientError as error:
                mapped = self._map_client_error(error)
                if isinstance(mapped, TransientProviderError) and faults_left > 0:
                    faults_left -= 1
                    time.sleep(float(settings.MTURK_SERVICE_FAULT_SLEEP))
                    continue
                raise mapped from error
            except ParamValidationError as error:
                raise InvalidProviderRequest(str(error), code="ParamValidation") from error
            except NoCredentialsError as error:
                raise ProviderConfigurationError(
                    "No AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.",
                    code="NoCredentials",
                ) from error
            except (EndpointConnectionError, ConnectionClosedError, ReadTimeoutError) as error:
                raise TransientProviderError(
                    f"MTurk unreachable: {error}", code="Network"
                ) from error
            except BotoCoreError as error:
                raise TransientProviderError(
                    f"MTurk call failed: {error}", code="BotoCore"
                ) from error
            self._count(response)
            return response

    def paginate(self, method: str, key: str, **params: Any) -> list[dict[str, Any]]:
        """All items of a paginated list call, page by page through ``call`` (so each page is
        validated and mapped like any other request)."""
        items: list[dict[str, Any]] = []
        token: str | None = None
        while True:
            page = self.call(method, **params, **({"NextToken": token} if token else {}))
            items.extend(page.get(key, []))
            token = page.get("NextToken")
            if not token or not page.get(key):
                return items

    def _count(self, response: dict[str, Any]) -> None:
        retries = int(response.get("ResponseMetadata", {}).get("RetryAttempts", 0) or 0)
        if retries:
            with self._lock:
                self.retry_attempts += retries

    def _map_client_error(self, error: ClientError) -> ProviderError:
        response: dict[str, Any] = dict(error.response)
        code = response.get("Error", {}).get("Code", "")
        message = response.get("Error", {}).get("Message", "") or str(error)
        self._count(response)
        if code == "RequestError":
            return MTurkRequestError(message, code=str(response.get("TurkErrorCode", "")))
        status = int(response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0) or 0)
        if code == "ServiceFault" or code in THROTTLING_CODES or status >= 500:
            return TransientProviderError(f"MTurk {code}: {message}", code=code)
        return ProviderError(f"MTurk {code}: {message}", code=code)


def _cap_backoff(client: Any, max_backoff: float) -> None:
    """Cap botocore's retry backoff (botocore has no public option for it; tests use a small
    cap so that injected throttling does not slow the suite)."""
    emitter = client.meta.events._emitter
    service = client.meta.service_model.service_id.hyphenize()
    for handler in emitter._handlers.prefix_search(f"needs-retry.{service}"):
        policy = getattr(getattr(handler, "__self__", None), "_retry_policy", None)
        backoff = getattr(policy, "_retry_backoff", None)
        if backoff is not None and hasattr(backoff, "_max_backoff"):
            backoff._max_backoff = max_backoff


_clients: dict[tuple[object, ...], Any] = {}
_clients_lock = threading.Lock()


def make_client(environment: str, *, cached: bool = True) -> Any:
    """A boto3 MTurk client for ``environment``; credentials come from the standard AWS
    variables (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, or a profile / role). Clients are
    thread-safe and shared (so is adaptive mode's rate limiter); ``cached=False`` gives a
    fresh one (tests that stub it)."""
    if environment not in ENDPOINTS:
        raise ProviderConfigurationError(f"Unknown MTurk environment {environment!r}.")
    endpoint = settings.MTURK_ENDPOINT_URL or ENDPOINTS[environment]
    mode, attempts = str(settings.MTURK_RETRY_MODE), int(settings.MTURK_MAX_ATTEMPTS)
    backoff = float(settings.MTURK_RETRY_MAX_BACKOFF)
    key = (environment, endpoint, mode, attempts, backoff)
    with _clients_lock:
        if key not in _clients or not cached:
            client = boto3.client(
                "mturk",
                region_name="us-east-1",  # MTurk's only region; the endpoint picks sandbox
                endpoint_url=endpoint,
                config=Config(
                    retries={"mode": mode, "total_max_attempts": attempts},
                    connect_timeout=int(settings.MTURK_CONNECT_TIMEOUT),
                    read_timeout=int(settings.MTURK_READ_TIMEOUT),
                ),
            )
            _cap_backoff(client, backoff)
            if not cached:
                return client
            _clients[key] = client
        return _clients[key]


def make_gateway(environment: str) -> MTurkGateway:
    return MTurkGateway(make_client(environment), environment=environment)
