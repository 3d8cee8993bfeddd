/* zigttp's engine extension: CPython bindings over the vendored quickjs-ng.
 *
 * One Python `Runtime` owns one JSRuntime with one JSContext (own heap, own memory limit,
 * own GC), used only by the thread that created it. The files:
 *   module.c   the module: Fault/CompileError, compile() to bytecode, the engine version
 *   runtime.c  the Runtime type: limits, the wall-clock deadline, GIL hand-off, jobs, faults
 *   marshal.c  a request into JS arguments, the prelude's answer into (status, head, body)
 *   hooks.c    the C functions handed to the prelude (never reachable from globalThis)
 *   jsx.c      the JSX runtime's hooks: the escape, the join, compiled template sites
 *   jsx_list.c the JSX runtime's lists and `$j.e` elements
 *   integrity.c the builtin-integrity check after each request (the prelude's watched list)
 *   headers.c  the header name and value checks of the prelude's Headers, the request wire's readers
 *   builtins.c builtin getters captured at creation, for values with no C accessor
 *   utf8.c     bytes to a JS string as WHATWG decodes them
 *   values.c   plain values across the `native` hook (the web-platform API's host side)
 *   lane*.c    the plain-request lane: HTTP read -> parse -> call -> write in C (lane.h)
 *
 * Rules every file keeps: JS runs with the GIL released and the GIL is re-taken only inside
 * hooks; C never calls into handler code outside call_js() (so every JS step has a
 * deadline); faults are classified from the engine's own flags (JS_TakeFaults, the
 * deadline), never by parsing messages.
 */
#ifndef ZIGTTP_ENGINE_H
#define ZIGTTP_ENGINE_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>

#include "quickjs.h"

/* builtins.c: the getters captured per runtime */
enum {
    GET_VIEW_BUFFER, GET_VIEW_OFFSET, GET_VIEW_LENGTH,    /* DataView.prototype */
    GET_ARRAY_BUFFER, GET_ARRAY_OFFSET, GET_ARRAY_LENGTH, /* %TypedArray%.prototype */
    GET_ERROR_STACK,                                      /* Error.prototype */
    GETTERS
};

typedef struct {
    PyObject_HEAD
    JSRuntime *rt;
    JSContext *ctx;
    unsigned long owner;     /* PyThread ident of the creating thread */
    int busy;                /* a call into JS is running: re-entry is a bug */
    PyThreadState *released; /* the saved thread state while JS runs without the GIL */
    int64_t deadline_ns;     /* CLOCK_MONOTONIC deadline of the running call; 0 = none */
    int deadline_hit;        /* the interrupt handler stopped the running call */
    size_t memory_limit;     /* bytes the handler may allocate above the baseline; 0 = none */
    int tainted;             /* a request changed shared builtins: replace before the next */
    PyObject *console;       /* callable(level: str, text: str) */
    PyObject *host;          /* callable(index: int, args_json: str) -> str, or None */
    PyObject *native;        /* callable(name: str, args: tuple) -> value, or None (values.c) */
    PyObject *lazy;          /* tuple of callables giving the bytecode hooks.load(i) evaluates */
    JSValue hooks;           /* object handed to the prelude and the module shims */
    JSValue fn_dispatch, fn_settle, fn_intact, fn_snapshot; /* from the prelude */
    JSValue getters[GETTERS]; /* builtins.c: captured before any handler code ran */
    JSValue fn_timers;       /* timers(nowMs, phase) -> ms to the next timer or -1 (run_loop) */
    JSValue fn_pull;         /* pull(step): the next chunk of a streamed response (runtime_pull) */
    JSValue last_block;      /* marshal.c: the last answer's header-block string, kept alive... */
    PyObject *last_block_bytes; /* ...and its checked bytes: a handler answers the same block over and over */
    int wake_fd;             /* -1, or a descriptor whose readability ends run_loop's sleep (watch) */
    struct Watched *watched; /* integrity.c: the watched builtins as seal() found them, or NULL */
    JSRecordedProperty *recorded; /* integrity.c: the same, for the engine's in-place check */
    int watched_count;
} Runtime;

extern PyTypeObject RuntimeType;
extern PyTypeObject LaneType; /* lane.c: the plain-request lane */
extern PyObject *FaultError;   /* Fault(kind: str, message: str) */
extern PyObject *CompileError; /* CompileError(message_with_stack: str) */

/* runtime.c */
int64_t monotonic_ns(void);
int run_loop(Runtime *self, int phase);
JSValue call_js(Runtime *self, JSValueConst fn, int argc, JSValueConst *argv);
void enter_python(Runtime *self);
void leave_python(Runtime *self);
PyObject *fault(const char *kind, const char *message);
PyObject *exception_text(JSContext *ctx, JSValueConst error, JSValueConst stack_getter, int with_name);
int usable(Runtime *self); /* open, on its own thread, not re-entered; else raises */
PyObject *dispatch_call(Runtime *self, JSValue argv[5], double timeout);
PyObject *settle_call(Runtime *self, double budget); /* None, or why to replace the runtime */

/* marshal.c */
PyObject *read_response(Runtime *self, JSValueConst answer, int faults);
int body_bytes(Runtime *self, JSValueConst value, const uint8_t **data, size_t *size);
PyObject *read_chunk(Runtime *self, JSValueConst answer, int faults);
PyObject *utf8_bytes(JSContext *ctx, JSValueConst string);
void replace_lone_surrogates(uint8_t *utf8, size_t size);

/* integrity.c */
int integrity_snapshot(Runtime *self, JSValueConst list);
int integrity_check(Runtime *self);
void integrity_free(Runtime *self);

/* utf8.c */
JSValue decode_utf8(JSContext *ctx, const uint8_t *data, size_t size, int keep_bom);

/* A hook called from JS takes the GIL if the call released it; returns whether it did. */
static inline int hook_enter(Runtime *self)
{
    int took = self->released != NULL;
    if (took)
        enter_python(self);
    return took;
}

static inline void hook_leave(Runtime *self, int took)
{
    if (took)
        leave_python(self);
}

/* builtins.c */
int capture_getters(JSContext *ctx, JSValue getters[GETTERS]);
void free_getters(JSContext *ctx, JSValue getters[GETTERS]);
JSValue error_stack(JSContext *ctx, JSValueConst error, JSValueConst stack_getter);
JSValue data_property(JSContext *ctx, JSValueConst obj, const char *name, int inherited);

/* values.c */
PyObject *js_to_py(JSContext *ctx, JSValueConst value, int depth);
JSValue py_to_js(JSContext *ctx, PyObject *value, int depth);

/* hooks.c */
JSValue make_hooks(JSContext *ctx);

/* headers.c (hooks) */
JSValue hook_header_name(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv);
JSValue hook_header_value(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv);
JSValue hook_wire_header(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv);
JSValue hook_wire_map(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv);

/* jsx.c, jsx_list.c (hooks of the JSX runtime, and what the two files share) */
JSValue jsx_like(JSContext *ctx, JSValueConst model, int count, JSValue *values);
bool jsx_modelled(JSContext *ctx, JSValueConst model, int count);
JSValue jsx_child_text(JSContext *ctx, JSValueConst value, JSValueConst render, JSValueConst list);
JSValue hook_escape_html(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv);
JSValue hook_concat_strings(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv);
JSValue hook_jsx_site(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv);
JSValue hook_jsx_list(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv);
JSValue hook_jsx_element(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv);

#endif
