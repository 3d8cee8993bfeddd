import { charge, quote } from "zigttp:billing";

interface Order {
  customer: string;
  plan: string;
  seats?: number;
}

export function handler(request: Request): Response {
  if (request.method === "GET" && request.path === "/quote") {
    const plan = String(request.query.plan ?? "basic");
    return Response.json(quote(plan, Number(request.query.seats ?? 1)));
  }
  if (request.method === "POST" && request.path === "/orders") {
    const order = request.json() as Order;
    const priced = quote(order.plan, order.seats ?? 1);
    return Response.json(charge(order.customer, priced.total), { status: 201 });
  }
  return Response.json({ error: "not found" }, { status: 404 });
}
