// Server-Sent Events: a Response whose body is a ReadableStream is sent chunked, each event
// as soon as it is enqueued (zigttp serve examples/sse.js, then curl -N localhost:3000/events).
// Each chunk must come within --timeout (the stream's idle limit); a client that disconnects
// cancels the stream, so cancel() runs and no more timers fire.
const encoder = new TextEncoder();

function events(count, everyMs) {
  let sent = 0;
  let timer;
  return new ReadableStream({
    pull(controller) {
      return new Promise((resolve) => {
        timer = setTimeout(() => {
          sent += 1;
          controller.enqueue(encoder.encode(`id: ${sent}\ndata: {"tick": ${sent}}\n\n`));
          if (sent === count) controller.close();
          resolve();
        }, sent === 0 ? 0 : everyMs);
      });
    },
    cancel() { clearTimeout(timer); },
  });
}

export default {
  fetch(request) {
    const url = new URL(request.url);
    if (url.pathname !== "/events") return new Response("GET /events for a stream of ticks\n");
    const count = Number(url.searchParams.get("count") ?? 5);
    return new Response(events(count, 200), {
      headers: { "content-type": "text/event-stream", "cache-control": "no-store" },
    });
  },
};
