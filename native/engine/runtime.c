/* The Runtime type: one isolated quickjs-ng runtime, its limits and its calls.
 *
 * A call into JS (load a script, dispatch a request, drain leftovers) arms one wall-clock
 * deadline; the interrupt handler compares CLOCK_MONOTONIC with it on every engine poll
 * (function calls, loop back-edges, regex steps, the patched C loops of patch 4), so a
 * runaway call ends within a poll interval of its deadline with an uncatchable error.
 * The GIL is released for the call and re-taken by hooks that call Python.
 */
#include <errno.h>
#include <poll.h>
#include <time.h>
#include <unistd.h>

#include "engine.h"

#define BUILD_GC_THRESHOLD (8u << 20) /* bytes our scripts may allocate before a collection */

int64_t monotonic_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int on_interrupt(JSRuntime *rt, void *opaque)
{
    Runtime *self = opaque;
    (void)rt;
    if (self->deadline_ns != 0 && monotonic_ns() >= self->deadline_ns) {
        self->deadline_hit = 1;
        return 1;
    }
    return 0;
}

/* A timeout above ~31 years (or infinite) is clamped: timeout * 1e9 would not fit in an
 * int64 (undefined), and a wrapped sum would put the deadline in the past. NaN, 0 or a
 * negative timeout mean no deadline. */
#define MAX_TIMEOUT_S 1e9

static void arm_deadline(Runtime *self, double timeout)
{
    self->deadline_hit = 0;
    if (timeout > MAX_TIMEOUT_S)
        timeout = MAX_TIMEOUT_S;
    self->deadline_ns = timeout > 0 ? monotonic_ns() + (int64_t)(timeout * 1e9) : 0;
    JS_TakeFaults(self->rt); /* flags of an earlier call are not this call's */
}

void leave_python(Runtime *self)
{
    if (self->released == NULL)
        self->released = PyEval_SaveThread();
}

void enter_python(Runtime *self)
{
    if (self->released != NULL) {
        PyThreadState *state = self->released;
        self->released = NULL;
        PyEval_RestoreThread(state);
    }
}

/* Call `fn` without the GIL; hooks re-take it. Every entry into JS goes through here. */
JSValue call_js(Runtime *self, JSValueConst fn, int argc, JSValueConst *argv)
{
    JSValue result;
    leave_python(self);
    result = JS_Call(self->ctx, fn, JS_UNDEFINED, argc, argv);
    enter_python(self);
    return result;
}

PyObject *fault(const char *kind, const char *message)
{
    PyObject *args = Py_BuildValue("(ss)", kind, message);
    if (args != NULL) {
        PyErr_SetObject(FaultError, args);
        Py_DECREF(args);
    }
    return NULL;
}

/* A JS string value as a Python str (lone surrogates as U+FFFD); NULL if not a string. */
static PyObject *string_value(JSContext *ctx, JSValueConst value)
{
    size_t size;
    const char *text = JS_IsString(value) ? JS_ToCStringLen(ctx, &size, value) : NULL;
    if (text == NULL)
        return NULL;
    PyObject *out = PyUnicode_DecodeUTF8(text, (Py_ssize_t)size, "replace");
    JS_FreeCString(ctx, text);
    return out;
}

/* An Error's data property (own or inherited) as str, NULL if none (builtins.c). */
static PyObject *error_field(JSContext *ctx, JSValueConst error, const char *name)
{
    JSValue v = data_property(ctx, error, name, 1);
    PyObject *out = string_value(ctx, v);
    JS_FreeValue(ctx, v);
    return out;
}

/* "[Name: ]message\n    at ..." of a thrown value, without calling handler code: only data
 * properties of an Error and its prototypes, its [[ErrorData]] stack and primitive values
 * are read. This runs with the GIL held: a getter a handler put on Error.prototype.message
 * would stop every thread until the deadline (or for good where none is armed). */
