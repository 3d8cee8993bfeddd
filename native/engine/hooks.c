/* The host functions handed to the prelude and to the module shims as one `hooks` object.
 *
 * They live in closures of the prelude, never on globalThis: handler code (indirect eval
 * included) cannot reach, call or replace them. The ones that call Python re-take the GIL
 * for the call and release it again; a Python exception in them is a zigttp bug: printed
 * with its traceback, and the JS caller gets an InternalError.
 */
#include <math.h>

#include "engine.h"

static Runtime *owner_of(JSContext *ctx)
{
    return JS_GetRuntimeOpaque(JS_GetRuntime(ctx));
}

static PyObject *py_text(JSContext *ctx, JSValueConst value)
{
    size_t size;
    const char *text = JS_IsString(value) ? JS_ToCStringLen(ctx, &size, value) : NULL;
    if (text == NULL)
        return PyUnicode_FromString("");
    PyObject *out = PyUnicode_DecodeUTF8(text, (Py_ssize_t)size, "replace");
    JS_FreeCString(ctx, text);
    return out;
}

static JSValue python_failed(JSContext *ctx, const char *what)
{
    PySys_WriteStderr("zigttp: internal error in the %s hook:\n", what);
    PyErr_Print();
    return JS_ThrowInternalError(ctx, "zigttp internal error in the %s hook (see the server log)", what);
}

/* console(level, text): one console.* line to the server's log sink. */
static JSValue hook_console(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    Runtime *self = owner_of(ctx);
    (void)this_val;
    if (argc < 2)
        return JS_UNDEFINED;
    int took = hook_enter(self);
    PyObject *level = py_text(ctx, argv[0]), *text = py_text(ctx, argv[1]);
    PyObject *done = level && text ? PyObject_CallFunctionObjArgs(self->console, level, text, NULL) : NULL;
    Py_XDECREF(level);
    Py_XDECREF(text);
    JSValue result = JS_UNDEFINED;
    if (done == NULL)
        result = python_failed(ctx, "console");
    Py_XDECREF(done);
    hook_leave(self, took);
    return result;
}

/* host(index, argsJson) -> replyJson: one call of a zigttp:* module export (bridge.py). */
static JSValue hook_host(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    Runtime *self = owner_of(ctx);
    int32_t index;
    (void)this_val;
    if (argc < 2 || JS_ToInt32(ctx, &index, argv[0]) < 0 || !JS_IsString(argv[1]))
        return JS_ThrowTypeError(ctx, "host(index, argsJson)");
    int took = hook_enter(self);
    JSValue result;
    PyObject *args = py_text(ctx, argv[1]);
    PyObject *reply = args && self->host != Py_None
                          ? PyObject_CallFunction(self->host, "iO", (int)index, args) : NULL;
    Py_XDECREF(args);
    Py_ssize_t size;
    const char *utf8 = reply != NULL ? PyUnicode_AsUTF8AndSize(reply, &size) : NULL;
    if (utf8 == NULL)
        result = self->host == Py_None ? JS_ThrowTypeError(ctx, "no host modules are loaded")
                                       : python_failed(ctx, "module");
    else
        result = JS_NewStringLen(ctx, utf8, (size_t)size);
    Py_XDECREF(reply);
    hook_leave(self, took);
    return result;
}

/* utf8Decode(bufferOrView, keepBOM = false) -> string (invalid sequences as U+FFFD; a leading
 * BOM dropped unless keepBOM: WHATWG "UTF-8 decode" vs "UTF-8 decode without BOM"). */
static JSValue hook_utf8_decode(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    const uint8_t *data;
    size_t size;
    (void)this_val;
    int bytes = argc < 1 ? 0 : body_bytes(owner_of(ctx), argv[0], &data, &size);
    if (bytes == 0)
        return JS_ThrowTypeError(ctx, "utf8Decode(buffer)");
    int keep_bom = argc > 1 && JS_ToBool(ctx, argv[1]) == 1;
    return bytes < 0 ? JS_EXCEPTION : decode_utf8(ctx, data, size, keep_bom);
}

