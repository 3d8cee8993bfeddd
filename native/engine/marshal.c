/* The prelude's answer to one request, read in C into Python values.
 *
 * The prelude's dispatch() returns a fresh array:
 *   [status, header_block, body]   a response: status 200..599, header_block the lines
 *                                  "name: value\r\n" (lower-case token names), body a string
 *                                  (sent as UTF-8) or an ArrayBuffer / typed array (raw)
 *   [0, kind, message]             a failure: kind "X" (handler threw), "H" (no handler),
 *                                  "R" (not a valid response)
 * Only own elements of that array and primitive/buffer values are read: no handler code
 * can run here. The header block is validated again (defence in depth: a handler may have
 * replaced the builtins the prelude runs on), and converted to latin-1 bytes for the wire.
 */
#include "engine.h"

/* RFC 9110 token characters. */
static int is_token(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return 1;
    if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')
        return 1;
    return c != 0 && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

/* Decode one UTF-8 code point of a JS string's export (always well-formed WTF-8). */
static uint32_t next_code_point(const unsigned char **p)
{
    const unsigned char *s = *p;
    uint32_t c = s[0];
    int extra = c < 0x80 ? 0 : c < 0xE0 ? 1 : c < 0xF0 ? 2 : 3;
    if (extra)
        c &= 0x3F >> extra;
    for (int i = 1; i <= extra; i++)
        c = (c << 6) | (s[i] & 0x3F);
    *p = s + 1 + extra;
    return c;
}

/* "name: value\r\n"* checked and turned into latin-1 bytes (code points above U+00FF,
 * which Headers refuses anyway, become '?'). NULL with ValueError when malformed. */
static PyObject *header_block(const char *text, size_t size)
{
    PyObject *out = PyBytes_FromStringAndSize(NULL, (Py_ssize_t)size);
    if (out == NULL)
        return NULL;
    char *w = PyBytes_AS_STRING(out);
    const unsigned char *p = (const unsigned char *)text, *end = p + size;
    while (p < end) {
        const unsigned char *name = p;
        while (p < end && is_token(*p))
            *w++ = (char)*p++;
        if (p == name || end - p < 2 || p[0] != ':' || p[1] != ' ')
            goto malformed;
        *w++ = ':';
        *w++ = ' ';
        p += 2;
        while (p < end && *p != '\r') {
            if (*p == '\n' || *p == 0)
                goto malformed;
            uint32_t c = next_code_point(&p);
            *w++ = (char)(c <= 0xFF ? c : '?');
        }
        if (end - p < 2 || p[1] != '\n')
            goto malformed;
        *w++ = '\r';
        *w++ = '\n';
        p += 2;
    }
    if (_PyBytes_Resize(&out, w - PyBytes_AS_STRING(out)) < 0)
        return NULL;
    return out;
malformed:
    Py_DECREF(out);
    PyErr_SetString(PyExc_ValueError, "a header line is not `name: value` (token name, no CR/LF/NUL in value)");
    return NULL;
}

/* header_block() of a JS string, remembered for the next answer: most handlers answer the
 * same string (the prelude's JSON content-type line, a constant block) request after
 * request. The string is compared by identity; it is kept alive (and immutable) while it is
 * remembered, so its address cannot name another string. */
static PyObject *checked_block(Runtime *self, JSValueConst block_v)
{
    JSContext *ctx = self->ctx;
    int flat = JS_VALUE_GET_TAG(block_v) == JS_TAG_STRING; /* (a rope is not remembered) */
    if (flat && JS_IsString(self->last_block) && JS_VALUE_GET_PTR(block_v) == JS_VALUE_GET_PTR(self->last_block))
        return Py_NewRef(self->last_block_bytes);
    size_t size;
    const char *text = JS_ToCStringLen(ctx, &size, block_v);
    PyObject *block = text ? header_block(text, size) : PyErr_NoMemory();
    if (text)
        JS_FreeCString(ctx, text);
    if (block != NULL && flat) {
        JS_FreeValue(ctx, self->last_block);
        self->last_block = JS_DupValue(ctx, block_v);
        Py_XSETREF(self->last_block_bytes, Py_NewRef(block));
    }
    return block;
}

/* A JS string as UTF-8 bytes, each lone surrogate replaced by U+FFFD (as TextEncoder and
 * Response bodies do). The engine exports lone surrogates as 3-byte ED A0..BF xx
 * sequences, and U+FFFD is 3 bytes too: the fix is in place. */
PyObject *utf8_bytes(JSContext *ctx, JSValueConst string)
{
    size_t size;
    const char *text = JS_ToCStringLen(ctx, &size, string);
    if (text == NULL)
        return PyErr_NoMemory();
    PyObject *out = PyBytes_FromStringAndSize(text, (Py_ssize_t)size);
    JS_FreeCString(ctx, text);
    if (out == NULL)
        return NULL;
    replace_lone_surrogates((uint8_t *)PyBytes_AS_STRING(out), size);
    return out;
}

void replace_lone_surrogates(uint8_t *b, size_t size)
{
    uint8_t *hit = memchr(b, 0xED, size);
    while (hit != NULL) {
        size_t at = (size_t)(hit - b);
        if (at + 2 < size && hit[1] >= 0xA0) {
            hit[0] = 0xEF;
            hit[1] = 0xBF;
            hit[2] = 0xBD;
        }
        hit = at + 1 < size ? memchr(hit + 1, 0xED, size - at - 1) : NULL;
    }
}

/* Call a captured builtin getter (O(1), no handler code) with the deadline held off, so
 * the engine's interrupt poll at call entry cannot fire inside it: a deadline that has
 * passed is seen at the next poll of the JS that runs after. */
static JSValue call_getter(Runtime *self, int which, JSValueConst view)
{
    int64_t deadline = self->deadline_ns;
    self->deadline_ns = 0;
    JSValue value = JS_Call(self->ctx, self->getters[which], view, 0, NULL);
    self->deadline_ns = deadline;
    return value;
}

/* The bytes a body shows -- an ArrayBuffer, a typed array or a DataView -- read without
 * running handler code. 1 with (*data, *size), size 0 for a detached buffer or a typed
 * array out of bounds (both read as empty, as fetch() does); 0 when `value` is none of
 * them; -1 with the engine's exception pending when the view cannot be read (a DataView
 * out of its resizable buffer's bounds, a stack overflow). *data is valid until JS runs. */
int body_bytes(Runtime *self, JSValueConst value, const uint8_t **data, size_t *size)
{
    JSContext *ctx = self->ctx;
    int first = JS_IsDataView(value) ? GET_VIEW_BUFFER
                : JS_GetTypedArrayType(value) >= 0 ? GET_ARRAY_BUFFER : -1;
    size_t total;
    *data = (const uint8_t *)"";
    *size = 0;
    if (first < 0 && !JS_IsArrayBuffer(value))
        return 0;
    JSValue buffer = first < 0 ? JS_DupValue(ctx, value) : call_getter(self, first, value);
    if (JS_IsException(buffer))
        return -1;
    uint8_t *bytes = JS_GetArrayBuffer(ctx, &total, buffer);
    JS_FreeValue(ctx, buffer); /* `value` keeps it alive */
    if (bytes == NULL) { /* detached */
        JS_FreeValue(ctx, JS_GetException(ctx));
        return 1;
    }
    int64_t offset = 0, length = (int64_t)total;
    if (first >= 0) {
        JSValue start = call_getter(self, first + 1, value);
        JSValue count = JS_IsException(start) ? JS_EXCEPTION : call_getter(self, first + 2, value);
        int failed = JS_IsException(count) || JS_ToInt64(ctx, &offset, start) < 0 ||
                     JS_ToInt64(ctx, &length, count) < 0;
        JS_FreeValue(ctx, start);
        JS_FreeValue(ctx, count);
        if (failed)
            return -1;
    }
    if (offset >= 0 && length >= 0 && (uint64_t)offset <= total && (uint64_t)length <= total - (uint64_t)offset) {
        *data = bytes + offset;
        *size = (size_t)length;
    }
    return 1;
}

static PyObject *failure(Runtime *self, JSValueConst kind, JSValueConst message, int faults)
{
    const char *k = JS_ToCString(self->ctx, kind);
    const char *m = JS_IsString(message) ? JS_ToCString(self->ctx, message) : NULL;
    const char *name = "exception";
    if (k != NULL && k[0] == 'H')
        name = "handler";
    else if (k != NULL && k[0] == 'R')
        name = "result";
    else if (faults & JS_FAULT_CALL_DEPTH)
        name = "depth";
    else if (faults & JS_FAULT_STACK_OVERFLOW)
        name = "stack";
    PyObject *text = PyUnicode_DecodeUTF8(m ? m : "Internal Server Error", m ? (Py_ssize_t)strlen(m) : 21, "replace");
    if (k != NULL)
        JS_FreeCString(self->ctx, k);
    if (m != NULL)
        JS_FreeCString(self->ctx, m);
    if (text == NULL)
        return NULL;
    PyObject *args = Py_BuildValue("(sN)", name, text);
    if (args != NULL) {
        PyErr_SetObject(FaultError, args);
        Py_DECREF(args);
    }
    return NULL;
}

static PyObject *malformed(const char *reason)
{
    char message[200];
    snprintf(message, sizeof message, "malformed response from the handler runtime: %s", reason);
    return fault("result", message);
}

PyObject *read_response(Runtime *self, JSValueConst answer, int faults)
{
    JSContext *ctx = self->ctx;
    if (!JS_IsArray(answer))
        return malformed("the dispatcher did not return an array");
    JSValue status_v = JS_GetPropertyUint32(ctx, answer, 0);
    JSValue block_v = JS_GetPropertyUint32(ctx, answer, 1);
    JSValue body_v = JS_GetPropertyUint32(ctx, answer, 2);
    PyObject *out = NULL, *block = NULL, *body = NULL;
    double number = 0;
    if (!JS_IsNumber(status_v) || JS_ToFloat64(ctx, &number, status_v) < 0) {
        malformed("no status");
        goto done;
    }
    if (number == 0) {
        failure(self, block_v, body_v, faults);
        goto done;
    }
    /* compared as a double: a ToInt32 would take 2**32 + 200 (or 200.5) for 200 */
    int status = number >= 200 && number <= 599 ? (int)number : 0;
    if (status != number || !JS_IsString(block_v)) {
        malformed("status is not a final HTTP status (200..599)");
        goto done;
    }
    block = checked_block(self, block_v);
    if (block == NULL) {
        if (PyErr_ExceptionMatches(PyExc_ValueError)) {
            PyErr_Clear();
            malformed("a header line is not `name: value` (token name, no CR/LF/NUL in value)");
        }
        goto done;
    }
    if (JS_IsString(body_v)) {
        body = utf8_bytes(ctx, body_v);
    } else {
        const uint8_t *data;
        size_t length;
        int bytes = body_bytes(self, body_v, &data, &length);
        if (bytes > 0) {
            body = PyBytes_FromStringAndSize((const char *)data, (Py_ssize_t)length);
        } else if (bytes == 0) {
            malformed("the body is neither a string nor bytes");
        } else {
            JS_FreeValue(ctx, JS_GetException(ctx));
            malformed("the body's bytes cannot be read (a view outside its buffer)");
        }
    }
    if (body != NULL) {
        /* a 4th element (true) marks a streamed body: the host pulls it (runtime_pull) */
        JSValue streamed = JS_GetPropertyUint32(ctx, answer, 3);
        int stream = JS_ToBool(ctx, streamed) > 0;
        JS_FreeValue(ctx, streamed);
        PyObject *code = PyLong_FromLong(status); /* (a cached small int for 200..256) */
        if (code != NULL) /* (PyTuple_Pack, not Py_BuildValue: no format string per request) */
            out = stream ? PyTuple_Pack(4, code, block, body, Py_True) : PyTuple_Pack(3, code, block, body);
        Py_XDECREF(code);
    }
done:
    Py_XDECREF(block);
    Py_XDECREF(body);
    JS_FreeValue(ctx, status_v);
    JS_FreeValue(ctx, block_v);
    JS_FreeValue(ctx, body_v);
    return out;
}

/* One chunk from the prelude's pull(): bytes (an ArrayBuffer or view; a string as UTF-8),
 * null at the end of the stream, or [0, kind, message] when the stream failed. */
PyObject *read_chunk(Runtime *self, JSValueConst answer, int faults)
{
    JSContext *ctx = self->ctx;
    if (JS_IsNull(answer) || JS_IsUndefined(answer))
        Py_RETURN_NONE;
    if (JS_IsString(answer))
        return utf8_bytes(ctx, answer);
    if (JS_IsArray(answer)) {
        JSValue kind = JS_GetPropertyUint32(ctx, answer, 1);
        JSValue message = JS_GetPropertyUint32(ctx, answer, 2);
        failure(self, kind, message, faults);
        JS_FreeValue(ctx, kind);
        JS_FreeValue(ctx, message);
        return NULL;
    }
    const uint8_t *data;
    size_t length;
    int bytes = body_bytes(self, answer, &data, &length);
    if (bytes > 0)
        return PyBytes_FromStringAndSize((const char *)data, (Py_ssize_t)length);
    if (bytes < 0)
        JS_FreeValue(ctx, JS_GetException(ctx));
    return malformed("a stream chunk is neither a string nor bytes");
}