PyObject *exception_text(JSContext *ctx, JSValueConst error, JSValueConst stack_getter, int with_name)
{
    PyObject *message = NULL, *name = NULL, *frames = NULL, *out;
    if (JS_IsError(error)) {
        message = error_field(ctx, error, "message");
        JSValue v = error_stack(ctx, error, stack_getter);
        frames = string_value(ctx, v);
        JS_FreeValue(ctx, v);
        if (with_name)
            name = error_field(ctx, error, "name");
    } else if (!JS_IsObject(error)) {
        JSValue v = JS_ToString(ctx, error);
        message = string_value(ctx, v);
        JS_FreeValue(ctx, v);
    }
    JS_FreeValue(ctx, JS_GetException(ctx)); /* a failed property read above */
    PyErr_Clear();
    if (message == NULL || PyUnicode_GET_LENGTH(message) == 0)
        Py_XSETREF(message, PyUnicode_FromString("handler threw a value that cannot be printed"));
    if (name != NULL && PyUnicode_GET_LENGTH(name) > 0)
        out = PyUnicode_FromFormat("%U: %U", name, message);
    else
        out = Py_XNewRef(message);
    if (out != NULL && frames != NULL && PyUnicode_GET_LENGTH(frames) > 0)
        Py_SETREF(out, PyUnicode_FromFormat("%U\n%U", out, frames));
    Py_XDECREF(message);
    Py_XDECREF(name);
    Py_XDECREF(frames);
    return out;
}

/* Raise the Fault for a call that ended in `result` (JS_EXCEPTION or not) with `faults`.
 * Memory and the deadline win over what the script says: its catch may have run. */
static PyObject *raise_for(Runtime *self, int faults, int threw)
{
    PyObject *text;
    JSValue error;
    if (faults & JS_FAULT_OUT_OF_MEMORY) {
        JS_FreeValue(self->ctx, JS_GetException(self->ctx));
        return fault("memory", "out of memory");
    }
    if (self->deadline_hit) {
        JS_FreeValue(self->ctx, JS_GetException(self->ctx));
        return fault("timeout", "handler exceeded its time limit");
    }
    if (!threw)
        return NULL;
    error = JS_GetException(self->ctx);
    text = exception_text(self->ctx, error, self->getters[GET_ERROR_STACK], 1);
    JS_FreeValue(self->ctx, error);
    if (text == NULL)
        return NULL;
    const char *kind = (faults & JS_FAULT_CALL_DEPTH) ? "depth"
                       : (faults & JS_FAULT_STACK_OVERFLOW) ? "stack" : "exception";
    PyObject *args = Py_BuildValue("(sN)", kind, text);
    if (args != NULL) {
        PyErr_SetObject(FaultError, args);
        Py_DECREF(args);
    }
    return NULL;
}

int usable(Runtime *self)
{
    if (self->ctx == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "runtime is closed");
        return 0;
    }
    if (PyThread_get_thread_ident() != self->owner) {
        PyErr_SetString(PyExc_RuntimeError, "a Runtime is used only by the thread that created it");
        return 0;
    }
    if (self->busy) {
        PyErr_SetString(PyExc_RuntimeError, "Runtime re-entered from a hook");
        return 0;
    }
    return 1;
}

/* Run jobs until none is left, an uncatchable error, or the deadline. GIL released. */
static int drain_jobs(Runtime *self)
{
    JSContext *job_ctx;
    for (;;) {
        if (self->deadline_ns != 0 && monotonic_ns() >= self->deadline_ns) {
            self->deadline_hit = 1;
            return -1;
        }
        int ran = JS_ExecutePendingJob(self->rt, &job_ctx);
        if (ran <= 0)
            return ran;
    }
}

/* Sleep (GIL released) until `until` on CLOCK_MONOTONIC, or until the watched descriptor
 * becomes readable: the host writes to it when work it runs for this request on another
 * thread (an outbound fetch) has finished, so the loop runs the JS that waits for it at once.
 * What was written is read off (the descriptor is non-blocking). */
static void sleep_until(Runtime *self, int64_t until)
{
    while (self->wake_fd >= 0) {
        int64_t left = until - monotonic_ns();
        if (left <= 0)
            return;
        struct pollfd watched = {.fd = self->wake_fd, .events = POLLIN};
        int ready = poll(&watched, 1, (int)((left + 999999) / 1000000)); /* ms, rounded up */
        if (ready > 0 && (watched.revents & POLLIN)) {
            char drain[64];
            while (read(self->wake_fd, drain, sizeof drain) > 0) {
            }
            return;
        }
        if (ready < 0 && errno != EINTR)
            self->wake_fd = -1; /* a closed descriptor: plain sleep from here on */
        if (ready > 0)
            self->wake_fd = -1; /* POLLERR/POLLNVAL without data: likewise */
    }
    struct timespec ts = {.tv_sec = (time_t)(until / 1000000000), .tv_nsec = (long)(until % 1000000000)};
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) != 0) {
    }
}

