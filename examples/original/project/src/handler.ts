// An upstream-layout project: zttp.json names the entry, fixtures live in tests/.
// validateJson has no io row in the fixture: it is pure, so `zigttp test` runs it for real.

import { schemaCompile, validateJson } from "zttp:validate";

schemaCompile("todo", JSON.stringify({
    type: "object",
    required: ["title"],
    properties: { title: { type: "string", minLength: 1 } },
}));

function handler(req: Request): Response {
    const checked = validateJson("todo", req.body ?? "");
    assert checked.ok, Response.json({ error: "invalid body" }, { status: 400 });
    return Response.json({ created: checked.value.title }, { status: 201 });
}
