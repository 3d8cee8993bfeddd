interface User {
  id: number;
  name?: string;
}
type Handler = (req: Request) => Response;
let count: number = 0;
const users: Array<User> = [];
function greet(user: User, greeting: string = "hi"): string {
  return `${greeting} ${user.name ?? "anon"}`;
}
const id = (x: number): number => x;
const maybe = users[0]?.name!.length;
type Deep = { a?: { b?: string } }["a"];
const picked: Deep | undefined = undefined;
export interface Exported { x: number }
export type Alias = string;
export function handler(req: Request): Response {
  count += id(users.length);
  return Response.text(greet({ id: 1 }) + maybe + picked);
}
