"""AWS Lambda hosting: the Runtime API loop (`zigttp lambda`) and API Gateway/Function URL events.

`events` translates proxy events to requests and Responses to proxy results (pure functions);
`runtime_api` is the HTTP client of the Lambda Runtime API; `runtime_loop` ties them to one
warm `zigttp.Runtime` reused across invocations; `python_handler` serves the same events from
AWS's managed Python runtime instead of a custom runtime.
"""
