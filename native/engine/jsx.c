/* The JSX runtime's native parts (zigttp/runtime/js/jsx_runtime.js), handed to it by the
 * prelude's useJsx as hooks: the text escape, the join, and the compiled template sites.
 *
 * A site (`$j0(x0, x1)` in the front end's output, `$j.site(plan)` in the runtime) renders one
 * template: the plan's static HTML around its holes. jsxSite(plan, render, attribute, mark,
 * list, model) returns a C function of the holes that does what the runtime's generated JS did (compile()
 * in jsx_runtime.js): each hole's text (a string escaped here, a number's digits, nothing for
 * null/undefined/booleans as children), the parts joined once, and the branded HTML value
 * `{[mark]: html}` made in place. Whatever else a hole holds (elements, arrays, HTML values,
 * objects, a non-ASCII string that needs escaping) goes to the runtime's own render(), list()
 * or attribute(), so the bytes are the JS runtime's by construction. Those are JS functions of
 * the runtime called while the handler's call runs (its deadline and interrupt handler hold).
 *
 * Lists and `$j.e` elements are in jsx_list.c; both make objects with engine patch 11
 * (jsx_like) and read holes with jsx_child_text.
 */
#include "engine.h"

/* The HTML text of string `s`: the same string (a new reference) when nothing needs escaping,
 * the escaped copy of an ASCII string, JS_UNDEFINED when a non-ASCII string needs escaping
 * (the runtime's JS loop keeps its lone surrogates exact), or JS_EXCEPTION. */
static JSValue escape_string(JSContext *ctx, JSValueConst s)
{
    size_t size, extra = 0;
    unsigned high = 0;
    const char *text = JS_ToCStringLen(ctx, &size, s); /* an ASCII string is read in place */
    if (text == NULL)
        return JS_EXCEPTION;
    for (size_t i = 0; i < size; i++) {
        unsigned char c = (unsigned char)text[i];
        high |= c;
        extra += c == '&' ? 4 : c == '<' || c == '>' ? 3 : c == '"' ? 5 : c == '\'' ? 5 : 0;
    }
    if (extra == 0 || high >= 0x80) {
        JS_FreeCString(ctx, text);
        return extra == 0 ? JS_DupValue(ctx, s) : JS_UNDEFINED;
    }
    char *out = js_malloc(ctx, size + extra);
    if (out == NULL) {
        JS_FreeCString(ctx, text);
        return JS_EXCEPTION;
    }
    size_t n = 0;
    for (size_t i = 0; i < size; i++) {
        const char *entity = text[i] == '&' ? "&amp;" : text[i] == '<' ? "&lt;" : text[i] == '>' ? "&gt;"
                             : text[i] == '"' ? "&quot;" : text[i] == '\'' ? "&#x27;" : NULL;
        if (entity == NULL) {
            out[n++] = text[i];
            continue;
        }
        size_t length = strlen(entity);
        memcpy(out + n, entity, length);
        n += length;
    }
    JS_FreeCString(ctx, text);
    JSValue result = JS_NewStringLen(ctx, out, n);
    js_free(ctx, out);
    return result;
}

/* escapeHtml(value, child) -> the HTML text of a string or number, or undefined: the JSX
 * runtime's escape() and holeText() (a string with & < > " ' as &amp; &lt; &gt; &quot; &#x27;,
 * a number as String(n); with `child` true, null, undefined, true and false are "": they
 * render nothing as children, as attribute values they mean something else). Anything else
 * is undefined and the runtime's JS renders it, as it does a non-ASCII string that needs
 * escaping, so lone surrogates come out exactly as they went in. */
JSValue hook_escape_html(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    (void)this_val;
    if (argc < 2)
        return JS_ThrowTypeError(ctx, "escapeHtml(value, child)");
    if (JS_IsNumber(argv[0]))
        return JS_ToString(ctx, argv[0]);
    if (!JS_IsString(argv[0])) {
        bool nothing = JS_IsNull(argv[0]) || JS_IsUndefined(argv[0]) || JS_IsBool(argv[0]);
        return nothing && JS_ToBool(ctx, argv[1]) == 1 ? JS_NewStringLen(ctx, "", 0) : JS_UNDEFINED;
    }
    return escape_string(ctx, argv[0]);
}