/* utf8Encode(string) -> ArrayBuffer (lone surrogates as U+FFFD). */
static JSValue hook_utf8_encode(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    size_t size, total;
    (void)this_val;
    if (argc < 1 || !JS_IsString(argv[0]))
        return JS_ThrowTypeError(ctx, "utf8Encode(string)");
    const char *text = JS_ToCStringLen(ctx, &size, argv[0]);
    if (text == NULL)
        return JS_EXCEPTION;
    JSValue out = JS_NewArrayBufferCopy(ctx, (const uint8_t *)text, size);
    JS_FreeCString(ctx, text);
    uint8_t *data = JS_IsException(out) ? NULL : JS_GetArrayBuffer(ctx, &total, out);
    if (data != NULL)
        replace_lone_surrogates(data, total);
    return out;
}

/* Throw what a host function raised: NativeError(js_type, message) becomes an Error whose
 * `name` is js_type (the web API's JS maps names like "NotSupportedError" to DOMException);
 * anything else is a zigttp bug, printed with its traceback. */
static JSValue rethrow_python(JSContext *ctx, const char *what)
{
    PyObject *type, *value, *traceback;
    PyErr_Fetch(&type, &value, &traceback);
    PyErr_NormalizeException(&type, &value, &traceback);
    PyObject *js_type = value ? PyObject_GetAttrString(value, "js_type") : NULL;
    PyObject *message = value ? PyObject_GetAttrString(value, "message") : NULL;
    if (js_type == NULL || message == NULL || !PyUnicode_Check(js_type) || !PyUnicode_Check(message)) {
        Py_XDECREF(js_type);
        Py_XDECREF(message);
        PyErr_Restore(type, value, traceback);
        return python_failed(ctx, what);
    }
    Py_XDECREF(type);
    Py_XDECREF(value);
    Py_XDECREF(traceback);
    const char *name = PyUnicode_AsUTF8(js_type), *text = PyUnicode_AsUTF8(message);
    JSValue error = strcmp(name ? name : "", "TypeError") == 0 ? JS_ThrowTypeError(ctx, "%s", text ? text : "")
                    : strcmp(name ? name : "", "RangeError") == 0 ? JS_ThrowRangeError(ctx, "%s", text ? text : "")
                    : JS_ThrowPlainError(ctx, "%s", text ? text : "");
    if (strcmp(name ? name : "", "TypeError") != 0 && strcmp(name ? name : "", "RangeError") != 0) {
        JSValue thrown = JS_GetException(ctx);
        JS_DefinePropertyValueStr(ctx, thrown, "name", JS_NewString(ctx, name ? name : "Error"),
                                  JS_PROP_WRITABLE | JS_PROP_CONFIGURABLE);
        JS_Throw(ctx, thrown);
    }
    Py_DECREF(js_type);
    Py_DECREF(message);
    PyErr_Clear();
    return error;
}

/* native(name, ...args): one host function of the web-platform API (values.c converts). */
static JSValue hook_native(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    Runtime *self = owner_of(ctx);
    (void)this_val;
    if (argc < 1 || !JS_IsString(argv[0]))
        return JS_ThrowTypeError(ctx, "native(name, ...args)");
    if (self->native == Py_None)
        return JS_ThrowTypeError(ctx, "no native host functions are installed");
    int took = hook_enter(self);
    JSValue result = JS_EXCEPTION;
    PyObject *args = PyTuple_New(argc - 1);
    PyObject *name = py_text(ctx, argv[0]);
    for (int i = 1; args != NULL && i < argc; i++) {
        PyObject *item = js_to_py(ctx, argv[i], 0);
        if (item == NULL) {
            Py_CLEAR(args);
            break;
        }
        PyTuple_SET_ITEM(args, i - 1, item);
    }
    if (args == NULL || name == NULL) {
        PyObject *type, *value, *traceback;
        PyErr_Fetch(&type, &value, &traceback);
        PyObject *text = value ? PyObject_Str(value) : NULL;
        const char *why = text ? PyUnicode_AsUTF8(text) : NULL; /* NULL for a lone surrogate */
        result = JS_ThrowTypeError(ctx, "%s", why ? why : "bad argument");
        Py_XDECREF(text);
        Py_XDECREF(type);
        Py_XDECREF(value);
        Py_XDECREF(traceback);
        PyErr_Clear();
    } else {
        PyObject *reply = PyObject_CallFunctionObjArgs(self->native, name, args, NULL);
        result = reply != NULL ? py_to_js(ctx, reply, 0) : rethrow_python(ctx, "native");
        Py_XDECREF(reply);
    }
    Py_XDECREF(args);
    Py_XDECREF(name);
    hook_leave(self, took);
    return result;
}

