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
