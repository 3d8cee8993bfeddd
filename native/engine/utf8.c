/* Bytes to a JS string the way WHATWG "UTF-8 decode" does (Request.text(), TextDecoder).
 *
 * The engine's own JS_NewStringLen also replaces invalid input, but with one U+FFFD per
 * byte where WHATWG (and browsers, Deno, Bun, Python's "replace") put one per maximal
 * invalid subpart: "\xE1\x80" is one U+FFFD, not two. Valid input, the common case, goes
 * straight to the engine after one validating pass; only invalid input is rewritten.
 */
#include "engine.h"

/* Length (1..4) of the well-formed sequence at s (Unicode table 3-7), or 0 and in *bad the
 * length of the maximal subpart to replace with one U+FFFD (1..3). */
static size_t sequence(const uint8_t *s, size_t n, size_t *bad)
{
    uint8_t c = s[0], lo = 0x80, hi = 0xBF;
    size_t need, seen = 1;
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF) {
        need = 1;
    } else if (c >= 0xE0 && c <= 0xEF) {
        need = 2;
        lo = c == 0xE0 ? 0xA0 : 0x80; /* no overlong forms */
        hi = c == 0xED ? 0x9F : 0xBF; /* no surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 3;
        lo = c == 0xF0 ? 0x90 : 0x80;
        hi = c == 0xF4 ? 0x8F : 0xBF; /* nothing above U+10FFFF */
    } else {
        *bad = 1;
        return 0;
    }
    while (seen <= need && seen < n && s[seen] >= lo && s[seen] <= hi) {
        lo = 0x80;
        hi = 0xBF;
        seen++;
    }
    if (seen > need)
        return seen;
    *bad = seen;
    return 0;
}

/* Bytes → string, invalid sequences as U+FFFD; a leading BOM is dropped (WHATWG "UTF-8
 * decode") unless `keep_bom` ("UTF-8 decode without BOM": URL and form percent-decoding, a
 * TextDecoder with ignoreBOM or past its first chunk). */
JSValue decode_utf8(JSContext *ctx, const uint8_t *data, size_t size, int keep_bom)
{
    size_t at = 0, bad = 0, step;
    if (!keep_bom && size >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF) {
        data += 3;
        size -= 3;
    }
    while (at < size && (step = sequence(data + at, size - at, &bad)) > 0)
        at += step;
    if (at == size)
        return JS_NewStringLen(ctx, (const char *)data, size);
    uint8_t *out = js_malloc(ctx, at + (size - at) * 3); /* each byte left becomes <= 3 */
    if (out == NULL)
        return JS_EXCEPTION;
    memcpy(out, data, at);
    size_t w = at;
    while (at < size) {
        step = sequence(data + at, size - at, &bad);
        if (step > 0) {
            memcpy(out + w, data + at, step);
            w += step;
            at += step;
        } else {
            memcpy(out + w, "\xEF\xBF\xBD", 3);
            w += 3;
            at += bad;
        }
    }
    JSValue text = JS_NewStringLen(ctx, (const char *)out, w);
    js_free(ctx, out);
    return text;
}