/* The event loop of one request (GIL released): run jobs; when none is left, ask the timer
 * source (web/timers.js, via hooks.setTimerSource) to fire the due timers; it answers the
 * milliseconds until its next timer, or -1 when nothing keeps this phase alive (phase 0:
 * the handler's promise settled or has nothing left to wait for; phase 1, between requests:
 * no ctx.waitUntil promise is pending; it cancels what is left then). Sleeps until the next
 * timer or the deadline, whichever comes first. -1 on an uncatchable error or the deadline. */
int run_loop(Runtime *self, int phase)
{
    for (;;) {
        if (drain_jobs(self) < 0)
            return -1;
        if (JS_IsUndefined(self->fn_timers))
            return 0;
        JSValue argv[2] = {JS_NewFloat64(self->ctx, (double)monotonic_ns() / 1e6), JS_NewInt32(self->ctx, phase)};
        JSValue next = JS_Call(self->ctx, self->fn_timers, JS_UNDEFINED, 2, argv);
        double wait = -1;
        if (JS_IsException(next) || JS_ToFloat64(self->ctx, &wait, next) < 0) {
            JS_FreeValue(self->ctx, next);
            return -1;
        }
        JS_FreeValue(self->ctx, next);
        if (JS_IsJobPending(self->rt))
            continue; /* the timers queued promise jobs: run them first */
        if (wait < 0)
            return 0;
        int64_t until = monotonic_ns() + (int64_t)(wait * 1e6);
        if (self->deadline_ns != 0 && until >= self->deadline_ns) {
            until = self->deadline_ns;
        }
        sleep_until(self, until);
        if (self->deadline_ns != 0 && monotonic_ns() >= self->deadline_ns) {
            self->deadline_hit = 1;
            return -1;
        }
    }
}

/* ---- construction ------------------------------------------------------------------- */

static PyObject *runtime_new(PyTypeObject *type, PyObject *args, PyObject *kwargs)
{
    static char *names[] = {"memory_limit", "stack_size", "max_call_depth", "console", "host",
                            "native", "lazy", NULL};
    Py_ssize_t memory_limit = 0, stack_size = 0;
    unsigned int max_depth = 0;
    PyObject *console, *host = Py_None, *native = Py_None, *lazy = NULL;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "nnIO|OOO!", names, &memory_limit, &stack_size,
                                     &max_depth, &console, &host, &native, &PyTuple_Type, &lazy))
        return NULL;
    if (memory_limit < 0 || stack_size < 0) {
        PyErr_SetString(PyExc_ValueError, "limits must be >= 0");
        return NULL;
    }
    Runtime *self = (Runtime *)type->tp_alloc(type, 0);
    if (self == NULL)
        return NULL;
    self->hooks = self->fn_dispatch = self->fn_settle = JS_UNDEFINED;
    self->fn_intact = self->fn_snapshot = self->fn_timers = self->fn_pull = self->last_block = JS_UNDEFINED;
    for (int i = 0; i < GETTERS; i++)
        self->getters[i] = JS_UNDEFINED;
    self->owner = PyThread_get_thread_ident();
    self->wake_fd = -1;
    self->memory_limit = (size_t)memory_limit;
    self->console = Py_NewRef(console);
    self->host = Py_NewRef(host);
    self->native = Py_NewRef(native);
    self->lazy = lazy != NULL ? Py_NewRef(lazy) : PyTuple_New(0);
    if (self->lazy == NULL) {
        Py_DECREF(self);
        return NULL;
    }
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(self->lazy); i++) {
        if (!PyCallable_Check(PyTuple_GET_ITEM(self->lazy, i))) {
            Py_DECREF(self);
            PyErr_SetString(PyExc_TypeError, "lazy must be a tuple of callables returning bytecode");
            return NULL;
        }
    }
    self->rt = JS_NewRuntime();
    /* No collection while our own scripts load (until limit_memory): what they make is almost
       all kept, and the default 256 KB threshold ran two full collections per build (~8 % of
       its instructions). The handler's top level runs under the usual rule (gc_as_usual). */
    if (self->rt != NULL)
        JS_SetGCThreshold(self->rt, BUILD_GC_THRESHOLD);
    if (self->rt == NULL || (self->ctx = JS_NewContext(self->rt)) == NULL) {
        Py_DECREF(self);
        return PyErr_NoMemory();
    }
    /* the prelude's and the handler's objects (until seal) are stable: engine patch 13 keeps
       the shapes of objects made on them, e.g. a Request or Response per request */
    JS_SetStableObjects(self->rt, true);
    JS_SetRuntimeOpaque(self->rt, self);
    JS_SetMaxStackSize(self->rt, (size_t)stack_size);
    JS_SetMaxCallDepth(self->rt, max_depth);
    JS_SetInterruptHandler(self->rt, on_interrupt, self);
    self->hooks = make_hooks(self->ctx);
    if (JS_IsException(self->hooks) || capture_getters(self->ctx, self->getters) < 0) {
        Py_DECREF(self);
        return PyErr_NoMemory();
    }
    return (PyObject *)self;
}

