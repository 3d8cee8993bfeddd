export function handler(req: Request): Response {
  const name = req.query.name ?? "world";
  return Response.text(`Hello ${name}`);
}
