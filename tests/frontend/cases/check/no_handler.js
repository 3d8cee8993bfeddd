function notTheHandler(req) {
  return Response.text("x");
}
export const x = notTheHandler;
