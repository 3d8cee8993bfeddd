// A small JSON API routed with zigttp:router: params, JSON echo, 400 on a bad body, 404s.
import { routerMatch } from "zigttp:router";

interface Note {
  id: number;
  text: string;
}

type Params = Record<string, string>;
type Route = (request: Request, params: Params) => Response;

const notes: Note[] = [
  { id: 1, text: "buy milk" },
  { id: 2, text: "call Ada" },
];

function json(data: unknown, status = 200): Response {
  return Response.json(data, { status });
}

const routes: Record<string, Route> = {
  "GET /api/health": () => json({ status: "ok" }),
  "GET /api/notes": () => json(notes),
  "GET /api/notes/:id": (_request, params) => {
    const note = notes.find((n) => n.id === Number(params.id));
    return note ? json(note) : json({ error: `note ${params.id} not found` }, 404);
  },
  "POST /api/echo": (request) => {
    const body = request.json();
    if (body === undefined) {
      return json({ error: "body must be valid JSON" }, 400);
    }
    return json({ echo: body });
  },
  "POST /api/notes": (request) => {
    const body = request.json() as { text?: unknown } | undefined;
    if (body === undefined || typeof body.text !== "string" || body.text === "") {
      return json({ error: "expected {\"text\": non-empty string}" }, 400);
    }
    return json({ id: notes.length + 1, text: body.text }, 201);
  },
};

export default function handler(request: Request): Response {
  const match = routerMatch(routes, request);
  if (match === undefined) {
    return json({ error: "Not Found", path: request.path }, 404);
  }
  return match.handler(request, match.params);
}
