/* parse_response_head(data): the head of one HTTP/1.x response, parsed by llhttp.
 *
 * For `zigttp lambda`'s client of the Runtime API (zigttp/aws/runtime_api.py): httptools,
 * which wraps the same llhttp, costs that cold start its import (typing and all it brings,
 * ~40 M instructions) for a handful of small responses. llhttp is already linked here for
 * the lane. Only the head is parsed (llhttp pauses when it is complete); the caller reads a
 * Content-Length body itself, and hands anything else (chunked, no length, 1xx, too many
 * fields) to httptools. The differential fuzz tests/fuzz/test_response_head_fuzz.py holds it
 * to httptools, also under ASan/UBSan.
 */
#include <Python.h>

#include "lane.h"
#include "llhttp.h"

#define MAX_FIELDS 64

typedef struct {
    Span names[MAX_FIELDS], values[MAX_FIELDS];
    int count;
    int in_value; /* the last callback was a value: the next name starts a new field */
    int overflow; /* more than MAX_FIELDS fields */
} Fields;

static int on_field(llhttp_t *parser, const char *at, size_t length)
{
    Fields *fields = parser->data;
    if (!fields->overflow &&
        field_name_piece(fields->names, fields->values, &fields->count, &fields->in_value, MAX_FIELDS, at, length) < 0)
        fields->overflow = 1;
    return 0;
}

static int on_value(llhttp_t *parser, const char *at, size_t length)
{
    Fields *fields = parser->data;
    if (!fields->overflow)
        field_value_piece(fields->values, fields->count, &fields->in_value, at, length);
    return 0;
}

static int on_head_done(llhttp_t *parser)
{
    (void)parser;
    return HPE_PAUSED; /* the head's end is llhttp_get_error_pos() */
}

static PyObject *field_list(const Fields *fields)
{
    PyObject *list = PyList_New(fields->count);
    for (int i = 0; list != NULL && i < fields->count; i++) {
        const Span *name = &fields->names[i], *value = &fields->values[i];
        PyObject *pair = Py_BuildValue("(NN)", PyUnicode_DecodeLatin1(name->at ? name->at : "", (Py_ssize_t)name->len, NULL),
                                       PyUnicode_DecodeLatin1(value->at ? value->at : "", (Py_ssize_t)value->len, NULL));
        if (pair == NULL)
            Py_CLEAR(list);
        else
            PyList_SET_ITEM(list, i, pair);
    }
    return list;
}

/* None while the head is incomplete; else (head_length, status, [(name, value)...],
 * content_length or -1, chunked, keep_alive, too_many_fields). ValueError: not a response. */
PyObject *parse_response_head(PyObject *module, PyObject *arg)
{
    (void)module;
    static llhttp_settings_t settings;
    static int ready;
    if (!ready) {
        llhttp_settings_init(&settings);
        settings.on_header_field = on_field;
        settings.on_header_value = on_value;
        settings.on_headers_complete = on_head_done;
        ready = 1;
    }
    char *data;
    Py_ssize_t size;
    if (PyBytes_AsStringAndSize(arg, &data, &size) < 0)
        return NULL;
    Fields fields = {.count = 0};
    llhttp_t parser;
    llhttp_init(&parser, HTTP_RESPONSE, &settings);
    parser.data = &fields;
    llhttp_errno_t outcome = llhttp_execute(&parser, data, (size_t)size);
    if (outcome == HPE_OK)
        Py_RETURN_NONE; /* all of it read, and the head goes on */
    if (outcome != HPE_PAUSED)
        return PyErr_Format(PyExc_ValueError, "not an HTTP response: %s (%s)", llhttp_errno_name(outcome),
                            llhttp_get_error_reason(&parser));
    Py_ssize_t head = (Py_ssize_t)(llhttp_get_error_pos(&parser) - data);
    int has_length = (parser.flags & F_CONTENT_LENGTH) != 0;
    long long length = has_length ? (long long)parser.content_length : -1;
    PyObject *list = field_list(&fields);
    if (list == NULL)
        return NULL;
    return Py_BuildValue("(niNLOOO)", head, (int)parser.status_code, list, length,
                         (parser.flags & F_CHUNKED) ? Py_True : Py_False,
                         llhttp_should_keep_alive(&parser) ? Py_True : Py_False,
                         fields.overflow ? Py_True : Py_False);
}
