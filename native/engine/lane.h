/* The plain-request lane: the worker's read -> parse -> call -> write loop in C (issue 16).
 *
 *   lane_parse.c  one request off the front of a buffer, with llhttp (the parser httptools
 *                 wraps, same version, same strict settings), and whether it is "plain"
 *   lane_reply.c  the response bytes: status line, Date, the handler's header block, framing
 *   lane.c        the Lane type: connections, the per-iteration batch, the JS call, and the
 *                 hand-offs to Python (server/lane.py) for everything that is not plain
 *
 * The rule that keeps it equivalent to the Python server: C answers only requests that
 * server/protocol.py would have parsed to the same Request and accepted. Anything else (an
 * llhttp error, a head or body split across reads, chunked framing, Expect, Upgrade, a
 * duplicate or non-ASCII field, limits) goes to Python as the raw bytes of that request, or
 * the whole connection does from that request on: Python's reader then decides, as always.
 */
#ifndef ZIGTTP_LANE_H
#define ZIGTTP_LANE_H

#include <stddef.h>
#include <stdint.h>

#define PLAIN_MAX_HEADERS 100 /* protocol.MAX_HEADER_COUNT */
#define PLAIN_MAX_URL 8192    /* protocol.MAX_URL_BYTES */

typedef struct {
    const char *at;
    size_t len;
} Span;

/* `span` grown to end where this piece of it ends (llhttp hands a field over in pieces). */
static inline void span_extend(Span *span, const char *at, size_t length)
{
    if (span->at == NULL)
        span->at = at;
    span->len = (size_t)(at + length - span->at);
}

/* The header fields of a head as spans of the parsed buffer, from llhttp's on_header_field
 * and on_header_value callbacks (the lane's requests, the Runtime API's response heads). A
 * name piece after a value starts a new field: -1 when `max` fields are there already. */
static inline int field_name_piece(Span *names, Span *values, int *count, int *in_value, int max,
                                   const char *at, size_t length)
{
    if (*in_value || *count == 0) {
        if (*count == max)
            return -1;
        names[*count] = (Span){NULL, 0};
        values[*count] = (Span){NULL, 0};
        (*count)++;
        *in_value = 0;
    }
    span_extend(&names[*count - 1], at, length);
    return 0;
}

static inline void field_value_piece(Span *values, int count, int *in_value, const char *at, size_t length)
{
    *in_value = 1;
    if (count > 0)
        span_extend(&values[count - 1], at, length); /* (an empty value: a zero-length span) */
}

typedef struct {
    Span url, body, request_id;
    int count;        /* header fields */
    int method;       /* llhttp_method_t */
    int head_request; /* HEAD: no body in the answer */
    int keep_alive;
    int http_minor;   /* 0 or 1 */
    Span names[PLAIN_MAX_HEADERS], values[PLAIN_MAX_HEADERS]; /* last: not cleared per parse */
} PlainRequest;

enum {
    PARSE_PLAIN,      /* a complete request the lane may answer itself */
    PARSE_PYTHON,     /* a complete message Python's reader must parse and judge */
    PARSE_HANDOVER,   /* incomplete, an llhttp error, an upgrade: the connection goes to Python */
};

/* Parse the request at the front of data[0..size). On PLAIN and PYTHON *consumed is the
 * message's length; `req` spans point into `data`. */
int parse_plain(const char *data, size_t size, size_t max_body, size_t max_head, PlainRequest *req,
                size_t *consumed);

/* lane_reply.c: append one response to `out` (grown with PyMem_Realloc); -1 on no memory. */
typedef struct {
    char *data;
    size_t len, cap;
} Buffer;

int buffer_reserve(Buffer *buffer, size_t more);
int buffer_append(Buffer *buffer, const char *data, size_t size);
void buffer_consume(Buffer *buffer, size_t size);
void buffer_free(Buffer *buffer);
int append_response(Buffer *out, const char *status_line, size_t status_len, int status, const char *block,
                    size_t block_len, const Span *request_id, const char *body, size_t body_len, int keep_alive,
                    int head_request);

#endif