/* remaining() -> milliseconds until the running call's deadline (Infinity without one). */
static JSValue hook_remaining(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    Runtime *self = owner_of(ctx);
    (void)this_val;
    (void)argc;
    (void)argv;
    if (self->deadline_ns == 0)
        return JS_NewFloat64(ctx, INFINITY);
    int64_t left = self->deadline_ns - monotonic_ns();
    return JS_NewFloat64(ctx, left > 0 ? (double)left / 1e6 : 0.0);
}

/* setTimerSource(fn): the timers' entry point for run_loop (runtime.c); settable once. */
static JSValue hook_set_timer_source(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    Runtime *self = owner_of(ctx);
    (void)this_val;
    if (argc < 1 || !JS_IsFunction(ctx, argv[0]))
        return JS_ThrowTypeError(ctx, "setTimerSource(fn)");
    if (!JS_IsUndefined(self->fn_timers))
        return JS_ThrowTypeError(ctx, "setTimerSource: a timer source is already set");
    self->fn_timers = JS_DupValue(ctx, argv[0]);
    return JS_UNDEFINED;
}

/* now() -> milliseconds on the monotonic clock (performance.now, the timers' clock). */
static JSValue hook_now(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    (void)this_val;
    (void)argc;
    (void)argv;
    return JS_NewFloat64(ctx, (double)monotonic_ns() / 1e6);
}

/* The bytecode of lazy script `index`: entry `index` of the Runtime's `lazy` tuple is a
 * Python callable that compiles the script on the process's first use and caches it (or NULL
 * with a JS exception). Called with the GIL. */
static PyObject *lazy_code(JSContext *ctx, Runtime *self, int32_t index)
{
    PyObject *code = PyObject_CallNoArgs(PyTuple_GET_ITEM(self->lazy, index));
    if (code == NULL) {
        rethrow_python(ctx, "load");
        return NULL;
    }
    if (!PyBytes_Check(code)) {
        Py_DECREF(code);
        JS_ThrowTypeError(ctx, "internal: lazy script %d gave no bytecode", index);
        return NULL;
    }
    return code;
}

/* load(i, ...args) -> what lazy script i's function(hooks, ...args) returns. The web API's
 * parts that most handlers never touch (a `// lazy:` file behind its globals, the files of the
 * streams, crypto and file bundles) are compiled once per process on first use and read into
 * a runtime only when its handler first needs them, so building a runtime pays nothing for
 * them (engine.runtime_bytecode builds the table; web/00-lazy.js uses it). */
static JSValue hook_load(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    Runtime *self = owner_of(ctx);
    int32_t index;
    (void)this_val;
    if (argc < 1 || JS_ToInt32(ctx, &index, argv[0]) < 0)
        return JS_ThrowTypeError(ctx, "load(index, ...args)");
    if (index < 0 || index >= PyTuple_GET_SIZE(self->lazy))
        return JS_ThrowRangeError(ctx, "load: no lazy script %d", index);
    int took = hook_enter(self);
    PyObject *code = lazy_code(ctx, self, index);
    JSValue fn = code == NULL ? JS_EXCEPTION
                              : JS_ReadObject(ctx, (const uint8_t *)PyBytes_AS_STRING(code),
                                              (size_t)PyBytes_GET_SIZE(code), JS_READ_OBJ_BYTECODE);
    Py_XDECREF(code);
    hook_leave(self, took);
    if (JS_IsException(fn))
        return fn;
    JSValue installer = JS_EvalFunction(ctx, fn); /* consumes fn */
    if (JS_IsException(installer))
        return installer;
    if (!JS_IsFunction(ctx, installer)) {
        JS_FreeValue(ctx, installer);
        return JS_ThrowTypeError(ctx, "internal: lazy script %d did not evaluate to a function", index);
    }
    /* installer(hooks, ...args): argv[0] (the index) is replaced by the hooks object */
    JSValue *call_args = js_malloc(ctx, sizeof(JSValue) * (size_t)argc);
    if (call_args == NULL) {
        JS_FreeValue(ctx, installer);
        return JS_EXCEPTION;
    }
    call_args[0] = self->hooks;
    for (int i = 1; i < argc; i++)
        call_args[i] = argv[i];
    /* what the web API's own file makes is as stable as the prelude's (engine patch 13); it
       calls no handler code */
    bool was = JS_SetStableObjects(JS_GetRuntime(ctx), true);
    JSValue out = JS_Call(ctx, installer, JS_UNDEFINED, argc, (JSValueConst *)call_args);
    JS_SetStableObjects(JS_GetRuntime(ctx), was);
    js_free(ctx, call_args);
    JS_FreeValue(ctx, installer);
    return out;
}