/* concatStrings(first, ...rest) -> first.concat(...rest) as String.prototype.concat answers
 * (quickjs-ng patch 10), one native call: the JSX runtime joins lists' parts with it. */
JSValue hook_concat_strings(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    (void)this_val;
    if (argc < 1)
        return JS_NewStringLen(ctx, "", 0);
    return JS_ConcatStrings(ctx, argv[0], argc - 1, argv + 1);
}

/* A site's data: the runtime's render and attribute functions, the brand symbol, the list
 * function, an HTML value to make the site's like (`{[mark]: ""}`, engine patch 11), the first
 * static, then per hole its kind (0 child, 1 dropped, " name" an attribute), ' name="' and
 * '"' + the static after it (attributes only, else undefined), and the static after it. */
enum { SITE_RENDER, SITE_ATTRIBUTE, SITE_MARK, SITE_LIST, SITE_MODEL, SITE_FIRST, SITE_HOLES };
enum { HOLE_KIND, HOLE_OPEN, HOLE_CLOSE, HOLE_NEXT, HOLE_SLOTS };
#define SITE_STACK_PARTS 64 /* parts of a site up to 21 holes sit on the C stack */
/* A C function's data holds at most 255 values (JSCFunctionDataRecord.data_len is 8 bits):
 * a site with more holes is left to the runtime's JS (jsxSite answers undefined). */
#define SITE_MAX_HOLES ((255 - SITE_HOLES) / HOLE_SLOTS)

/* An object laid out as `model` with `values` (taken over): JS_NewObjectLike, engine patch 11;
 * the models are the runtime's own literals, which it checks before handing them over. */
JSValue jsx_like(JSContext *ctx, JSValueConst model, int count, JSValue *values)
{
    JSValue out = JS_NewObjectLike(ctx, model, count, values);
    if (!JS_IsUndefined(out))
        return out;
    for (int i = 0; i < count; i++)
        JS_FreeValue(ctx, values[i]);
    return JS_ThrowInternalError(ctx, "jsx: a model object changed its layout");
}

/* The text of a child hole as a new reference, JS_NULL for nothing, or JS_EXCEPTION (an
 * array goes to `list`, anything else to render()). */
JSValue jsx_child_text(JSContext *ctx, JSValueConst value, JSValueConst render, JSValueConst list)
{
    if (JS_IsString(value)) {
        JSValue text = escape_string(ctx, value);
        if (!JS_IsUndefined(text))
            return text;
    } else if (JS_IsNumber(value)) {
        return JS_ToString(ctx, value);
    } else if (JS_IsNull(value) || JS_IsUndefined(value) || JS_IsBool(value)) {
        return JS_NULL;
    } else if (JS_IsArray(value)) {
        return JS_Call(ctx, list, JS_UNDEFINED, 1, &value);
    }
    return JS_Call(ctx, render, JS_UNDEFINED, 1, &value);
}

/* An attribute hole's parts: ' name="', its text, '"' + next for a string or number (returns
 * 3), else attribute(" name", value)'s answer and next (returns 2; null, undefined and false
 * render nothing, true the bare name, as attribute() does); -1 on an exception. */
static int attribute_parts(JSContext *ctx, JSValueConst value, JSValueConst *hole, JSValueConst attribute,
                           JSValue *parts)
{
    JSValue text = JS_UNDEFINED;
    if (JS_IsString(value))
        text = escape_string(ctx, value);
    else if (JS_IsNumber(value))
        text = JS_ToString(ctx, value);
    if (JS_IsException(text))
        return -1;
    if (!JS_IsUndefined(text)) {
        parts[0] = JS_DupValue(ctx, hole[HOLE_OPEN]);
        parts[1] = text;
        parts[2] = JS_DupValue(ctx, hole[HOLE_CLOSE]);
        return 3;
    }
    if (JS_IsNull(value) || JS_IsUndefined(value) || JS_IsBool(value)) {
        parts[0] = JS_ToBool(ctx, value) ? JS_DupValue(ctx, hole[HOLE_KIND]) : JS_NewStringLen(ctx, "", 0);
    } else {
        JSValueConst args[2] = {hole[HOLE_KIND], value};
        parts[0] = JS_Call(ctx, attribute, JS_UNDEFINED, 2, args);
        if (JS_IsException(parts[0]))
            return -1;
    }
    parts[1] = JS_DupValue(ctx, hole[HOLE_NEXT]);
    return 2;
}

