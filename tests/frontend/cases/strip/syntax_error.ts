export function handler(req: Request) {
  return Response.text("x";
}
