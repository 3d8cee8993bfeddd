export default {
  fetch(request: Request): Response {
    return Response.text("ok");
  },
};
