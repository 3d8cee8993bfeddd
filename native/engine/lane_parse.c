/* One request off the front of a buffer, and whether the lane may answer it (lane.h).
 *
 * llhttp does the parsing, with the default (strict) settings httptools uses, so a request
 * is accepted or refused here exactly as server/protocol.py's reader would see llhttp accept
 * or refuse it. On top, the rules protocol.py adds are checked; a request that breaks one is
 * not refused here but passed to Python (PARSE_PYTHON), whose reader answers it as always:
 * C never writes an error status of its own.
 */
#include <string.h>
#include <strings.h>

#include "lane.h"
#include "llhttp.h"

typedef struct {
    PlainRequest *req;
    int in_value;       /* the last span callback was a header value */
    int python;         /* a rule of protocol.py is not met: Python parses this one */
    int hosts;
    int has_length;
    size_t header_bytes; /* protocol.py's count: name + value + 4 per field */
} ParseState;

static int on_url(llhttp_t *parser, const char *at, size_t length)
{
    ParseState *state = parser->data;
    span_extend(&state->req->url, at, length);
    return 0;
}

static int on_header_field(llhttp_t *parser, const char *at, size_t length)
{
    ParseState *state = parser->data;
    PlainRequest *req = state->req;
    if (!state->python &&
        field_name_piece(req->names, req->values, &req->count, &state->in_value, PLAIN_MAX_HEADERS, at, length) < 0)
        state->python = 1; /* → 431 in Python */
    return 0;
}

static int on_header_value(llhttp_t *parser, const char *at, size_t length)
{
    ParseState *state = parser->data;
    if (!state->python)
        field_value_piece(state->req->values, state->req->count, &state->in_value, at, length);
    return 0;
}

static int is_named(Span name, const char *lower)
{
    return name.len == strlen(lower) && strncasecmp(name.at, lower, name.len) == 0;
}

static int has_high_byte(Span span)
{
    for (size_t i = 0; i < span.len; i++)
        if ((unsigned char)span.at[i] >= 0x80)
            return 1;
    return 0;
}

static int all_digits(Span span)
{
    if (span.len == 0)
        return 0;
    for (size_t i = 0; i < span.len; i++)
        if (span.at[i] < '0' || span.at[i] > '9')
            return 0;
    return 1;
}

/* protocol.py's checks on the fields of a complete head (on_headers_complete, _header_dict):
 * 1 when the request stays plain. */
static int plain_fields(ParseState *state)
{
    PlainRequest *req = state->req;
    for (int i = 0; i < req->count; i++) {
        Span name = req->names[i], value = req->values[i];
        if (name.at == NULL || has_high_byte(name) || has_high_byte(value))
            return 0; /* latin-1 text: Python decodes it */
        state->header_bytes += name.len + value.len + 4;
        for (int j = 0; j < i; j++)
            if (name.len == req->names[j].len && strncasecmp(name.at, req->names[j].at, name.len) == 0)
                return 0; /* repeated fields are joined by Python */
        if (is_named(name, "host"))
            state->hosts++;
        else if (is_named(name, "transfer-encoding") || is_named(name, "expect"))
            return 0;
        else if (is_named(name, "content-length")) {
            if (!all_digits(value))
                return 0;
            state->has_length = 1;
        } else if (is_named(name, "x-request-id"))
            req->request_id = value;
    }
    return 1;
}

static int allowed_method(int method)
{
    switch (method) { /* protocol.ALLOWED_METHODS */
    case HTTP_GET: case HTTP_HEAD: case HTTP_POST: case HTTP_PUT: case HTTP_DELETE:
    case HTTP_PATCH: case HTTP_OPTIONS: case HTTP_TRACE:
        return 1;
    default:
        return 0;
    }
}

static int on_headers_complete(llhttp_t *parser)
{
    ParseState *state = parser->data;
    PlainRequest *req = state->req;
    req->method = llhttp_get_method(parser);
    req->http_minor = llhttp_get_http_minor(parser);
    req->head_request = req->method == HTTP_HEAD;
    if (state->python || parser->upgrade || !allowed_method(req->method) || llhttp_get_http_major(parser) != 1 ||
        req->http_minor > 1 || req->url.len > PLAIN_MAX_URL || req->url.len == 0 || req->url.at[0] != '/' ||
        has_high_byte(req->url) || !plain_fields(state))
        state->python = 1;
    else if (state->hosts > 1 || (state->hosts == 0 && req->http_minor == 1))
        state->python = 1; /* → 400 in Python */
    return HPE_PAUSED; /* so the head's end is known (llhttp_get_error_pos); (an Upgrade is
                        * answered by Python: it ignores the upgrade, answers, then closes) */
}

static int on_body(llhttp_t *parser, const char *at, size_t length)
{
    ParseState *state = parser->data;
    span_extend(&state->req->body, at, length);
    return 0;
}

static int on_message_complete(llhttp_t *parser)
{
    ParseState *state = parser->data;
    state->req->keep_alive = llhttp_should_keep_alive(parser);
    return HPE_PAUSED; /* one message at a time: the next may not be plain */
}

static llhttp_settings_t settings;
static int settings_ready;

int parse_plain(const char *data, size_t size, size_t max_body, size_t max_head, PlainRequest *req,
                size_t *consumed)
{
    if (size == 0 || data[0] == '\r' || data[0] == '\n')
        return PARSE_HANDOVER; /* empty lines before a request line: Python counts them */
    if (!settings_ready) {
        llhttp_settings_init(&settings);
        settings.on_url = on_url;
        settings.on_header_field = on_header_field;
        settings.on_header_value = on_header_value;
        settings.on_headers_complete = on_headers_complete;
        settings.on_body = on_body;
        settings.on_message_complete = on_message_complete;
        settings_ready = 1;
    }
    memset(req, 0, offsetof(PlainRequest, names));
    ParseState state = {.req = req};
    llhttp_t parser;
    llhttp_init(&parser, HTTP_REQUEST, &settings);
    parser.data = &state;
    if (llhttp_execute(&parser, data, size) != HPE_PAUSED)
        return PARSE_HANDOVER; /* incomplete head, or an error Python will answer */
    size_t head = (size_t)(llhttp_get_error_pos(&parser) - data);
    if (head > max_head || state.header_bytes > max_head)
        state.python = 1; /* → 431 in Python */
    if (state.has_length && parser.content_length > max_body)
        return PARSE_HANDOVER; /* → 413 in Python, as soon as it has the head */
    llhttp_resume(&parser);
    llhttp_errno_t done = llhttp_execute(&parser, data + head, size - head);
    if (done != HPE_PAUSED)
        return PARSE_HANDOVER; /* the body is still arriving (or an upgrade, or an error) */
    *consumed = (size_t)(llhttp_get_error_pos(&parser) - data);
    return state.python ? PARSE_PYTHON : PARSE_PLAIN;
}
