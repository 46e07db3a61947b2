"""Settings of the answer benchmark's server: the product's settings, with the benchmark's
URLconf (the product's URLs plus two baselines) and a middleware that echoes the load
generator's request id so that each acknowledgment can be matched to its request."""

from evalplatform.settings import *  # noqa: F403
from evalplatform.settings import MIDDLEWARE

ROOT_URLCONF = "benchmarks.answers_site.urls"
MIDDLEWARE = ["benchmarks.answers_site.views.echo_request_id", *MIDDLEWARE]
