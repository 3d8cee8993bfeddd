// JWT authentication with zigttp:auth: POST /login issues an HS256 token, GET /me checks it.
import { env } from "zigttp:env";
import { jwtSign, jwtVerify, parseBearer } from "zigttp:auth";

const SECRET: string = env("JWT_SECRET") ?? "dev-secret-change-me";
const USERS: Record<string, string> = { ada: "lovelace", linus: "torvalds" };

function unauthorized(error: string): Response {
  return Response.json({ error }, { status: 401, headers: { "www-authenticate": "Bearer" } });
}

function login(request: Request): Response {
  const body = request.json() as { user?: string; password?: string } | undefined;
  if (body === undefined || typeof body.user !== "string" || typeof body.password !== "string" ||
      !Object.hasOwn(USERS, body.user) || USERS[body.user] !== body.password) {
    return unauthorized("invalid credentials");
  }
  const token = jwtSign({ sub: body.user, exp: Math.floor(Date.now() / 1000) + 3600 }, SECRET);
  return Response.json({ token });
}

function me(request: Request): Response {
  const token = parseBearer(request.headers.get("authorization"));
  if (token === undefined) {
    return unauthorized("missing bearer token");
  }
  const verified = jwtVerify(token, SECRET);
  if (!verified.ok) {
    return unauthorized(verified.error);
  }
  return Response.json({ user: verified.value.sub });
}

export function handler(request: Request): Response {
  if (request.method === "POST" && request.path === "/login") return login(request);
  if (request.method === "GET" && request.path === "/me") return me(request);
  return Response.json({ error: "Not Found" }, { status: 404 });
}