/* call(fn, this, ...args) -> fn.call(this, ...args) in one native hop: the prelude's idiom
 * `Function.prototype.call.bind(Function.prototype.call)` went through a bound function and
 * two Function.prototype.call frames (~700 instructions a call). */
static JSValue hook_call(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    (void)this_val;
    if (argc == 0)
        return JS_ThrowTypeError(ctx, "not a function");
    return JS_Call(ctx, argv[0], argc > 1 ? argv[1] : JS_UNDEFINED, argc > 2 ? argc - 2 : 0, argv + 2);
}

static JSValue uncurried_call(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv,
                              int magic, JSValueConst *data)
{
    (void)this_val;
    (void)magic;
    if (argc == 0)
        return JS_Call(ctx, data[0], JS_UNDEFINED, 0, NULL);
    return JS_Call(ctx, data[0], argv[0], argc - 1, argv + 1);
}

/* uncurry(fn) -> (self, ...args) => fn.call(self, ...args), as a native function: the
 * prelude's captured builtins (String.prototype.indexOf, Array.prototype.push...) cost one
 * native hop a call where the arrow over `call` cost a JS frame more (~1.2 k instructions). */
static JSValue hook_uncurry(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    (void)this_val;
    if (argc < 1 || !JS_IsFunction(ctx, argv[0]))
        return JS_ThrowTypeError(ctx, "uncurry(fn): fn must be a function");
    return JS_NewCFunctionData(ctx, uncurried_call, 0, 0, 1, argv); /* (length 0: no padding) */
}

/* objectLike(model, ...values) -> an object like `model` (its prototype and its own data
 * properties in their order, engine patch 11) holding `values`, or undefined when the model
 * does not qualify or the count differs: the prelude makes each incoming Request like a model
 * instance instead of running its constructors per request (prelude.js, `incoming`). */
static JSValue hook_object_like(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    JSValue values[16];
    int count = argc - 1;
    (void)this_val;
    if (count < 0 || count > (int)(sizeof values / sizeof values[0]))
        return JS_UNDEFINED;
    for (int i = 0; i < count; i++)
        values[i] = JS_DupValue(ctx, argv[i + 1]);
    JSValue made = JS_NewObjectLike(ctx, argv[0], count, values);
    if (JS_IsUndefined(made)) /* (refused: the values were not taken over) */
        for (int i = 0; i < count; i++)
            JS_FreeValue(ctx, values[i]);
    return made;
}

JSValue make_hooks(JSContext *ctx)
{
    static const struct { const char *name; JSCFunction *fn; int length; } table[] = {
        {"console", hook_console, 2},
        {"host", hook_host, 2},
        {"utf8Decode", hook_utf8_decode, 2},
        {"utf8Encode", hook_utf8_encode, 1},
        {"native", hook_native, 1},
        {"remaining", hook_remaining, 0},
        {"setTimerSource", hook_set_timer_source, 1},
        {"now", hook_now, 0},
        {"load", hook_load, 1},
        {"escapeHtml", hook_escape_html, 2},
        {"headerName", hook_header_name, 1},
        {"headerValue", hook_header_value, 1},
        {"wireHeader", hook_wire_header, 2},
        {"wireMap", hook_wire_map, 1},
        {"concatStrings", hook_concat_strings, 1},
        {"jsxSite", hook_jsx_site, 6},
        {"jsxList", hook_jsx_list, 5},
        {"jsxElement", hook_jsx_element, 1},
        {"call", hook_call, 2},
        {"uncurry", hook_uncurry, 1},
        {"objectLike", hook_object_like, 1},
    };
    JSValue hooks = JS_NewObjectProto(ctx, JS_NULL);
    if (JS_IsException(hooks))
        return hooks;
    for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
        JSValue fn = JS_NewCFunction(ctx, table[i].fn, table[i].name, table[i].length);
        if (JS_IsException(fn) || JS_SetPropertyStr(ctx, hooks, table[i].name, fn) < 0) {
            JS_FreeValue(ctx, hooks);
            return JS_EXCEPTION;
        }
    }
    return hooks;
}
