"""`zigttp lambda` end to end against the Runtime API test double, with AWS's documented events."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from tests.aws.conftest import HANDLER, LambdaProcess, event


def body_of(outcome) -> dict:  # type: ignore[no-untyped-def]
    assert outcome.kind == "response", outcome
    return json.loads(outcome.payload["body"])


def test_http_api_v2_event_round_trip(warm_lambda: LambdaProcess) -> None:
    outcome = warm_lambda.api.invoke(event("apigw-http-v2"))
    result = outcome.payload
    assert result["statusCode"] == 201 and result["isBase64Encoded"] is False
    assert result["headers"] == {"content-type": "application/json"}
    seen = json.loads(result["body"])
    assert seen["method"] == "POST"
    assert seen["url"] == "/my/path?parameter1=value1&parameter1=value2&parameter2=value"
    assert (seen["header1"], seen["header2"]) == ("value1", "value1,value2")
    assert seen["cookie"] == "cookie1; cookie2"
    assert seen["body"] == "Hello from Lambda"


def test_function_url_event_round_trip(warm_lambda: LambdaProcess) -> None:
    seen = body_of(warm_lambda.api.invoke(event("function-url")))
    assert (seen["method"], seen["body"]) == ("POST", "Hello from client!")
    assert seen["url"] == "/my/path?parameter1=value1&parameter1=value2&parameter2=value"


def test_rest_api_v1_event_round_trip(warm_lambda: LambdaProcess) -> None:
    outcome = warm_lambda.api.invoke(event("apigw-rest-v1"))
    result = outcome.payload
    assert result["statusCode"] == 200
    assert result["multiValueHeaders"] == {"content-type": ["application/json"]}
    seen = json.loads(result["body"])
    assert seen["method"] == "GET"
    assert seen["url"] == "/my/path?parameter1=value1&parameter1=value2&parameter2=value"
    assert seen["header2"] == "value1, value2"  # multiValueHeaders joined as the HTTP server joins repeats


def test_v1_multi_value_response_headers(warm_lambda: LambdaProcess) -> None:
    result = warm_lambda.api.invoke(event("apigw-rest-v1", path="/cookies")).payload
    assert result["multiValueHeaders"]["set-cookie"] == ["a=1; Path=/", "b=2; Path=/"]
    assert result["headers"]["x-multi"] == "a" and "set-cookie" not in result["headers"]


def test_v2_set_cookie_headers_become_cookies(warm_lambda: LambdaProcess) -> None:
    result = warm_lambda.api.invoke(event("apigw-http-v2", rawPath="/cookies")).payload
    assert result["cookies"] == ["a=1; Path=/", "b=2; Path=/"]
    assert "set-cookie" not in result["headers"]


def test_binary_response_is_base64(warm_lambda: LambdaProcess) -> None:
    result = warm_lambda.api.invoke(event("apigw-http-v2", rawPath="/binary")).payload
    assert result["isBase64Encoded"] is True
    assert base64.b64decode(result["body"]) == bytes([137, 80, 78, 71, 0, 255])


def test_base64_request_body_is_decoded(warm_lambda: LambdaProcess) -> None:
    encoded = base64.b64encode("héllo".encode()).decode()
    seen = body_of(warm_lambda.api.invoke(event("apigw-http-v2", body=encoded, isBase64Encoded=True)))
    assert seen["body"] == "héllo"


def test_handler_error_is_an_invocation_error_with_the_message(warm_lambda: LambdaProcess) -> None:
    outcome = warm_lambda.api.invoke(event("apigw-http-v2", rawPath="/throw"))
    assert outcome.kind == "error"
    assert outcome.payload == {
        "errorMessage": "lambda boom",
        "errorType": "HandlerException",
        "stackTrace": [],
    }
    assert outcome.error_type_header == "HandlerException"
    assert warm_lambda.api.invoke(event("apigw-http-v2")).kind == "response"  # the runtime recovered


def test_oversized_request_body_is_413(warm_lambda: LambdaProcess) -> None:
    result = warm_lambda.api.invoke(event("apigw-http-v2", body="x" * (1_048_576 + 1))).payload
    assert (result["statusCode"], result["body"]) == (413, "Payload Too Large")


def test_response_over_lambdas_6mb_limit_is_an_error(warm_lambda: LambdaProcess) -> None:
    outcome = warm_lambda.api.invoke(event("apigw-http-v2", rawPath="/big"))
    assert (outcome.kind, outcome.payload["errorType"]) == ("error", "Runtime.ResponseTooLarge")


def test_unknown_event_shape_is_an_invalid_event_error(warm_lambda: LambdaProcess) -> None:
    outcome = warm_lambda.api.invoke({"Records": [{"eventSource": "aws:sqs"}]})
    assert (outcome.kind, outcome.payload["errorType"]) == ("error", "Runtime.InvalidEvent")


def test_cold_then_warm_invocations_reuse_the_runtime(start_lambda: Callable[..., LambdaProcess]) -> None:
    process = start_lambda()
    counts = [body_of(process.api.invoke(event("apigw-http-v2")))["invocations"] for _ in range(4)]
    assert counts == [1, 2, 3, 4]  # one warm runtime: module state survives across invocations


def test_handler_that_cannot_load_posts_init_error(
    start_lambda: Callable[..., LambdaProcess], tmp_path: Path
) -> None:
    broken = tmp_path / "broken.js"
    broken.write_text("function handler( {")
    process = start_lambda(str(broken))
    outcome = process.api.init_errors.get(timeout=20)
    assert outcome.payload["errorType"] == "Runtime.InitError"
    assert "broken.js:1" in outcome.payload["errorMessage"]
    assert process.process.wait(10) == 1


def test_serve_switches_to_lambda_when_the_runtime_api_is_set(
    start_lambda: Callable[..., LambdaProcess],
) -> None:
    process = start_lambda(str(HANDLER), command="serve")
    assert body_of(process.api.invoke(event("function-url")))["method"] == "POST"


def test_handler_name_from_lambda_environment(start_lambda: Callable[..., LambdaProcess]) -> None:
    process = start_lambda("-q", env={"LAMBDA_TASK_ROOT": str(HANDLER.parent), "_HANDLER": "handler.js"})
    assert body_of(process.api.invoke(event("apigw-http-v2")))["method"] == "POST"


def test_crashed_servers_state_is_swept_after_the_first_invocation(
    start_lambda: Callable[..., LambdaProcess], tmp_path: Path
) -> None:
    """The sweep reads the whole temporary directory, so it waits for the first answer."""
    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    leftover = tmp_path / f"zigttp-state-{int(gone.stdout)}-0123456789abcdef"  # (its pid has exited)
    leftover.mkdir()
    process = start_lambda(env={"TMPDIR": str(tmp_path)})
    assert process.api.polling.wait(30)  # initialised: it asks for its first event
    assert leftover.exists()
    assert process.api.invoke(event("apigw-http-v2")).kind == "response"
    deadline = time.monotonic() + 10
    while leftover.exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not leftover.exists()
    own = [p.name for p in tmp_path.iterdir()]
    assert len(own) == 1 and own[0].startswith(f"zigttp-state-{process.process.pid}-")


def test_replies_that_are_not_content_length_framed_are_read_too(tmp_path: Path) -> None:
    """A chunked reply, then a Content-Length one, each in many reads, on one kept-alive
    connection: the client's two paths (`parse_response_head` and its httptools fallback,
    which used to close the connection after every reply), against a raw socket."""
    import socket
    import threading

    from zigttp.aws.runtime_api import RuntimeApi

    replies = [
        b"HTTP/1.1 200 OK\r\nLambda-Runtime-Aws-Request-Id: r1\r\nTransfer-Encoding: chunked\r\n\r\n"
        b'5\r\n{"a":\r\n2\r\n1}\r\n0\r\n\r\n',
        b'HTTP/1.1 200 OK\r\nLambda-Runtime-Aws-Request-Id: r2\r\nContent-Length: 7\r\n\r\n{"b":2}',
    ]
    listener = socket.create_server(("127.0.0.1", 0))

    def answer() -> None:
        conn, _ = listener.accept()
        with conn:
            for reply in replies:
                conn.recv(65536)
                for at in range(0, len(reply), 9):  # in pieces: the head spans reads
                    conn.sendall(reply[at : at + 9])
                    time.sleep(0.001)

    threading.Thread(target=answer, daemon=True).start()
    api = RuntimeApi(f"127.0.0.1:{listener.getsockname()[1]}")
    first, second = api.next_invocation(), api.next_invocation()  # (one connection: kept alive)
    listener.close()
    assert api._connection is not None
    api._connection.close()
    assert (first.request_id, first.payload) == ("r1", b'{"a":1}')
    assert (second.request_id, second.payload) == ("r2", b'{"b":2}')
