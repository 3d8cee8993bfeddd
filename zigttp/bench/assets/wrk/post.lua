wrk.method = "POST"
wrk.body = '{"name":"zigttp","items":[1,2,3],"nested":{"ok":true}}'
wrk.headers["Content-Type"] = "application/json"