static void runtime_close(Runtime *self)
{
    if (self->ctx != NULL) {
        JSValue *values[] = {&self->hooks, &self->fn_dispatch, &self->fn_settle,
                             &self->fn_intact, &self->fn_snapshot, &self->fn_timers, &self->fn_pull,
                             &self->last_block};
        JS_UpdateStackTop(self->rt); /* freeing may happen on another thread's stack */
        integrity_free(self);
        for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
            JS_FreeValue(self->ctx, *values[i]);
            *values[i] = JS_UNDEFINED;
        }
        free_getters(self->ctx, self->getters);
        JS_FreeContext(self->ctx);
        self->ctx = NULL;
    }
    if (self->rt != NULL) {
        JS_FreeRuntime(self->rt);
        self->rt = NULL;
    }
}

static void runtime_dealloc(Runtime *self)
{
    runtime_close(self);
    Py_CLEAR(self->last_block_bytes);
    Py_CLEAR(self->console);
    Py_CLEAR(self->host);
    Py_CLEAR(self->native);
    Py_CLEAR(self->lazy);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

/* ---- scripts ------------------------------------------------------------------------ */

/* Evaluate bytecode from compile(); with `pass_hooks`, its completion value must be a
 * function, called with the hooks object (the prelude and the module shims work so).
 * Returns that call's result (a new reference) or JS_EXCEPTION. */
static JSValue eval_bytecode(Runtime *self, Py_buffer *code, int pass_hooks)
{
    JSValue function = JS_ReadObject(self->ctx, code->buf, (size_t)code->len, JS_READ_OBJ_BYTECODE);
    if (JS_IsException(function))
        return function;
    leave_python(self);
    JSValue value = JS_EvalFunction(self->ctx, function); /* consumes `function` */
    if (!JS_IsException(value) && drain_jobs(self) < 0) {
        JS_FreeValue(self->ctx, value);
        value = JS_EXCEPTION;
    }
    enter_python(self);
    if (JS_IsException(value) || !pass_hooks)
        return value;
    if (!JS_IsFunction(self->ctx, value)) {
        JS_FreeValue(self->ctx, value);
        return JS_ThrowTypeError(self->ctx, "internal: script did not evaluate to a function");
    }
    JSValue installed = call_js(self, value, 1, (JSValueConst *)&self->hooks);
    JS_FreeValue(self->ctx, value);
    return installed;
}

static PyObject *runtime_run(Runtime *self, PyObject *args)
{
    Py_buffer code;
    double timeout;
    int pass_hooks;
    if (!usable(self) || !PyArg_ParseTuple(args, "y*dp", &code, &timeout, &pass_hooks))
        return NULL;
    self->busy = 1;
    arm_deadline(self, timeout);
    JSValue value = eval_bytecode(self, &code, pass_hooks);
    PyBuffer_Release(&code);
    self->busy = 0;
    int threw = JS_IsException(value);
    JS_FreeValue(self->ctx, value);
    raise_for(self, JS_TakeFaults(self->rt), threw); /* reads no getters; the deadline stays armed anyway */
    self->deadline_ns = 0;
    if (PyErr_Occurred())
        return NULL;
    Py_RETURN_NONE;
}

static int take_function(JSContext *ctx, JSValueConst from, const char *name, JSValue *into)
{
    JSValue fn = JS_GetPropertyStr(ctx, from, name);
    if (!JS_IsFunction(ctx, fn)) {
        JS_FreeValue(ctx, fn);
        PyErr_Format(PyExc_RuntimeError, "prelude does not provide %s()", name);
        return -1;
    }
    JS_FreeValue(ctx, *into);
    *into = fn;
    return 0;
}

/* The prelude evaluates to function(hooks) returning {dispatch, settle, intact, snapshot}:
 * kept here, in C, out of reach of handler code. */
static PyObject *runtime_install_prelude(Runtime *self, PyObject *args)
{
    Py_buffer code;
    if (!usable(self) || !PyArg_ParseTuple(args, "y*", &code))
        return NULL;
    self->busy = 1;
    arm_deadline(self, 0);
    JSValue api = eval_bytecode(self, &code, 1);
    PyBuffer_Release(&code);
    self->busy = 0;
    if (JS_IsException(api)) {
        raise_for(self, JS_TakeFaults(self->rt), 1);
        return NULL;
    }
    int failed = take_function(self->ctx, api, "dispatch", &self->fn_dispatch) ||
                 take_function(self->ctx, api, "settle", &self->fn_settle) ||
                 take_function(self->ctx, api, "intact", &self->fn_intact) ||
                 take_function(self->ctx, api, "snapshot", &self->fn_snapshot) ||
                 take_function(self->ctx, api, "pull", &self->fn_pull);
    JS_FreeValue(self->ctx, api);
    if (failed)
        return NULL;
    Py_RETURN_NONE;
}

/* The next collection once half as much again as is live now is allocated: quickjs's own
 * rule after a collection (the build ran none: BUILD_GC_THRESHOLD). */
static void gc_as_usual(Runtime *self)
{
    size_t live = JS_GetMallocSize(self->rt);
    JS_SetGCThreshold(self->rt, live + (live >> 1));
}

/* From now on the handler may allocate `memory_limit` bytes above what is live now. */
static PyObject *runtime_limit_memory(Runtime *self, PyObject *unused)
{
    (void)unused;
    if (!usable(self))
        return NULL;
    gc_as_usual(self);
    if (self->memory_limit > 0)
        JS_SetMemoryLimit(self->rt, JS_GetMallocSize(self->rt) + self->memory_limit);
    Py_RETURN_NONE;
}

/* The handler's top level has run: its builtins are the reference from here on. The
 * prelude's snapshot() seals the shared prototypes and answers the watched builtins, whose
 * descriptors integrity.c records; it runs under a deadline like any other call (default
 * 5 s; it takes microseconds). */
static PyObject *runtime_seal(Runtime *self, PyObject *args)
{
    double timeout = 5.0;
    if (!usable(self) || !PyArg_ParseTuple(args, "|d", &timeout))
        return NULL;
    self->busy = 1;
    arm_deadline(self, timeout);
    JSValue done = call_js(self, self->fn_snapshot, 0, NULL);
    self->busy = 0;
    JS_SetStableObjects(self->rt, false); /* what requests make from now on is theirs */
    gc_as_usual(self);
    int threw = JS_IsException(done) || integrity_snapshot(self, done) < 0;
    JS_FreeValue(self->ctx, done);
    if (threw)
        raise_for(self, JS_TakeFaults(self->rt), 1);
    self->deadline_ns = 0;
    if (threw)
        return NULL;
    Py_RETURN_NONE;
}

/* ---- requests ----------------------------------------------------------------------- */

static JSValue new_string(JSContext *ctx, PyObject *text)
{
    Py_ssize_t size;
    const char *utf8 = PyErr_Occurred() ? NULL : PyUnicode_AsUTF8AndSize(text, &size);
    if (utf8 == NULL)
        return JS_EXCEPTION;
    return JS_NewStringLen(ctx, utf8, (size_t)size);
}

/* Did this request leave the shared builtins as the handler's top level left them? In C
 * (integrity.c) once seal() recorded them; the prelude's intact() otherwise. */
static void check_intact(Runtime *self)
{
    int intact = integrity_check(self);
    if (intact >= 0) {
        if (!intact)
            self->tainted = 1;
        return;
    }
    JSValue same = call_js(self, self->fn_intact, 0, NULL);
    if (JS_IsException(same)) {
        JS_FreeValue(self->ctx, JS_GetException(self->ctx));
        self->tainted = 1;
    } else if (!JS_ToBool(self->ctx, same)) {
        self->tainted = 1;
    }
    JS_FreeValue(self->ctx, same);
}

/* The dispatch itself, shared by Runtime.dispatch and the plain-request lane (lane.c):
 * `argv` are the prelude dispatcher's five arguments, owned (freed) here. The caller checked
 * usable(). Returns the answer tuple (read_response) or NULL with Fault set. */
PyObject *dispatch_call(Runtime *self, JSValue argv[5], double timeout)
{
    JSContext *ctx = self->ctx;
    self->busy = 1;
    arm_deadline(self, timeout);
    JSValue answer = call_js(self, self->fn_dispatch, 5, (JSValueConst *)argv);
    for (int i = 0; i < 5; i++)
        JS_FreeValue(ctx, argv[i]);
    if (JS_IsNull(answer)) { /* a pending promise: run its jobs, then read the outcome */
        leave_python(self);
        int drained = run_loop(self, 0); /* jobs and timers until it settles */
        /* (settle() in the same release of the GIL: one hand-off fewer per async request) */
        answer = drained < 0 ? JS_EXCEPTION : JS_Call(ctx, self->fn_settle, JS_UNDEFINED, 0, NULL);
        enter_python(self);
    }
    int threw = JS_IsException(answer);
    int faults = JS_TakeFaults(self->rt);
    if (!self->deadline_hit && !(faults & JS_FAULT_OUT_OF_MEMORY))
        check_intact(self);
    faults |= JS_TakeFaults(self->rt);
    self->busy = 0;
    PyObject *out = NULL;
    if (threw || self->deadline_hit || (faults & JS_FAULT_OUT_OF_MEMORY))
        raise_for(self, faults, threw); /* reads no getters; the deadline stays armed anyway */
    else
        out = read_response(self, answer, faults);
    self->deadline_ns = 0;
    JS_FreeValue(ctx, answer);
    return out;
}

/* One request: method, target and "name\0value\0..." headers as str, the body as bytes or
 * None, the timeout, and optionally the listening socket's origin ("http://host:port", the
 * absolute URL's fallback when a request has no Host header). Returns (status,
 * header_block: bytes, body: bytes) or raises Fault. */
static PyObject *runtime_dispatch(Runtime *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (!usable(self))
        return NULL;
    if (nargs < 5 || nargs > 6 || !PyUnicode_Check(args[0]) || !PyUnicode_Check(args[1]) ||
        !PyUnicode_Check(args[2]) || !(args[3] == Py_None || PyBytes_Check(args[3])) ||
        (nargs == 6 && !PyUnicode_Check(args[5]))) {
        PyErr_SetString(PyExc_TypeError, "dispatch(method: str, url: str, headers: str, body: bytes | None, timeout: float, origin: str = ...)");
        return NULL;
    }
    double timeout = PyFloat_AsDouble(args[4]);
    if (timeout == -1.0 && PyErr_Occurred())
        return NULL;
    JSContext *ctx = self->ctx;
    JSValue argv[5];
    argv[0] = new_string(ctx, args[0]);
    argv[1] = new_string(ctx, args[1]);
    argv[2] = new_string(ctx, args[2]);
    argv[3] = args[3] == Py_None ? JS_NULL
              : JS_NewArrayBufferCopy(ctx, (const uint8_t *)PyBytes_AS_STRING(args[3]),
                                      (size_t)PyBytes_GET_SIZE(args[3]));
    argv[4] = nargs == 6 ? new_string(ctx, args[5]) : JS_UNDEFINED;
    for (int i = 0; i < 5; i++) {
        if (JS_IsException(argv[i])) {
            for (int j = 0; j < 5; j++)
                JS_FreeValue(ctx, argv[j]);
            if (PyErr_Occurred()) /* a str with a lone surrogate */
                return NULL;
            /* the engine's memory ceiling (a body larger than -m): a typed fault, as inside JS */
            JS_FreeValue(ctx, JS_GetException(ctx));
            return fault("memory", "out of memory");
        }
    }
    return dispatch_call(self, argv, timeout);
}

/* The next chunk of the streamed response the last dispatch returned (its body a
 * ReadableStream): the prelude's pull(0) starts a read, the request's loop (jobs and timers,
 * run_loop) runs until it settles or `timeout` passes, pull(1) answers: bytes, None at the
 * end, or a Fault. With `cancel`, pull(2) cancels the stream instead. */
static PyObject *runtime_pull(Runtime *self, PyObject *args)
{
    int cancel;
    double timeout;
    if (!usable(self) || !PyArg_ParseTuple(args, "pd", &cancel, &timeout))
        return NULL;
    JSContext *ctx = self->ctx;
    self->busy = 1;
    arm_deadline(self, timeout);
    JSValue step = JS_NewInt32(ctx, cancel ? 2 : 0);
    JSValue answer = call_js(self, self->fn_pull, 1, &step);
    if (JS_IsUndefined(answer)) { /* a read is pending: run the loop until it settles */
        leave_python(self);
        int drained = run_loop(self, 0);
        enter_python(self);
        step = JS_NewInt32(ctx, 1);
        answer = drained < 0 ? JS_EXCEPTION : call_js(self, self->fn_pull, 1, &step);
    }
    int threw = JS_IsException(answer);
    int faults = JS_TakeFaults(self->rt);
    self->busy = 0;
    PyObject *out = NULL;
    if (threw || self->deadline_hit || (faults & JS_FAULT_OUT_OF_MEMORY))
        raise_for(self, faults, threw);
    else
        out = read_chunk(self, answer, faults);
    self->deadline_ns = 0;
    JS_FreeValue(ctx, answer);
    return out;
}

/* Between requests: run what the last one left behind (promise jobs, FinalizationRegistry
 * callbacks) within `budget` seconds, so none of it runs inside another request.
 * None when the runtime may serve on; else why it must be replaced (the leftovers threw, ran
 * out of time or memory, or changed shared builtins). */
PyObject *settle_call(Runtime *self, double budget)
{
    if (!JS_IsJobPending(self->rt) && !JS_IsFinalizerPending(self->rt) && JS_IsUndefined(self->fn_timers)) {
        if (self->tainted)
            return PyUnicode_FromString("a request changed shared builtins");
        Py_RETURN_NONE;
    }
    self->busy = 1;
    arm_deadline(self, budget);
    int failed = 0;
    JSContext *job_ctx;
    leave_python(self);
    /* ctx.waitUntil work and its timers run here (phase 1); timers left then are dropped */
    failed = run_loop(self, 1) < 0;
    while (!failed && (JS_IsJobPending(self->rt) || JS_IsFinalizerPending(self->rt))) {
        failed = drain_jobs(self) < 0 || JS_ExecutePendingFinalizer(self->rt, &job_ctx) < 0;
    }
    enter_python(self);
    PyObject *reason = NULL;
    int faults = JS_TakeFaults(self->rt);
    if (faults & JS_FAULT_OUT_OF_MEMORY)
        reason = PyUnicode_FromString("code a request left behind ran out of memory");
    else if (self->deadline_hit)
        reason = PyUnicode_FromString("code a request left behind ran past the request timeout");
    else if (failed) {
        JSValue error = JS_GetException(self->ctx);
        PyObject *text = exception_text(self->ctx, error, self->getters[GET_ERROR_STACK], 1); /* deadline still armed */
        JS_FreeValue(self->ctx, error);
        reason = text ? PyUnicode_FromFormat("code a request left behind (a promise job or a "
                                             "FinalizationRegistry callback) threw: %U", text) : NULL;
        Py_XDECREF(text);
    } else {
        check_intact(self);
        if (self->tainted)
            reason = PyUnicode_FromString("code a request left behind changed shared builtins");
    }
    self->busy = 0;
    self->deadline_ns = 0;
    if (reason == NULL && PyErr_Occurred())
        return NULL;
    return reason != NULL ? reason : Py_NewRef(Py_None);
}

static PyObject *runtime_settle_leftovers(Runtime *self, PyObject *arg)
{
    double budget = PyFloat_AsDouble(arg);
    if ((budget == -1.0 && PyErr_Occurred()) || !usable(self))
        return NULL;
    return settle_call(self, budget);
}

/* Evaluate source text and return the JSON of its value (tests, benchmarks, tools). */
static PyObject *runtime_eval(Runtime *self, PyObject *args)
{
    const char *source, *filename = "<eval>";
    Py_ssize_t size;
    double timeout = 0;
    if (!usable(self) || !PyArg_ParseTuple(args, "s#|sd", &source, &size, &filename, &timeout))
        return NULL;
    self->busy = 1;
    arm_deadline(self, timeout);
    leave_python(self);
    JSValue value = JS_Eval(self->ctx, source, (size_t)size, filename, JS_EVAL_TYPE_GLOBAL);
    if (!JS_IsException(value) && drain_jobs(self) < 0) {
        JS_FreeValue(self->ctx, value);
        value = JS_EXCEPTION;
    }
    JSValue json = JS_IsException(value) ? JS_EXCEPTION
                   : JS_JSONStringify(self->ctx, value, JS_UNDEFINED, JS_UNDEFINED);
    enter_python(self);
    JS_FreeValue(self->ctx, value);
    self->busy = 0;
    self->deadline_ns = 0;
    if (JS_IsException(json)) {
        raise_for(self, JS_TakeFaults(self->rt), 1);
        return NULL;
    }
    PyObject *out = Py_None;
    if (JS_IsString(json)) {
        const char *text = JS_ToCString(self->ctx, json);
        out = text ? PyUnicode_DecodeUTF8(text, (Py_ssize_t)strlen(text), "replace") : NULL;
        if (text)
            JS_FreeCString(self->ctx, text);
    } else {
        Py_INCREF(out);
    }
    JS_FreeValue(self->ctx, json);
    return out;
}

static PyObject *runtime_memory_used(Runtime *self, PyObject *unused)
{
    (void)unused;
    if (!usable(self))
        return NULL;
    return PyLong_FromSize_t(JS_GetMallocSize(self->rt));
}

static PyObject *runtime_get_tainted(Runtime *self, void *unused)
{
    (void)unused;
    return PyBool_FromLong(self->tainted);
}

/* watch(fd): run_loop's sleep also ends when `fd` becomes readable (-1: stop watching). Set
 * from a native call while JS runs (so no busy check), on the owner thread; the caller owns
 * the descriptor and keeps it open while this runtime may sleep on it. */
static PyObject *runtime_watch(Runtime *self, PyObject *arg)
{
    if (PyThread_get_thread_ident() != self->owner) {
        PyErr_SetString(PyExc_RuntimeError, "a Runtime is used only by the thread that created it");
        return NULL;
    }
    long fd = PyLong_AsLong(arg);
    if (fd == -1 && PyErr_Occurred())
        return NULL;
    if (fd > INT32_MAX) {
        PyErr_SetString(PyExc_ValueError, "watch(fd): not a file descriptor");
        return NULL;
    }
    self->wake_fd = fd < 0 ? -1 : (int)fd;
    Py_RETURN_NONE;
}

static PyMethodDef runtime_methods[] = {
    {"watch", (PyCFunction)runtime_watch, METH_O,
     "watch(fd): the request loop's sleep also ends when fd becomes readable (-1: none)"},
    {"install_prelude", (PyCFunction)runtime_install_prelude, METH_VARARGS,
     "install_prelude(bytecode): evaluate the prelude and keep its dispatcher"},
    {"run", (PyCFunction)runtime_run, METH_VARARGS,
     "run(bytecode, timeout, pass_hooks): evaluate a compiled script"},
    {"limit_memory", (PyCFunction)runtime_limit_memory, METH_NOARGS,
     "limit_memory(): cap allocations at what is live now plus memory_limit"},
    {"seal", (PyCFunction)runtime_seal, METH_VARARGS,
     "seal(timeout=5.0): snapshot the builtins after the handler's top level"},
    {"dispatch", (PyCFunction)(void (*)(void))runtime_dispatch, METH_FASTCALL,
     "dispatch(method, url, headers, body, timeout, origin='') -> (status, header_block, body)"},
    {"pull", (PyCFunction)runtime_pull, METH_VARARGS,
     "pull(cancel, timeout) -> bytes | None: the next chunk of a streamed response"},
    {"settle_leftovers", (PyCFunction)runtime_settle_leftovers, METH_O,
     "settle_leftovers(budget) -> None, or why the runtime must be replaced"},
    {"eval", (PyCFunction)runtime_eval, METH_VARARGS,
     "eval(source, filename='<eval>', timeout=0) -> JSON text of the value, or None"},
    {"memory_used", (PyCFunction)runtime_memory_used, METH_NOARGS,
     "memory_used() -> bytes allocated by the engine"},
    {NULL, NULL, 0, NULL},
};

static PyGetSetDef runtime_getset[] = {
    {"tainted", (getter)runtime_get_tainted, NULL, "a request changed shared builtins", NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

PyTypeObject RuntimeType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "zigttp.runtime._engine.Runtime",
    .tp_basicsize = sizeof(Runtime),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "Runtime(memory_limit, stack_size, max_call_depth, console, host=None, native=None, lazy=())",
    .tp_new = runtime_new,
    .tp_dealloc = (destructor)runtime_dealloc,
    .tp_methods = runtime_methods,
    .tp_getset = runtime_getset,
};