/* The parts of one call of a site with `holes` holes into `parts` (1 + 3 per hole at most):
 * their count, or -1 with the parts made so far freed. */
static int site_parts(JSContext *ctx, int holes, JSValueConst *argv, JSValueConst *data, JSValue *parts)
{
    int n = 0;
    parts[n++] = JS_DupValue(ctx, data[SITE_FIRST]);
    for (int k = 0; k < holes; k++) {
        JSValueConst *hole = data + SITE_HOLES + k * HOLE_SLOTS;
        if (JS_IsString(hole[HOLE_KIND])) {
            int made = attribute_parts(ctx, argv[k], hole, data[SITE_ATTRIBUTE], parts + n);
            if (made < 0)
                goto failed;
            n += made;
            continue;
        }
        if (JS_VALUE_GET_INT(hole[HOLE_KIND]) == 0) {
            JSValue text = jsx_child_text(ctx, argv[k], data[SITE_RENDER], data[SITE_LIST]);
            if (JS_IsException(text))
                goto failed;
            if (!JS_IsNull(text))
                parts[n++] = text;
        }
        parts[n++] = JS_DupValue(ctx, hole[HOLE_NEXT]);
    }
    return n;
failed:
    for (int i = 0; i < n; i++)
        JS_FreeValue(ctx, parts[i]);
    return -1;
}

/* One call of a compiled site: `magic` is its hole count, argv its holes (padded with
 * undefined to the count by the engine). Returns the branded HTML value. */
static JSValue site_call(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv, int magic,
                         JSValueConst *data)
{
    JSValue stack[SITE_STACK_PARTS];
    size_t capacity = 1 + 3 * (size_t)magic;
    JSValue *parts = capacity <= SITE_STACK_PARTS ? stack : js_malloc(ctx, capacity * sizeof(JSValue));
    (void)this_val;
    (void)argc;
    if (parts == NULL)
        return JS_EXCEPTION;
    int n = site_parts(ctx, magic, argv, data, parts);
    JSValue html = n < 0 ? JS_EXCEPTION : JS_ConcatStrings(ctx, parts[0], n - 1, (JSValueConst *)parts + 1);
    for (int i = 0; i < n; i++)
        JS_FreeValue(ctx, parts[i]);
    if (parts != stack)
        js_free(ctx, parts);
    if (JS_IsException(html))
        return html;
    return jsx_like(ctx, data[SITE_MODEL], 1, &html);
}

/* Whether objects can be made like `model` with `count` values (a trial one). */
bool jsx_modelled(JSContext *ctx, JSValueConst model, int count)
{
    JSValue values[4] = {JS_UNDEFINED, JS_UNDEFINED, JS_UNDEFINED, JS_UNDEFINED};
    JSValue trial = count <= 4 ? JS_NewObjectLike(ctx, model, count, values) : JS_UNDEFINED;
    bool ok = JS_IsObject(trial);
    JS_FreeValue(ctx, trial);
    return ok;
}

/* Item `index` of array `plan` if it is a string (a new reference), else JS_EXCEPTION. */
static JSValue plan_static(JSContext *ctx, JSValueConst plan, uint32_t index)
{
    JSValue item = JS_GetPropertyUint32(ctx, plan, index);
    if (JS_IsException(item) || JS_IsString(item))
        return item;
    JS_FreeValue(ctx, item);
    return JS_ThrowTypeError(ctx, "jsxSite: plan item %u is not a string", index);
}

/* Fills `data` (SITE_HOLES + HOLE_SLOTS per hole, all JS_UNDEFINED) from the plan:
 * [static, kind, static, ..., static], kind 0, 1 or " name". 0, or -1 with an exception. */
