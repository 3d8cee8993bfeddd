/* The JSX runtime's lists and `$j.e` elements in C (zigttp/runtime/js/jsx_runtime.js), handed
 * to it by the prelude's useJsx as hooks, next to its template sites (jsx.c).
 *
 * jsxList(render, vnode, list, fragment, mark) returns the runtime's list(): an array's
 * items rendered and joined, with HTML values taken as they are and the elements of
 * components that only read their props (`$j.e`, marked with their tag) called here; other
 * elements go to vnode(), other values to render(), a Proxy to the JS list(). Each read and
 * call is the one the JS made, in the same order; the interrupt handler is polled per item.
 * jsxElement(model) returns `$j.e`, which makes those elements like the runtime's model.
 */
#include "engine.h"

#define LIST_STACK_PARTS 64 /* the rendered items of a list up to 64 sit on the C stack */

/* A list's data: the runtime's render, vnode, JS list and Fragment, the brand symbol, the
 * atom strings "tag" and "props" (holding them keeps their atoms alive), then the three
 * atoms as numbers. */
enum { LIST_RENDER, LIST_VNODE, LIST_JS, LIST_FRAGMENT, LIST_MARK, LIST_TAG, LIST_PROPS, LIST_MARK_ATOM,
       LIST_TAG_ATOM, LIST_PROPS_ATOM, LIST_SLOTS };

static JSAtom atom_of(JSValueConst *data, int slot)
{
    return (JSAtom)JS_VALUE_GET_INT(data[slot]);
}

/* A component's answer as vnode() takes it: its HTML value's text, else render(out). Frees out. */
static JSValue component_html(JSContext *ctx, JSValue out, JSValueConst *data)
{
    if (JS_IsObject(out) && !JS_IsFunction(ctx, out)) { /* typeof out === "object" */
        JSValue html = JS_GetProperty(ctx, out, atom_of(data, LIST_MARK_ATOM));
        if (JS_IsString(html) || JS_IsException(html)) {
            JS_FreeValue(ctx, out);
            return html;
        }
        JS_FreeValue(ctx, html);
    }
    JSValue text = JS_Call(ctx, data[LIST_RENDER], JS_UNDEFINED, 1, (JSValueConst *)&out);
    JS_FreeValue(ctx, out);
    return text;
}

/* An element marked `mark` (not a string): vnode(item, mark, item.tag), or, for a component
 * element of `$j.e` (its tag is its mark), the call vnode makes: item.tag(item.props). */
static JSValue element_html(JSContext *ctx, JSValueConst item, JSValueConst mark, JSValueConst *data)
{
    JSValue tag = JS_GetProperty(ctx, item, atom_of(data, LIST_TAG_ATOM));
    if (JS_IsException(tag))
        return tag;
    bool direct = JS_IsFunction(ctx, mark) && JS_IsObject(tag) && JS_VALUE_GET_PTR(tag) == JS_VALUE_GET_PTR(mark)
                  && JS_VALUE_GET_PTR(tag) != JS_VALUE_GET_PTR(data[LIST_FRAGMENT]);
    if (!direct) {
        JSValueConst args[3] = {item, mark, tag};
        JSValue html = JS_Call(ctx, data[LIST_VNODE], JS_UNDEFINED, 3, args);
        JS_FreeValue(ctx, tag);
        return html;
    }
    JS_FreeValue(ctx, tag);
    JSValue props = JS_GetProperty(ctx, item, atom_of(data, LIST_PROPS_ATOM));
    JSValue fn = JS_IsException(props) ? JS_EXCEPTION : JS_GetProperty(ctx, item, atom_of(data, LIST_TAG_ATOM));
    JSValue out = JS_IsException(fn) ? JS_EXCEPTION : JS_Call(ctx, fn, item, 1, (JSValueConst *)&props);
    JS_FreeValue(ctx, fn);
    JS_FreeValue(ctx, props);
    return JS_IsException(out) ? out : component_html(ctx, out, data);
}

/* One item of a list as the JS list() renders it: a new string reference, JS_NULL for an item
 * that renders nothing (not kept: a hole-filled array costs no memory), or JS_EXCEPTION. */
static JSValue item_html(JSContext *ctx, JSValueConst item, JSValueConst *data)
{
    if (JS_IsFunction(ctx, item))
        return JS_NewStringLen(ctx, "", 0); /* render(fn) */
    if (JS_IsObject(item)) {
        JSValue mark = JS_GetProperty(ctx, item, atom_of(data, LIST_MARK_ATOM));
        if (JS_IsString(mark) || JS_IsException(mark))
            return mark;
        if (!JS_IsUndefined(mark)) {
            JSValue html = element_html(ctx, item, mark, data);
            JS_FreeValue(ctx, mark);
            return html;
        }
    } else {
        return jsx_child_text(ctx, item, data[LIST_RENDER], data[LIST_RENDER]); /* JS_NULL: nothing */
    }
    return JS_Call(ctx, data[LIST_RENDER], JS_UNDEFINED, 1, &item); /* an array, a plain object */
}

