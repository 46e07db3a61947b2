"""The answer benchmark's server: its baselines exist only in its own URLconf, and it runs
gunicorn with the web service's command from docker-compose.yml."""

from __future__ import annotations

import json

import pytest
import yaml
from django.urls import Resolver404, resolve

from benchmarks.answers import ROOT, compose_web_command


@pytest.mark.parametrize("path", ["/bench/trivial", "/bench/insert"])
def test_baseline_views_are_not_in_the_product(path):
    with pytest.raises(Resolver404):
        resolve(path)


def test_the_benchmark_site_serves_the_product_and_the_baselines(client, settings):
    settings.ROOT_URLCONF = "benchmarks.answers_site.urls"
    assert resolve("/w/join/").url_name == "join"
    response = client.post("/bench/trivial", json.dumps({"a": 1}), content_type="application/json")
    assert response.json() == {"ok": True, "echo": 1}


def test_gunicorn_runs_as_compose_configures_it_but_on_loopback():
    web = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]["web"]["command"]
    command = compose_web_command(8123)
    assert (
        command[1:]
        == [
            "127.0.0.1:8123" if previous == "--bind" else value
            for previous, value in zip(["", *web], web, strict=False)
        ][1:]
    )