static int site_data(JSContext *ctx, JSValueConst plan, int holes, JSValue *data)
{
    data[SITE_FIRST] = plan_static(ctx, plan, 0);
    if (JS_IsException(data[SITE_FIRST]))
        return -1;
    for (int k = 0; k < holes; k++) {
        JSValue *hole = data + SITE_HOLES + k * HOLE_SLOTS;
        hole[HOLE_KIND] = JS_GetPropertyUint32(ctx, plan, 2 * (uint32_t)k + 1);
        hole[HOLE_NEXT] = plan_static(ctx, plan, 2 * (uint32_t)k + 2);
        if (JS_IsException(hole[HOLE_KIND]) || JS_IsException(hole[HOLE_NEXT]))
            return -1;
        if (JS_IsString(hole[HOLE_KIND])) {
            JSValue quote = JS_NewStringLen(ctx, "\"", 1), equals = JS_NewStringLen(ctx, "=\"", 2);
            hole[HOLE_OPEN] = JS_ConcatStrings(ctx, hole[HOLE_KIND], 1, (JSValueConst *)&equals);
            hole[HOLE_CLOSE] = JS_ConcatStrings(ctx, quote, 1, (JSValueConst *)&hole[HOLE_NEXT]);
            JS_FreeValue(ctx, quote);
            JS_FreeValue(ctx, equals);
            if (JS_IsException(hole[HOLE_OPEN]) || JS_IsException(hole[HOLE_CLOSE]))
                return -1;
        } else if (JS_VALUE_GET_TAG(hole[HOLE_KIND]) != JS_TAG_INT || (uint32_t)JS_VALUE_GET_INT(hole[HOLE_KIND]) > 1) {
            JS_ThrowTypeError(ctx, "jsxSite: plan item %d is not a hole kind", 2 * k + 1);
            return -1;
        }
    }
    return 0;
}

/* jsxSite(plan, render, attribute, mark, list, model) -> the site's function of its holes
 * (site_call), or undefined for a plan of more than SITE_MAX_HOLES holes. */
JSValue hook_jsx_site(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    int64_t length;
    (void)this_val;
    if (argc < 6 || !JS_IsArray(argv[0]) || !JS_IsFunction(ctx, argv[1]) || !JS_IsFunction(ctx, argv[2])
        || !JS_IsSymbol(argv[3]) || !JS_IsFunction(ctx, argv[4]) || !jsx_modelled(ctx, argv[5], 1))
        return JS_ThrowTypeError(ctx, "jsxSite(plan, render, attribute, mark, list, model)");
    if (JS_GetLength(ctx, argv[0], &length) < 0)
        return JS_EXCEPTION;
    if (length < 1 || length % 2 != 1)
        return JS_ThrowTypeError(ctx, "jsxSite: not a template plan");
    if (length > 2 * SITE_MAX_HOLES + 1)
        return JS_UNDEFINED; /* the runtime compiles it to JS instead */
    int holes = (int)(length / 2), size = SITE_HOLES + HOLE_SLOTS * holes;
    JSValue *data = js_malloc(ctx, sizeof(JSValue) * (size_t)size);
    if (data == NULL)
        return JS_EXCEPTION;
    for (int i = 0; i < size; i++)
        data[i] = JS_UNDEFINED;
    data[SITE_RENDER] = JS_DupValue(ctx, argv[1]);
    data[SITE_ATTRIBUTE] = JS_DupValue(ctx, argv[2]);
    data[SITE_MARK] = JS_DupValue(ctx, argv[3]);
    data[SITE_LIST] = JS_DupValue(ctx, argv[4]);
    data[SITE_MODEL] = JS_DupValue(ctx, argv[5]);
    JSValue site = site_data(ctx, argv[0], holes, data) < 0
                       ? JS_EXCEPTION
                       : JS_NewCFunctionData(ctx, site_call, holes, holes, size, (JSValueConst *)data);
    for (int i = 0; i < size; i++)
        JS_FreeValue(ctx, data[i]);
    js_free(ctx, data);
    return site;
}