/* The native list(items): an Array's items joined (a Proxy goes to the JS list). */
static JSValue list_call(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv, int magic,
                         JSValueConst *data)
{
    (void)this_val;
    (void)magic;
    if (argc < 1 || !JS_IsArray(argv[0]))
        return JS_Call(ctx, data[LIST_JS], JS_UNDEFINED, argc < 1 ? 0 : 1, argv);
    JSValue stack[LIST_STACK_PARTS], *parts = stack, html = JS_EXCEPTION;
    int64_t length, n = 0, capacity = LIST_STACK_PARTS;
    for (int64_t i = 0;; i++) { /* `i < items.length` per item, as the JS reads it (a render may push) */
        if (JS_PollInterrupts(ctx) < 0 || JS_GetLength(ctx, argv[0], &length) < 0)
            goto done; /* (the poll: the deadline holds over a list of any length, engine patch 12) */
        if (i >= length)
            break;
        if (n == capacity) {
            if (capacity > INT32_MAX / 2) { /* JS_ConcatStrings counts its parts in an int */
                JS_ThrowRangeError(ctx, "a list of more than 2^30 rendered items");
                goto done;
            }
            JSValue *grown = js_malloc(ctx, sizeof(JSValue) * (size_t)capacity * 2);
            if (grown == NULL)
                goto done;
            memcpy(grown, parts, sizeof(JSValue) * (size_t)n);
            if (parts != stack)
                js_free(ctx, parts);
            parts = grown;
            capacity *= 2;
        }
        JSValue item = JS_GetPropertyInt64(ctx, argv[0], i);
        JSValue part = JS_IsException(item) ? item : item_html(ctx, item, data);
        JS_FreeValue(ctx, item);
        if (JS_IsException(part))
            goto done;
        if (!JS_IsNull(part))
            parts[n++] = part;
    }
    html = n == 0 ? JS_NewStringLen(ctx, "", 0) : JS_ConcatStrings(ctx, parts[0], (int)n - 1, (JSValueConst *)parts + 1);
done:
    for (int64_t i = 0; i < n; i++)
        JS_FreeValue(ctx, parts[i]);
    if (parts != stack)
        js_free(ctx, parts);
    return html;
}

/* The atom string `name` (a new reference) into data[slot], its atom into data[atom_slot]. */
static int keep_atom(JSContext *ctx, const char *name, JSValue *data, int slot, int atom_slot)
{
    JSAtom atom = JS_NewAtom(ctx, name);
    if (atom == JS_ATOM_NULL)
        return -1;
    data[slot] = JS_AtomToString(ctx, atom);
    data[atom_slot] = JS_NewInt32(ctx, (int32_t)atom);
    JS_FreeAtom(ctx, atom);
    return JS_IsException(data[slot]) ? -1 : 0;
}

/* jsxList(render, vnode, list, fragment, mark) -> the native list(items) (list_call). */
JSValue hook_jsx_list(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    (void)this_val;
    if (argc < 5 || !JS_IsFunction(ctx, argv[0]) || !JS_IsFunction(ctx, argv[1]) || !JS_IsFunction(ctx, argv[2])
        || !JS_IsFunction(ctx, argv[3]) || !JS_IsSymbol(argv[4]))
        return JS_ThrowTypeError(ctx, "jsxList(render, vnode, list, fragment, mark)");
    JSValue data[LIST_SLOTS];
    for (int i = 0; i < LIST_SLOTS; i++)
        data[i] = i < 5 ? JS_DupValue(ctx, argv[i]) : JS_UNDEFINED;
    JSAtom mark = JS_ValueToAtom(ctx, argv[4]);
    data[LIST_MARK_ATOM] = JS_NewInt32(ctx, (int32_t)mark); /* kept alive by data[LIST_MARK] */
    JS_FreeAtom(ctx, mark);
    JSValue list = keep_atom(ctx, "tag", data, LIST_TAG, LIST_TAG_ATOM) < 0
                           || keep_atom(ctx, "props", data, LIST_PROPS, LIST_PROPS_ATOM) < 0
                       ? JS_EXCEPTION
                       : JS_NewCFunctionData(ctx, list_call, 1, 0, LIST_SLOTS, (JSValueConst *)data);
    for (int i = 0; i < LIST_SLOTS; i++)
        JS_FreeValue(ctx, data[i]);
    return list;
}

/* `$j.e(tag, props)`: the element {[mark]: tag, tag, props, children: []} of a component that
 * only reads its props (jsx_runtime.js elementOf: null or undefined props become {}), made
 * like the runtime's model element. */
static JSValue element_call(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv, int magic,
                            JSValueConst *data)
{
    (void)this_val;
    (void)magic;
    JSValueConst tag = argc > 0 ? argv[0] : JS_UNDEFINED, props = argc > 1 ? argv[1] : JS_UNDEFINED;
    JSValue values[4] = {JS_DupValue(ctx, tag), JS_DupValue(ctx, tag),
                         JS_IsNull(props) || JS_IsUndefined(props) ? JS_NewObject(ctx) : JS_DupValue(ctx, props),
                         JS_NewArray(ctx)};
    if (JS_IsException(values[2]) || JS_IsException(values[3])) {
        for (int i = 0; i < 4; i++)
            JS_FreeValue(ctx, values[i]);
        return JS_EXCEPTION;
    }
    return jsx_like(ctx, data[0], 4, values);
}

/* jsxElement(model) -> the native `$j.e` (element_call), `model` an element of 4 properties. */
JSValue hook_jsx_element(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    (void)this_val;
    if (argc < 1 || !jsx_modelled(ctx, argv[0], 4))
        return JS_ThrowTypeError(ctx, "jsxElement(model)");
    return JS_NewCFunctionData(ctx, element_call, 2, 0, 1, argv);
}
