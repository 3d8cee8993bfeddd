/* Builtin getters that C reads engine values through, taken when a runtime is created.
 *
 * Some values have no C accessor in quickjs-ng: a DataView's window, a typed array's
 * current window (length-tracking views of resizable buffers move), an Error's stack
 * (its [[ErrorData]], shown by the Error.prototype.stack accessor). Reading them with
 * JS_GetPropertyStr would call whatever getter a handler put there, after the deadline
 * and with the GIL held. So the original getters are captured before any handler code
 * runs and called directly: each is O(1), reads an internal slot and runs no JS.
 */
#include "engine.h"

static const struct { const char *ctor; int up; const char *name; } TABLE[GETTERS] = {
    [GET_VIEW_BUFFER] = {"DataView", 0, "buffer"},
    [GET_VIEW_OFFSET] = {"DataView", 0, "byteOffset"},
    [GET_VIEW_LENGTH] = {"DataView", 0, "byteLength"},
    [GET_ARRAY_BUFFER] = {"Uint8Array", 1, "buffer"}, /* on %TypedArray%.prototype */
    [GET_ARRAY_OFFSET] = {"Uint8Array", 1, "byteOffset"},
    [GET_ARRAY_LENGTH] = {"Uint8Array", 1, "byteLength"},
    [GET_ERROR_STACK] = {"Error", 0, "stack"},
};

/* The getter of `name` on globalThis[ctor].prototype (`up` prototypes further up). */
static JSValue builtin_getter(JSContext *ctx, const char *ctor, int up, const char *name)
{
    JSValue global = JS_GetGlobalObject(ctx);
    JSValue fn = JS_GetPropertyStr(ctx, global, ctor);
    JSValue proto = JS_GetPropertyStr(ctx, fn, "prototype");
    for (int i = 0; i < up; i++) {
        JSValue next = JS_GetPrototype(ctx, proto);
        JS_FreeValue(ctx, proto);
        proto = next;
    }
    JSValue getter = JS_UNDEFINED;
    JSPropertyDescriptor desc;
    JSAtom atom = JS_NewAtom(ctx, name);
    if (JS_IsObject(proto) && JS_GetOwnProperty(ctx, &desc, proto, atom) > 0) {
        JS_FreeValue(ctx, desc.value);
        JS_FreeValue(ctx, desc.setter);
        getter = desc.getter;
    }
    JS_FreeAtom(ctx, atom);
    JS_FreeValue(ctx, proto);
    JS_FreeValue(ctx, fn);
    JS_FreeValue(ctx, global);
    return getter;
}

int capture_getters(JSContext *ctx, JSValue getters[GETTERS])
{
    int ok = 1;
    for (int i = 0; i < GETTERS; i++) {
        getters[i] = builtin_getter(ctx, TABLE[i].ctor, TABLE[i].up, TABLE[i].name);
        ok = ok && JS_IsFunction(ctx, getters[i]);
    }
    return ok ? 0 : -1;
}

void free_getters(JSContext *ctx, JSValue getters[GETTERS])
{
    for (int i = 0; i < GETTERS; i++) {
        JS_FreeValue(ctx, getters[i]);
        getters[i] = JS_UNDEFINED;
    }
}

/* An Error's stack: an own data property (Error.captureStackTrace puts one there) or the
 * [[ErrorData]] the original accessor shows; never a handler's getter. */
JSValue error_stack(JSContext *ctx, JSValueConst error, JSValueConst stack_getter)
{
    JSValue own = data_property(ctx, error, "stack", 0);
    if (!JS_IsUndefined(own) || !JS_IsFunction(ctx, stack_getter))
        return own;
    return JS_Call(ctx, stack_getter, error, 0, NULL);
}

/* A data property's value, else undefined: own only, or (`inherited`) the first one up the
 * prototype chain. An accessor or a Proxy on the way ends the search: neither a getter nor a
 * trap is ever called. */
JSValue data_property(JSContext *ctx, JSValueConst obj, const char *name, int inherited)
{
    JSValue at = JS_DupValue(ctx, obj), value = JS_UNDEFINED;
    JSAtom atom = JS_NewAtom(ctx, name);
    for (int hops = 0; atom != JS_ATOM_NULL && hops < 64 && JS_IsObject(at) && !JS_IsProxy(at); hops++) {
        JSPropertyDescriptor desc;
        int found = JS_GetOwnProperty(ctx, &desc, at, atom);
        if (found > 0) {
            JS_FreeValue(ctx, desc.getter);
            JS_FreeValue(ctx, desc.setter);
            value = desc.value; /* undefined for an accessor */
        }
        if (found != 0 || !inherited)
            break;
        JSValue next = JS_GetPrototype(ctx, at); /* not a Proxy: no trap */
        JS_FreeValue(ctx, at);
        at = next;
    }
    JS_FreeAtom(ctx, atom);
    JS_FreeValue(ctx, at);
    JS_FreeValue(ctx, JS_GetException(ctx)); /* none expected; never leave one pending */
    return value;
}
