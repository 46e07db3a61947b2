"""A simulated crowd that answers through the worker pages' HTTP endpoints: for the demo,
load tests (``manage.py simulate_crowd --url``) and end-to-end tests."""
