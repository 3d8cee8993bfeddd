/* Plain values across the `native` hook: JS <-> Python, for the web-platform API's host side
 * (digests, URL parsing, compression, ...).
 *
 *   JS                         Python
 *   undefined / null           None            (Python None comes back as undefined)
 *   boolean, number            bool, int/float (ints beyond 2**53 come back as floats)
 *   string                     str             (lone surrogates become U+FFFD)
 *   ArrayBuffer, any view      bytes           (bytes/bytearray/memoryview come back as ArrayBuffer)
 *   Array                      list            (tuples come back as arrays too)
 *   plain object               dict            (own enumerable string keys)
 *
 * Python -> JS defines elements and keys (never assigns), so a setter a handler planted on
 * Array.prototype["0"] or Object.prototype cannot intercept what the host returns.
 * Nesting is bounded (MAX_DEPTH) so a cyclic or hostile structure is a TypeError, not a
 * crash. Reading an object's properties may run handler getters: that happens inside a call
 * whose deadline is armed, like any other JS.
 */
#include "engine.h"

#define MAX_DEPTH 16

/* An ArrayBuffer or any view (DataView too) as bytes, as response bodies are read. */
static PyObject *bytes_of(JSContext *ctx, JSValueConst value, int *is_bytes)
{
    const uint8_t *data;
    size_t size;
    int bytes = body_bytes(JS_GetRuntimeOpaque(JS_GetRuntime(ctx)), value, &data, &size);
    *is_bytes = bytes != 0;
    if (bytes > 0)
        return PyBytes_FromStringAndSize((const char *)data, (Py_ssize_t)size);
    if (bytes < 0) {
        JS_FreeValue(ctx, JS_GetException(ctx));
        PyErr_SetString(PyExc_TypeError, "the bytes of a view outside its buffer cannot be read");
    }
    return NULL;
}

static PyObject *list_of(JSContext *ctx, JSValueConst array, int depth);
static PyObject *dict_of(JSContext *ctx, JSValueConst object, int depth);

PyObject *js_to_py(JSContext *ctx, JSValueConst value, int depth)
{
    if (depth > MAX_DEPTH)
        return PyErr_Format(PyExc_TypeError, "value nested deeper than %d levels", MAX_DEPTH);
    if (JS_IsUndefined(value) || JS_IsNull(value))
        Py_RETURN_NONE;
    if (JS_IsBool(value))
        return PyBool_FromLong(JS_ToBool(ctx, value));
    if (JS_IsNumber(value)) {
        double number;
        JS_ToFloat64(ctx, &number, value);
        if (JS_VALUE_GET_TAG(value) == JS_TAG_INT)
            return PyLong_FromLong(JS_VALUE_GET_INT(value));
        return PyFloat_FromDouble(number);
    }
    if (JS_IsString(value)) {
        PyObject *out = utf8_bytes(ctx, value); /* lone surrogates already U+FFFD */
        if (out != NULL)
            Py_SETREF(out, PyUnicode_FromEncodedObject(out, "utf-8", "replace"));
        return out;
    }
    if (!JS_IsObject(value))
        return PyErr_Format(PyExc_TypeError, "cannot pass this JS value to the host (BigInt or Symbol)");
    int is_bytes;
    PyObject *bytes = bytes_of(ctx, value, &is_bytes);
    if (is_bytes)
        return bytes;
    if (JS_IsArray(value))
        return list_of(ctx, value, depth);
    if (JS_IsFunction(ctx, value))
        return PyErr_Format(PyExc_TypeError, "cannot pass a function to the host");
    return dict_of(ctx, value, depth);
}

static PyObject *list_of(JSContext *ctx, JSValueConst array, int depth)
{
    int64_t length;
    if (JS_GetLength(ctx, array, &length) < 0 || length > 1 << 24) {
        JS_FreeValue(ctx, JS_GetException(ctx));
        return PyErr_Format(PyExc_TypeError, "array too long to pass to the host");
    }
    PyObject *out = PyList_New((Py_ssize_t)length);
    for (int64_t i = 0; out != NULL && i < length; i++) {
        JSValue item = JS_GetPropertyInt64(ctx, array, i);
        PyObject *converted = JS_IsException(item) ? NULL : js_to_py(ctx, item, depth + 1);
        JS_FreeValue(ctx, item);
        if (converted == NULL) {
            if (!PyErr_Occurred())
                PyErr_SetString(PyExc_TypeError, "reading an array element threw");
            Py_CLEAR(out);
        } else {
            PyList_SET_ITEM(out, (Py_ssize_t)i, converted);
        }
    }
    return out;
}

