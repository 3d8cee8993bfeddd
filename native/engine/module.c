/* zigttp.runtime._engine: the module object, compile() and the engine's version stamp.
 *
 * compile() parses a script with the engine's own parser (nothing executed) and returns
 * its bytecode: what `check`/`build` use to catch every early error the engine refuses,
 * and what each Runtime reads instead of re-parsing source. Bytecode is only ever read
 * from our own compile() output (an artifact we built, a cache we wrote): never from input.
 */
#include "engine.h"

#define ZIGTTP_PATCH_LEVEL "zigttp.13" /* bump with every change to vendor/quickjs-ng */

PyObject *FaultError;
PyObject *CompileError;

/* compile(source, filename, strip_source=False) -> bytes; CompileError(message + stack). */
static PyObject *engine_compile(PyObject *module, PyObject *args, PyObject *kwargs)
{
    static char *names[] = {"source", "filename", "strip_source", NULL};
    const char *source, *filename;
    Py_ssize_t size;
    int strip = 0;
    (void)module;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "s#s|p", names, &source, &size, &filename, &strip))
        return NULL;
    JSRuntime *rt = JS_NewRuntime();
    JSContext *ctx = rt ? JS_NewContext(rt) : NULL;
    if (ctx == NULL) {
        if (rt)
            JS_FreeRuntime(rt);
        return PyErr_NoMemory();
    }
    PyObject *out = NULL;
    JSValue function = JS_Eval(ctx, source, (size_t)size, filename,
                               JS_EVAL_TYPE_GLOBAL | JS_EVAL_FLAG_COMPILE_ONLY);
    if (JS_IsException(function)) {
        JSValue error = JS_GetException(ctx);
        JSValue getters[GETTERS];
        capture_getters(ctx, getters); /* nothing but the parser ran: they are the originals */
        PyObject *text = exception_text(ctx, error, getters[GET_ERROR_STACK], 0);
        free_getters(ctx, getters);
        JS_FreeValue(ctx, error);
        if (text != NULL) {
            PyErr_SetObject(CompileError, text);
            Py_DECREF(text);
        }
    } else {
        size_t length;
        int flags = JS_WRITE_OBJ_BYTECODE | (strip ? JS_WRITE_OBJ_STRIP_SOURCE : 0);
        uint8_t *code = JS_WriteObject(ctx, &length, function, flags);
        out = code ? PyBytes_FromStringAndSize((const char *)code, (Py_ssize_t)length) : PyErr_NoMemory();
        if (code)
            js_free(ctx, code);
    }
    JS_FreeValue(ctx, function);
    JS_FreeContext(ctx);
    JS_FreeRuntime(rt);
    return out;
}

PyObject *lane_parse_request(PyObject *module, PyObject *args); /* lane.c */
PyObject *parse_response_head(PyObject *module, PyObject *arg); /* response_head.c */

static PyMethodDef engine_methods[] = {
    {"parse_request", lane_parse_request, METH_VARARGS,
     "parse_request(data, max_body, max_head) -> the plain-request lane's verdict"},
    {"parse_response_head", parse_response_head, METH_O,
     "parse_response_head(data) -> None (incomplete) or (head_length, status, fields, content_length, "
     "chunked, keep_alive, too_many_fields)"},
    {"compile", (PyCFunction)(void (*)(void))engine_compile, METH_VARARGS | METH_KEYWORDS,
     "compile(source, filename, strip_source=False) -> bytecode"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef engine_module = {
    PyModuleDef_HEAD_INIT, "_engine",
    "zigttp's quickjs-ng binding (native/engine): Runtime, compile, Fault, CompileError.",
    -1, engine_methods, NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__engine(void)
{
    if (PyType_Ready(&RuntimeType) < 0 || PyType_Ready(&LaneType) < 0)
        return NULL;
    PyObject *m = PyModule_Create(&engine_module);
    if (m == NULL)
        return NULL;
    FaultError = PyErr_NewExceptionWithDoc("zigttp.runtime._engine.Fault",
        "A call into JS failed: args are (kind, message); kind is one of exception, timeout, "
        "memory, stack, depth, handler, result.", NULL, NULL);
    CompileError = PyErr_NewExceptionWithDoc("zigttp.runtime._engine.CompileError",
        "The engine's parser refused a script: args[0] is the message with its stack.", NULL, NULL);
    char version[64];
    snprintf(version, sizeof version, "quickjs-ng %s+%s", JS_GetVersion(), ZIGTTP_PATCH_LEVEL);
    if (FaultError == NULL || CompileError == NULL ||
        PyModule_AddObjectRef(m, "Fault", FaultError) < 0 ||
        PyModule_AddObjectRef(m, "CompileError", CompileError) < 0 ||
        PyModule_AddObjectRef(m, "Runtime", (PyObject *)&RuntimeType) < 0 ||
        PyModule_AddObjectRef(m, "Lane", (PyObject *)&LaneType) < 0 ||
        PyModule_AddStringConstant(m, "ENGINE_VERSION", version) < 0 ||
        PyModule_AddIntConstant(m, "POINTER_BITS", (long)(sizeof(void *) * 8)) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
