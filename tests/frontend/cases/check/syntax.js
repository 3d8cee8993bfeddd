function handler(req) {
  return Response.text("x"
}