static PyObject *dict_of(JSContext *ctx, JSValueConst object, int depth)
{
    JSPropertyEnum *names;
    uint32_t count;
    if (JS_GetOwnPropertyNames(ctx, &names, &count, object, JS_GPN_STRING_MASK | JS_GPN_ENUM_ONLY) < 0) {
        JS_FreeValue(ctx, JS_GetException(ctx));
        return PyErr_Format(PyExc_TypeError, "cannot read the object's properties");
    }
    PyObject *out = PyDict_New();
    for (uint32_t i = 0; out != NULL && i < count; i++) {
        const char *key = JS_AtomToCString(ctx, names[i].atom);
        JSValue item = JS_GetProperty(ctx, object, names[i].atom);
        PyObject *converted = key == NULL || JS_IsException(item) ? NULL : js_to_py(ctx, item, depth + 1);
        if (converted == NULL || PyDict_SetItemString(out, key, converted) < 0) {
            if (!PyErr_Occurred())
                PyErr_SetString(PyExc_TypeError, "reading a property threw");
            Py_CLEAR(out);
        }
        Py_XDECREF(converted);
        JS_FreeValue(ctx, item);
        if (key != NULL)
            JS_FreeCString(ctx, key);
    }
    JS_FreePropertyEnum(ctx, names, count);
    JS_FreeValue(ctx, JS_GetException(ctx));
    return out;
}

JSValue py_to_js(JSContext *ctx, PyObject *value, int depth)
{
    if (depth > MAX_DEPTH)
        return JS_ThrowTypeError(ctx, "host value nested too deeply");
    if (value == Py_None)
        return JS_UNDEFINED;
    if (PyBool_Check(value))
        return JS_NewBool(ctx, value == Py_True);
    if (PyLong_Check(value)) {
        int overflow;
        long long n = PyLong_AsLongLongAndOverflow(value, &overflow);
        if (!overflow && n >= -(1LL << 53) && n <= (1LL << 53))
            return JS_NewInt64(ctx, n);
        return JS_NewFloat64(ctx, PyLong_AsDouble(value));
    }
    if (PyFloat_Check(value))
        return JS_NewFloat64(ctx, PyFloat_AS_DOUBLE(value));
    if (PyUnicode_Check(value)) {
        Py_ssize_t size;
        const char *utf8 = PyUnicode_AsUTF8AndSize(value, &size);
        if (utf8 == NULL) {
            PyErr_Clear();
            return JS_ThrowTypeError(ctx, "host string is not valid Unicode");
        }
        return JS_NewStringLen(ctx, utf8, (size_t)size);
    }
    if (PyBytes_Check(value))
        return JS_NewArrayBufferCopy(ctx, (const uint8_t *)PyBytes_AS_STRING(value), (size_t)PyBytes_GET_SIZE(value));
    if (PyByteArray_Check(value) || PyMemoryView_Check(value)) {
        Py_buffer view;
        if (PyObject_GetBuffer(value, &view, PyBUF_CONTIG_RO) < 0) {
            PyErr_Clear();
            return JS_ThrowTypeError(ctx, "host buffer is not contiguous");
        }
        JSValue out = JS_NewArrayBufferCopy(ctx, view.buf, (size_t)view.len);
        PyBuffer_Release(&view);
        return out;
    }
    if (PyList_Check(value) || PyTuple_Check(value)) {
        JSValue array = JS_NewArray(ctx);
        Py_ssize_t n = PySequence_Fast_GET_SIZE(value);
        PyObject **items = PySequence_Fast_ITEMS(value);
        for (Py_ssize_t i = 0; !JS_IsException(array) && i < n; i++) {
            JSValue item = py_to_js(ctx, items[i], depth + 1);
            if (JS_IsException(item) || JS_DefinePropertyValueUint32(ctx, array, (uint32_t)i, item, JS_PROP_C_W_E) < 0) {
                JS_FreeValue(ctx, array);
                array = JS_EXCEPTION;
            }
        }
        return array;
    }
    if (PyDict_Check(value)) {
        JSValue object = JS_NewObject(ctx);
        PyObject *key, *item;
        Py_ssize_t pos = 0;
        while (!JS_IsException(object) && PyDict_Next(value, &pos, &key, &item)) {
            const char *name = PyUnicode_Check(key) ? PyUnicode_AsUTF8(key) : NULL;
            JSValue converted = name ? py_to_js(ctx, item, depth + 1) : JS_ThrowTypeError(ctx, "host dict key is not a str");
            if (JS_IsException(converted) || JS_DefinePropertyValueStr(ctx, object, name, converted, JS_PROP_C_W_E) < 0) {
                PyErr_Clear();
                JS_FreeValue(ctx, object);
                object = JS_EXCEPTION;
            }
        }
        return object;
    }
    return JS_ThrowTypeError(ctx, "host returned a %s, which has no JS form", Py_TYPE(value)->tp_name);
}
