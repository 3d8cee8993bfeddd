/* Response bytes for the plain-request lane, byte for byte what server/response.py's
 * serialize() builds: the status line, `date`, the handler's validated header block, the
 * `x-request-id` echo (dispatch._decorate), then `content-length` (not for 1xx/204/304),
 * `connection: close` when the connection ends, and the body (not for HEAD). */
#include <Python.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "lane.h"

int buffer_reserve(Buffer *buffer, size_t more)
{
    if (buffer->len + more <= buffer->cap)
        return 0;
    size_t cap = buffer->cap ? buffer->cap : 4096;
    while (cap < buffer->len + more)
        cap *= 2;
    char *data = PyMem_Realloc(buffer->data, cap);
    if (data == NULL)
        return -1;
    buffer->data = data;
    buffer->cap = cap;
    return 0;
}

int buffer_append(Buffer *buffer, const char *data, size_t size)
{
    if (buffer_reserve(buffer, size) < 0)
        return -1;
    memcpy(buffer->data + buffer->len, data, size);
    buffer->len += size;
    return 0;
}

/* Drop the first `size` bytes (moved down: buffers hold a few requests, not megabytes). */
void buffer_consume(Buffer *buffer, size_t size)
{
    if (size >= buffer->len) {
        buffer->len = 0;
        return;
    }
    memmove(buffer->data, buffer->data + size, buffer->len - size);
    buffer->len -= size;
}

void buffer_free(Buffer *buffer)
{
    PyMem_Free(buffer->data);
    *buffer = (Buffer){NULL, 0, 0};
}

/* "date: <IMF-fixdate>\r\n", formatted once per second, locale-independent. */
static const char *date_line(size_t *len)
{
    static char line[64];
    static size_t line_len;
    static time_t second = -1;
    static const char days[7][4] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char months[12][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    time_t now = time(NULL);
    if (now != second) {
        struct tm t;
        gmtime_r(&now, &t);
        line_len = (size_t)snprintf(line, sizeof line, "date: %s, %02d %s %d %02d:%02d:%02d GMT\r\n",
                                    days[t.tm_wday], t.tm_mday, months[t.tm_mon], t.tm_year + 1900,
                                    t.tm_hour, t.tm_min, t.tm_sec);
        second = now;
    }
    *len = line_len;
    return line;
}

/* `value` in decimal (what "%zu" writes, without snprintf's format parsing per response);
 * the caller reserved the room. */
static void append_decimal(Buffer *out, size_t value)
{
    char digits[24];
    size_t at = sizeof digits;
    do {
        digits[--at] = (char)('0' + value % 10);
        value /= 10;
    } while (value > 0);
    buffer_append(out, digits + at, sizeof digits - at);
}

int append_response(Buffer *out, const char *status_line, size_t status_len, int status, const char *block,
                    size_t block_len, const Span *request_id, const char *body, size_t body_len, int keep_alive,
                    int head_request)
{
    size_t date_len;
    const char *date = date_line(&date_len);
    int bodiless = status < 200 || status == 204 || status == 304;
    size_t id_len = request_id && request_id->len ? request_id->len + 16 : 0;
    if (buffer_reserve(out, status_len + date_len + block_len + id_len + 64 + body_len) < 0)
        return -1;
    buffer_append(out, status_line, status_len);
    buffer_append(out, date, date_len);
    buffer_append(out, block, block_len);
    if (id_len) {
        buffer_append(out, "x-request-id: ", 14);
        buffer_append(out, request_id->at, request_id->len);
        buffer_append(out, "\r\n", 2);
    }
    if (bodiless) {
        if (keep_alive)
            return buffer_append(out, "\r\n", 2);
        return buffer_append(out, "connection: close\r\n\r\n", 21);
    }
    buffer_append(out, "content-length: ", 16);
    append_decimal(out, body_len);
    buffer_append(out, "\r\n", 2);
    if (!keep_alive)
        buffer_append(out, "connection: close\r\n", 19);
    buffer_append(out, "\r\n", 2);
    if (!head_request)
        buffer_append(out, body, body_len);
    return 0;
}
