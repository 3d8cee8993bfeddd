// TypeScript features, stripped by the front end at load time (no build step):
// interfaces, type aliases, generics, enums, `as`, optional properties and chaining.
interface User {
  id: number;
  name: string;
  role: Role;
  email?: string;
}

enum Role {
  Admin = "admin",
  Member = "member",
}

type ApiResult<T> = { ok: true; value: T } | { ok: false; error: string };

const users: User[] = [
  { id: 1, name: "Ada", role: Role.Admin, email: "ada@example.com" },
  { id: 2, name: "Linus", role: Role.Member },
];

function findUser(id: number): ApiResult<User> {
  const user = users.find((u: User): boolean => u.id === id);
  return user ? { ok: true, value: user } : { ok: false, error: `no user ${id}` };
}

function first<T>(items: readonly T[]): T | undefined {
  return items[0];
}

export function handler(request: Request): Response {
  const path = request.path as string;
  if (path === "/") {
    return Response.json({ message: "Hello from TypeScript", first: first(users)?.name });
  }
  if (path.startsWith("/api/users/")) {
    const id = Number(path.slice("/api/users/".length));
    const result = findUser(id);
    if (!result.ok) {
      return Response.json({ error: result.error }, { status: 404 });
    }
    const user = result.value;
    return Response.json({ id: user.id, name: user.name, role: user.role, email: user.email ?? null });
  }
  return Response.json({ error: "Not Found" }, { status: 404 });
}
