from evalplatform.demo.orchestration import DemoState, summary


def test_the_summary_asks_for_ctrl_c_only_while_the_demo_serves():
    state = DemoState(base_url="http://127.0.0.1:8000", password="pw", invites={"ab": "/w/i/x/"})
    serving = summary(state, {"ab": "/report/"})
    stopped = summary(state, {"ab": "/report/"}, serving=False)
    assert "Press Ctrl-C to stop." in serving
    assert "Ctrl-C" not in stopped and "stopped with the command" in stopped
    assert "/w/i/x/" in stopped and "/report/" in stopped
