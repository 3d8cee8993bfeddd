/* The Fetch standard's header name and value checks, for the prelude's Headers (hooks
 * headerName and headerValue).
 *
 * Every header a handler sets goes through both (a response's `{headers: {...}}` included);
 * in JS each was a regex test through a captured builtin plus a lower-casing call, ~2-3 k
 * instructions a header. The rules are the prelude's, unchanged: a name is an RFC 9110 token
 * (lower-cased), a value is stripped of leading and trailing HTTP whitespace (tab, LF, CR,
 * space) and must then hold no NUL, CR or LF and no character above U+00FF.
 */
#include "engine.h"

/* RFC 9110 token characters, as the prelude's TOKEN regex and marshal.c's check. */
static int token_char(unsigned char c)
{
    if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')
        return 1;
    if (c >= '0' && c <= '9')
        return 1;
    return c != 0 && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

static int http_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* headerName(name: string) -> the lower-cased name, or null when it is not a token. */
JSValue hook_header_name(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    (void)this_val;
    if (argc < 1 || !JS_IsString(argv[0]))
        return JS_ThrowTypeError(ctx, "headerName(name: string)");
    size_t size;
    const char *text = JS_ToCStringLen(ctx, &size, argv[0]);
    if (text == NULL)
        return JS_EXCEPTION;
    int upper = 0, ok = size > 0;
    for (size_t i = 0; ok && i < size; i++) {
        unsigned char c = (unsigned char)text[i];
        ok = token_char(c);
        upper |= c >= 'A' && c <= 'Z';
    }
    JSValue out = JS_NULL;
    if (ok && !upper) {
        out = JS_DupValue(ctx, argv[0]);
    } else if (ok) {
        char small[64];
        char *lower = size <= sizeof small ? small : js_malloc(ctx, size);
        if (lower == NULL) {
            JS_FreeCString(ctx, text);
            return JS_EXCEPTION;
        }
        for (size_t i = 0; i < size; i++) {
            unsigned char c = (unsigned char)text[i];
            lower[i] = (char)(c >= 'A' && c <= 'Z' ? c | 0x20 : c);
        }
        out = JS_NewStringLen(ctx, lower, size);
        if (lower != small)
            js_free(ctx, lower);
    }
    JS_FreeCString(ctx, text);
    return out;
}

/* headerValue(value: string) -> the value without leading and trailing HTTP whitespace, or
 * null when what is left holds NUL, CR, LF or a character above U+00FF. */
JSValue hook_header_value(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    (void)this_val;
    if (argc < 1 || !JS_IsString(argv[0]))
        return JS_ThrowTypeError(ctx, "headerValue(value: string)");
    size_t size;
    const char *text = JS_ToCStringLen(ctx, &size, argv[0]);
    if (text == NULL)
        return JS_EXCEPTION;
    size_t a = 0, b = size;
    while (a < b && http_space((unsigned char)text[a]))
        a++;
    while (b > a && http_space((unsigned char)text[b - 1]))
        b--;
    int ok = 1;
    for (size_t i = a; ok && i < b; i++) {
        unsigned char c = (unsigned char)text[i];
        /* UTF-8 (WTF-8 for lone surrogates): U+0080..U+00FF lead with C2 or C3, anything
         * above with C4 or more */
        ok = c != 0 && c != '\r' && c != '\n' && c < 0xC4;
    }
    JSValue out = !ok ? JS_NULL
                  : a == 0 && b == size ? JS_DupValue(ctx, argv[0])
                  : JS_NewStringLen(ctx, text + a, b - a);
    JS_FreeCString(ctx, text);
    return out;
}

/* Request headers arrive from the server as trusted "name\0value\0..." (lower-case token
 * names, duplicates joined): the two hooks below read that wire without splitting it into
 * a JS array first. */

struct wire_pair {
    const char *name, *value;
    size_t name_len, value_len;
};

/* The pair at *p: 1 with it (*p moved past it), 0 at the end (a last name without a value is
 * dropped, as the JS loop over the split wire did). */
static int next_pair(const char **p, const char *end, struct wire_pair *pair)
{
    const char *name_end = *p < end ? memchr(*p, 0, (size_t)(end - *p)) : NULL;
    if (name_end == NULL)
        return 0;
    const char *value = name_end + 1;
    const char *value_end = value < end ? memchr(value, 0, (size_t)(end - value)) : NULL;
    if (value_end == NULL)
        value_end = end;
    pair->name = *p;
    pair->name_len = (size_t)(name_end - *p);
    pair->value = value;
    pair->value_len = (size_t)(value_end - value);
    *p = value_end < end ? value_end + 1 : end;
    return 1;
}

static int is_name(const struct wire_pair *pair, const char *name, size_t length)
{
    return pair->name_len == length && memcmp(pair->name, name, length) == 0;
}

/* wireHeader(wire, name) -> the value of the last `name` in the wire (as the map the wire
 * makes holds it), or null. */
JSValue hook_wire_header(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    (void)this_val;
    if (argc < 2 || !JS_IsString(argv[0]) || !JS_IsString(argv[1]))
        return JS_ThrowTypeError(ctx, "wireHeader(wire: string, name: string)");
    size_t size, want;
    const char *wire = JS_ToCStringLen(ctx, &size, argv[0]);
    const char *name = wire ? JS_ToCStringLen(ctx, &want, argv[1]) : NULL;
    JSValue out = name ? JS_NULL : JS_EXCEPTION;
    struct wire_pair pair, found = {NULL, NULL, 0, 0};
    const char *p = wire;
    while (name != NULL && next_pair(&p, wire + size, &pair)) {
        if (is_name(&pair, name, want))
            found = pair;
    }
    if (found.name != NULL)
        out = JS_NewStringLen(ctx, found.value, found.value_len);
    if (name != NULL)
        JS_FreeCString(ctx, name);
    if (wire != NULL)
        JS_FreeCString(ctx, wire);
    return out;
}

/* wireMap(wire) -> a null-prototype object of name -> value, or null when a name needs the
 * prelude's own handling ("set-cookie", kept apart; "get" and "has", kept aside from the
 * original's header object). Names are own data properties in wire order. */
JSValue hook_wire_map(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    (void)this_val;
    if (argc < 1 || !JS_IsString(argv[0]))
        return JS_ThrowTypeError(ctx, "wireMap(wire: string)");
    size_t size;
    const char *wire = JS_ToCStringLen(ctx, &size, argv[0]);
    if (wire == NULL)
        return JS_EXCEPTION;
    JSValue map = JS_NewObjectProto(ctx, JS_NULL);
    struct wire_pair pair;
    const char *p = wire;
    while (!JS_IsException(map) && next_pair(&p, wire + size, &pair)) {
        if (is_name(&pair, "set-cookie", 10) || is_name(&pair, "get", 3) || is_name(&pair, "has", 3)) {
            JS_FreeValue(ctx, map);
            map = JS_NULL;
            break;
        }
        JSAtom atom = JS_NewAtomLen(ctx, pair.name, pair.name_len);
        JSValue text = atom == JS_ATOM_NULL ? JS_EXCEPTION : JS_NewStringLen(ctx, pair.value, pair.value_len);
        if (JS_IsException(text) || JS_SetProperty(ctx, map, atom, text) < 0) {
            JS_FreeValue(ctx, map);
            map = JS_EXCEPTION;
        }
        if (atom != JS_ATOM_NULL)
            JS_FreeAtom(ctx, atom);
    }
    JS_FreeCString(ctx, wire);
    return map;
}
