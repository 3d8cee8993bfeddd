/* The Lane type: the worker's read -> parse -> call -> write loop for plain requests (lane.h).
 *
 * uvloop still owns readiness: server/lane.py registers `lane.readable(fd)` for each accepted
 * connection and `lane.flush()` once per loop iteration, so no extra thread and no second
 * event loop. Per iteration the batch is run in two phases, as the Python backend does
 * (loop_backend.py): every queued connection's requests first, back to back (the engine's
 * code and heap stay hot in the caches), then every answer is written.
 *
 * A request runs in C only when Python said so (`set_runtime`: the inline lane is open, no
 * screening, no host modules) and its path is not demoted; everything else is handed to the
 * host object's callbacks (server/lane.py), which use the Python server's own code:
 *   on_request(fd, raw, first)  -> (bytes, keep_alive) | None (Python took it) | False (hand over)
 *   on_unusual(kind, payload, raw, first) -> (bytes, keep_alive) | None (route to on_request)
 *   on_handover(fd, unsent, rest, first, closing)  the connection is Python's from here on
 *   on_replace(reason), on_slow(url, seconds), forget(fd), schedule()
 *   tally(n, total, max, (statuses, buckets, duration_sum)) per batch: the runs C made
 *   access(request_id, method, url, status, size, seconds) when the access log is on
 *   begin(request_id), end() around a run when the handler uses host modules (they read the
 *   request's id and deadline)
 * Only a bug raises out of a callback; the connection then gets a 500 and is closed, loudly.
 */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "engine.h"
#include "lane.h"
#include "llhttp.h"

#define READ_SIZE 65536
#define MAX_BATCH 64
#define SLOW_NS 2000000 /* runtime.lanes.BUDGET */
#define MARK_STALE_NS 200000 /* run_cpu_ns */
#define MAX_BUCKETS 32   /* server/metrics.BUCKETS has 14 */
#define INTERNAL_PREFIX "/_zigttp/" /* --metrics/--health endpoints: Python answers them */

typedef struct Conn {
    int fd;
    Buffer in, out;
    int first;   /* nothing answered yet (protocol.py's rule on empty lines before the first) */
    int busy;    /* Python holds one of its requests (on_request returned None) */
    int queued;  /* in the lane's batch */
    int eof, closing;
    int64_t idle_since;
    struct Conn *next; /* batch link */
} Conn;

typedef struct {
    PyObject_HEAD
    Conn **conns; /* by descriptor */
    int conns_cap, count;
    Conn *batch_head, *batch_tail;
    Runtime *runtime; /* NULL: every request goes to Python */
    double timeout, settle_budget;
    PyObject *demoted; /* set of paths run on threads, or NULL */
    char *origin;
    size_t max_body, max_head, max_response;
    int worker, draining, yield;
    int binds; /* the handler uses host modules: begin(id)/end() around each run */
    unsigned long long next_id;
    PyObject *host;
    PyObject *on_request, *on_unusual, *on_handover, *on_replace, *on_slow, *tally, *forget, *schedule,
        *access, *status_line, *begin, *end;
    PyObject *status_lines[600];
    Buffer scratch; /* the headers' "name\0value\0" text */
    char readbuf[READ_SIZE];
    unsigned long long executions;
    double exec_total, exec_max;
    int64_t cpu_mark, wall_mark; /* run_cpu_ns */
    int internal; /* --metrics/--health: /_zigttp/... goes to Python */
    /* --metrics: the C runs' share of server/metrics.RequestMetrics, handed over per batch */
    int metrics;
    double buckets[MAX_BUCKETS];
    int bucket_count;
    unsigned long long bucket_counts[MAX_BUCKETS + 1], by_status[600];
    double duration_sum;
} Lane;

enum { DONE, ROUTE, BUSY, HANDED };

/* ---- connections -------------------------------------------------------------------- */

static Conn *find(Lane *lane, int fd)
{
    return fd >= 0 && fd < lane->conns_cap ? lane->conns[fd] : NULL;
}

static Conn *add_conn(Lane *lane, int fd)
{
    if (fd >= lane->conns_cap) {
        int cap = lane->conns_cap ? lane->conns_cap : 256;
        while (cap <= fd)
            cap *= 2;
        Conn **grown = PyMem_Realloc(lane->conns, sizeof(Conn *) * (size_t)cap);
        if (grown == NULL)
            return NULL;
        memset(grown + lane->conns_cap, 0, sizeof(Conn *) * (size_t)(cap - lane->conns_cap));
        lane->conns = grown;
        lane->conns_cap = cap;
    }
    Conn *conn = PyMem_Calloc(1, sizeof(Conn));
    if (conn == NULL)
        return NULL;
    conn->fd = fd;
    conn->first = 1;
    conn->idle_since = monotonic_ns();
    lane->conns[fd] = conn;
    lane->count++;
    return conn;
}

/* Out of the batch (a connection closed between its turn and the next flush, e.g. a failed
 * send after a slow run re-queued it). The batch is short: a walk. */
static void unqueue(Lane *lane, Conn *conn)
{
    Conn *before = NULL;
    for (Conn *at = lane->batch_head; at != NULL; before = at, at = at->next) {
        if (at != conn)
            continue;
        if (before)
            before->next = at->next;
        else
            lane->batch_head = at->next;
        if (lane->batch_tail == at)
            lane->batch_tail = before;
        break;
    }
    conn->queued = 0;
}

static void free_conn(Lane *lane, Conn *conn)
{
    if (conn->queued)
        unqueue(lane, conn);
    lane->conns[conn->fd] = NULL;
    lane->count--;
    buffer_free(&conn->in);
    buffer_free(&conn->out);
    PyMem_Free(conn);
}

/* A callback raised: that is a bug in zigttp. Say so loudly; the caller fails the connection. */
static void report_bug(const char *where)
{
    PySys_WriteStderr("zigttp: internal error in the plain-request lane (%s):\n", where);
    PyErr_Print(); /* the traceback, as server/response.report_internal_error writes it */
}

/* Call a host callback with a descriptor; a raise is a bug (reported). 0 on success. */
static int call_fd(PyObject *callback, int fd, const char *where)
{
    PyObject *arg = PyLong_FromLong(fd);
    PyObject *out = arg ? PyObject_CallOneArg(callback, arg) : NULL;
    Py_XDECREF(arg);
    if (out == NULL) {
        report_bug(where);
        return -1;
    }
    Py_DECREF(out);
    return 0;
}

/* Unregister (the loop's reader), close and free. */
static void close_conn(Lane *lane, Conn *conn)
{
    call_fd(lane->forget, conn->fd, "forget");
    close(conn->fd);
    free_conn(lane, conn);
}

/* The connection is Python's from the request at in[pos] on (server/lane.py adopts it);
 * `closing`: its last answer is in `out`, so Python closes once that is written. */
static void handover(Lane *lane, Conn *conn, size_t pos)
{
    PyObject *out = PyObject_CallFunction(lane->on_handover, "iy#y#OO", conn->fd, conn->out.data,
                                          (Py_ssize_t)conn->out.len, conn->in.data + pos,
                                          (Py_ssize_t)(conn->in.len - pos), conn->first ? Py_True : Py_False,
                                          conn->closing ? Py_True : Py_False);
    if (out == NULL) {
        report_bug("on_handover");
        close(conn->fd);
    }
    Py_XDECREF(out);
    free_conn(lane, conn);
}

static void queue(Lane *lane, Conn *conn)
{
    if (conn->queued || conn->busy)
        return;
    conn->queued = 1;
    conn->next = NULL;
    if (lane->batch_tail)
        lane->batch_tail->next = conn;
    else
        lane->batch_head = conn;
    lane->batch_tail = conn;
    if (lane->batch_head == conn) {
        PyObject *out = PyObject_CallNoArgs(lane->schedule);
        if (out == NULL)
            report_bug("schedule");
        Py_XDECREF(out);
    }
}

/* ---- one request -------------------------------------------------------------------- */

static PyObject *status_line(Lane *lane, int status)
{
    if (status < 100 || status > 599)
        status = 500;
    if (lane->status_lines[status] == NULL) {
        PyObject *line = PyObject_CallFunction(lane->status_line, "i", status);
        if (line == NULL || !PyBytes_Check(line)) {
            Py_XDECREF(line);
            return NULL;
        }
        lane->status_lines[status] = line;
    }
    return lane->status_lines[status];
}

/* protocol.py's rule for an incoming x-request-id: ^[A-Za-z0-9._:-]{1,128}$ */
static int valid_request_id(Span id)
{
    if (id.len == 0 || id.len > 128)
        return 0;
    for (size_t i = 0; i < id.len; i++) {
        char c = id.at[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
              c == '_' || c == ':' || c == '-'))
            return 0;
    }
    return 1;
}

/* The request id the answer echoes (only asked for when the request sent one) or logs. */
static Span request_id(Lane *lane, const PlainRequest *req, char *generated, size_t size)
{
    if (req->request_id.at != NULL && valid_request_id(req->request_id))
        return req->request_id;
    int n = snprintf(generated, size, "%d-%llu", lane->worker, ++lane->next_id);
    return (Span){generated, (size_t)n};
}

/* "name\0value\0..." with lower-case names (marshal.encode_headers) into lane->scratch. */
static int headers_wire(Lane *lane, const PlainRequest *req)
{
    Buffer *wire = &lane->scratch;
    wire->len = 0;
    for (int i = 0; i < req->count; i++) {
        Span name = req->names[i], value = req->values[i];
        if (buffer_reserve(wire, name.len + value.len + 2) < 0)
            return -1;
        if (i > 0)
            wire->data[wire->len++] = '\0';
        for (size_t k = 0; k < name.len; k++) {
            char c = name.at[k];
            wire->data[wire->len++] = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
        }
        wire->data[wire->len++] = '\0';
        memcpy(wire->data + wire->len, value.at, value.len);
        wire->len += value.len;
    }
    return 0;
}

static PyObject *raw_bytes(const char *raw, size_t size)
{
    return PyBytes_FromStringAndSize(raw, (Py_ssize_t)size);
}

/* A Python answer (bytes, keep_alive) appended; the rest of the protocol as documented. */
static int take_answer(Conn *conn, PyObject *answer)
{
    PyObject *data, *keep;
    if (!PyTuple_Check(answer) || PyTuple_GET_SIZE(answer) != 2 ||
        !PyBytes_Check(data = PyTuple_GET_ITEM(answer, 0))) {
        PyErr_SetString(PyExc_TypeError, "a lane answer is (bytes, keep_alive)");
        return -1;
    }
    keep = PyTuple_GET_ITEM(answer, 1);
    if (buffer_append(&conn->out, PyBytes_AS_STRING(data), (size_t)PyBytes_GET_SIZE(data)) < 0) {
        PyErr_NoMemory();
        return -1;
    }
    if (!PyObject_IsTrue(keep))
        conn->closing = 1;
    return 0;
}

/* The Python side's say on one request: DONE (answered), BUSY (Python took it), HANDED. */
static int ask_python(Lane *lane, Conn *conn, const char *raw, size_t size, size_t pos)
{
    PyObject *bytes = raw_bytes(raw, size);
    PyObject *answer = bytes ? PyObject_CallFunction(lane->on_request, "iOO", conn->fd, bytes,
                                                     conn->first ? Py_True : Py_False) : NULL;
    Py_XDECREF(bytes);
    int result = DONE;
    if (answer == Py_None)
        result = BUSY;
    else if (answer == Py_False)
        result = HANDED;
    else if (answer == NULL || take_answer(conn, answer) < 0)
        result = -1;
    Py_XDECREF(answer);
    if (result == -1)
        report_bug("on_request");
    if (result == HANDED)
        handover(lane, conn, pos);
    return result;
}

/* on_unusual(kind, payload, raw, first): DONE with the answer appended, ROUTE, or -1. */
static int unusual(Lane *lane, Conn *conn, const char *kind, PyObject *payload, const char *raw, size_t size)
{
    PyObject *bytes = raw_bytes(raw, size);
    PyObject *answer = bytes ? PyObject_CallFunction(lane->on_unusual, "sOOO", kind, payload, bytes,
                                                     conn->first ? Py_True : Py_False) : NULL;
    Py_XDECREF(bytes);
    int result = answer == Py_None ? ROUTE : (answer != NULL && take_answer(conn, answer) == 0) ? DONE : -1;
    Py_XDECREF(answer);
    if (result < 0)
        report_bug("on_unusual");
    return result;
}

static int64_t thread_cpu_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* The lane policy judges a run by the CPU it took (runtime.lanes: wall time would count
 * preemption by other processes). The thread's CPU clock is a system call (~0.4 µs here), not
 * a vDSO read, so it is not read around every run: a mark (CPU and wall clock together) is
 * taken before a run when the last one is older than MARK_STALE_NS, and the clock is read again
 * only after a run whose wall time was over the budget. The CPU since the mark, minus the wall
 * time from the mark to the run's start, is then the run's CPU, short by at most what the
 * thread was preempted for in that gap (< MARK_STALE_NS, a tenth of the budget). */
static void mark_cpu(Lane *lane)
{
    lane->cpu_mark = thread_cpu_ns();
    lane->wall_mark = monotonic_ns();
}

static int64_t run_cpu_ns(Lane *lane, int64_t started, int64_t wall)
{
    if (wall <= SLOW_NS)
        return wall; /* (wall bounds CPU from above: under the budget either way) */
    int64_t now = thread_cpu_ns();
    int64_t cpu = (now - lane->cpu_mark) - (started - lane->wall_mark);
    lane->cpu_mark = now;
    lane->wall_mark = started + wall;
    return cpu;
}

/* Every run, its outcome whatever it was: counted, and judged by the lane policy. */
static void note_run(Lane *lane, const PlainRequest *req, int64_t wall, int64_t cpu)
{
    lane->executions++;
    lane->exec_total += (double)wall / 1e9;
    if ((double)wall / 1e9 > lane->exec_max)
        lane->exec_max = (double)wall / 1e9;
    if (cpu > SLOW_NS) {
        lane->yield = 1; /* the loop turns before the next run (runtime.lanes) */
        PyObject *out = PyObject_CallFunction(lane->on_slow, "s#d", req->url.at, (Py_ssize_t)req->url.len,
                                              (double)cpu / 1e9);
        if (out == NULL)
            report_bug("on_slow");
        Py_XDECREF(out);
    }
}

/* After a run that answered: what it left behind settled, or the runtime replaced. */
static void after_call(Lane *lane, Runtime *runtime)
{
    PyObject *reason = lane->runtime == runtime ? settle_call(runtime, lane->settle_budget) : NULL;
    if (reason == NULL && PyErr_Occurred())
        report_bug("settle");
    else if (reason != NULL && (reason != Py_None || runtime->tainted)) {
        PyObject *out = PyObject_CallOneArg(lane->on_replace, reason);
        if (out == NULL)
            report_bug("on_replace");
        Py_XDECREF(out);
    }
    Py_XDECREF(reason);
}

static void log_access(Lane *lane, const PlainRequest *req, Span id, int status, size_t size, int64_t wall)
{
    PyObject *out = PyObject_CallFunction(lane->access, "s#ss#ind", id.at, (Py_ssize_t)id.len,
                                          llhttp_method_name(req->method), req->url.at, (Py_ssize_t)req->url.len,
                                          status, (Py_ssize_t)size, (double)wall / 1e9);
    if (out == NULL)
        report_bug("access");
    Py_XDECREF(out);
}

/* RequestMetrics.record for an answer C built: by status, and the duration histogram
 * (bisect_left over the bucket bounds). */
static void record(Lane *lane, int status, int64_t wall)
{
    double seconds = (double)wall / 1e9;
    int i = 0;
    while (i < lane->bucket_count && lane->buckets[i] < seconds)
        i++;
    lane->bucket_counts[i]++;
    lane->by_status[status >= 0 && status < 600 ? status : 0]++;
    lane->duration_sum += seconds;
}

/* The batch's metrics for Python (tally): {status: count}, bucket counts, duration sum. */
static PyObject *take_metrics(Lane *lane)
{
    if (!lane->metrics)
        return Py_BuildValue("(OOd)", Py_None, Py_None, 0.0);
    PyObject *statuses = PyDict_New(), *buckets = PyList_New(lane->bucket_count + 1);
    for (int status = 0; statuses != NULL && status < 600; status++) {
        if (lane->by_status[status] == 0)
            continue;
        PyObject *key = PyLong_FromLong(status), *count = PyLong_FromUnsignedLongLong(lane->by_status[status]);
        if (key == NULL || count == NULL || PyDict_SetItem(statuses, key, count) < 0)
            Py_CLEAR(statuses);
        Py_XDECREF(key);
        Py_XDECREF(count);
        lane->by_status[status] = 0;
    }
    for (int i = 0; buckets != NULL && i <= lane->bucket_count; i++) {
        PyList_SET_ITEM(buckets, i, PyLong_FromUnsignedLongLong(lane->bucket_counts[i]));
        lane->bucket_counts[i] = 0;
    }
    PyObject *out = statuses && buckets ? Py_BuildValue("(OOd)", statuses, buckets, lane->duration_sum) : NULL;
    lane->duration_sum = 0;
    Py_XDECREF(statuses);
    Py_XDECREF(buckets);
    return out;
}

/* The handler's answer (status, header_block, body) appended as response bytes. */
static int append_answer(Lane *lane, Conn *conn, const PlainRequest *req, PyObject *answer, int64_t wall,
                         const char *raw, size_t size)
{
    int status = (int)PyLong_AsLong(PyTuple_GET_ITEM(answer, 0));
    PyObject *block = PyTuple_GET_ITEM(answer, 1), *body = PyTuple_GET_ITEM(answer, 2);
    size_t total = (size_t)PyBytes_GET_SIZE(block) + (size_t)PyBytes_GET_SIZE(body);
    if (total > lane->max_response) {
        PyObject *measured = PyLong_FromSize_t(total);
        int result = measured ? unusual(lane, conn, "too_large", measured, raw, size) : -1;
        Py_XDECREF(measured);
        return result;
    }
    PyObject *line = status_line(lane, status);
    if (line == NULL)
        return -1;
    char generated[48];
    Span id = {NULL, 0};
    if (req->request_id.at != NULL || lane->access != Py_None)
        id = request_id(lane, req, generated, sizeof generated);
    int keep_alive = req->keep_alive && !lane->draining;
    if (append_response(&conn->out, PyBytes_AS_STRING(line), (size_t)PyBytes_GET_SIZE(line), status,
                        PyBytes_AS_STRING(block), (size_t)PyBytes_GET_SIZE(block),
                        req->request_id.at != NULL ? &id : NULL, PyBytes_AS_STRING(body),
                        (size_t)PyBytes_GET_SIZE(body), keep_alive, req->head_request) < 0) {
        PyErr_NoMemory();
        return -1;
    }
    if (!keep_alive)
        conn->closing = 1;
    if (lane->metrics)
        record(lane, status, wall);
    if (lane->access != Py_None)
        log_access(lane, req, id, status, (size_t)PyBytes_GET_SIZE(body), wall);
    return DONE;
}

/* begin(request_id): host modules read the running request's id and deadline. */
static int bind_request_id(Lane *lane, const PlainRequest *req)
{
    char generated[48];
    Span id = request_id(lane, req, generated, sizeof generated);
    PyObject *out = PyObject_CallFunction(lane->begin, "s#", id.at, (Py_ssize_t)id.len);
    Py_XDECREF(out);
    return out == NULL ? -1 : 0;
}

/* Run one plain request in the handler: DONE (answered), ROUTE (Python runs it), or -1. */
static int run_js(Lane *lane, Conn *conn, const PlainRequest *req, const char *raw, size_t size)
{
    Runtime *runtime = lane->runtime;
    if (!usable(runtime) || headers_wire(lane, req) < 0) {
        PyErr_Clear();
        return ROUTE;
    }
    JSContext *ctx = runtime->ctx;
    JSValue argv[5];
    argv[0] = JS_NewString(ctx, llhttp_method_name(req->method));
    argv[1] = JS_NewStringLen(ctx, req->url.at, req->url.len);
    argv[2] = JS_NewStringLen(ctx, lane->scratch.data ? lane->scratch.data : "", lane->scratch.len);
    argv[3] = req->body.len ? JS_NewArrayBufferCopy(ctx, (const uint8_t *)req->body.at, req->body.len) : JS_NULL;
    argv[4] = JS_NewString(ctx, lane->origin ? lane->origin : "");
    for (int i = 0; i < 5; i++) {
        if (JS_IsException(argv[i])) { /* the memory ceiling: Python's path answers it */
            for (int j = 0; j < 5; j++)
                JS_FreeValue(ctx, argv[j]);
            JS_FreeValue(ctx, JS_GetException(ctx));
            return ROUTE;
        }
    }
    Py_INCREF(runtime); /* a callback below may replace the lane's runtime */
    int binds = lane->binds;
    if (binds && bind_request_id(lane, req) < 0) {
        for (int j = 0; j < 5; j++)
            JS_FreeValue(ctx, argv[j]);
        Py_DECREF(runtime);
        return -1;
    }
    int64_t started = monotonic_ns();
    if (started - lane->wall_mark > MARK_STALE_NS) {
        mark_cpu(lane);
        started = lane->wall_mark;
    }
    PyObject *answer = dispatch_call(runtime, argv, lane->timeout);
    int64_t wall = monotonic_ns() - started, cpu = run_cpu_ns(lane, started, wall);
    int result;
    if (answer == NULL) {
        if (!PyErr_ExceptionMatches(FaultError)) {
            Py_DECREF(runtime);
            return -1;
        }
        PyObject *type, *value, *trace;
        PyErr_Fetch(&type, &value, &trace); /* (no callback may run with it set) */
        PyErr_NormalizeException(&type, &value, &trace);
        note_run(lane, req, wall, cpu);
        result = unusual(lane, conn, "fault", value, raw, size); /* it settles or replaces */
        Py_XDECREF(type);
        Py_XDECREF(value);
        Py_XDECREF(trace);
    } else if (PyTuple_GET_SIZE(answer) == 4) {
        note_run(lane, req, wall, cpu);
        result = unusual(lane, conn, "stream", Py_None, raw, size);
    } else {
        note_run(lane, req, wall, cpu);
        after_call(lane, runtime);
        result = append_answer(lane, conn, req, answer, wall, raw, size);
    }
    Py_XDECREF(answer);
    Py_DECREF(runtime);
    if (binds) {
        PyObject *out = PyObject_CallNoArgs(lane->end);
        if (out == NULL)
            report_bug("end");
        Py_XDECREF(out);
    }
    return result;
}

static int fast_path(Lane *lane, const PlainRequest *req)
{
    if (lane->runtime == NULL)
        return 0;
    size_t prefix = sizeof INTERNAL_PREFIX - 1;
    if (lane->internal && req->url.len >= prefix && memcmp(req->url.at, INTERNAL_PREFIX, prefix) == 0)
        return 0;
    if (lane->demoted == NULL || PySet_GET_SIZE(lane->demoted) == 0)
        return 1;
    size_t path = 0;
    while (path < req->url.len && req->url.at[path] != '?')
        path++;
    PyObject *key = PyUnicode_DecodeASCII(req->url.at, (Py_ssize_t)path, NULL);
    int demoted = key ? PySet_Contains(lane->demoted, key) : -1;
    Py_XDECREF(key);
    if (demoted < 0)
        PyErr_Clear();
    return demoted == 0;
}

/* ---- a connection's turn ------------------------------------------------------------ */

/* Answer what the connection has buffered, in order. 0: it lives on (answers in `out`),
 * -1: it is gone (handed over or closed). */
static int serve(Lane *lane, Conn *conn)
{
    size_t pos = 0;
    while (!conn->busy && !conn->closing && pos < conn->in.len && !lane->yield) {
        PlainRequest req;
        size_t used = 0;
        const char *raw = conn->in.data + pos;
        int kind = parse_plain(raw, conn->in.len - pos, lane->max_body, lane->max_head, &req, &used);
        if (kind == PARSE_HANDOVER) {
            handover(lane, conn, pos);
            return -1;
        }
        int result = ROUTE;
        if (kind == PARSE_PLAIN && fast_path(lane, &req))
            result = run_js(lane, conn, &req, raw, used);
        if (result == ROUTE)
            result = ask_python(lane, conn, raw, used, pos);
        if (result == HANDED)
            return -1;
        if (result < 0) { /* a bug: 500 and close, as the Python server's safety net does */
            static const char failure[] = "HTTP/1.1 500 Internal Server Error\r\ncontent-type: text/plain; "
                                          "charset=utf-8\r\ncontent-length: 21\r\nconnection: close\r\n\r\n"
                                          "Internal Server Error";
            buffer_append(&conn->out, failure, sizeof failure - 1);
            conn->closing = 1;
        }
        if (result == BUSY)
            conn->busy = 1;
        pos += used;
        conn->first = 0;
    }
    buffer_consume(&conn->in, pos);
    if (lane->yield && conn->in.len > 0 && !conn->busy && !conn->closing) {
        queue(lane, conn); /* after a slow run the loop turns first (runtime.lanes) */
        return 0;
    }
    if (conn->eof && !conn->busy)
        conn->closing = 1; /* the peer is done sending: what it sent is answered */
    return 0;
}

/* An idle connection holds no large buffer (a big upload or answer grew it once). */
static void trim(Conn *conn)
{
    if (conn->in.len == 0 && conn->in.cap > 16384)
        buffer_free(&conn->in);
    if (conn->out.len == 0 && conn->out.cap > 65536)
        buffer_free(&conn->out);
}

/* Write what is queued. 0: all out (or waiting on Python), -1: the connection is gone. */
static int write_out(Lane *lane, Conn *conn)
{
    while (conn->out.len > 0) {
        ssize_t n = send(conn->fd, conn->out.data, conn->out.len, MSG_NOSIGNAL);
        if (n > 0) {
            buffer_consume(&conn->out, (size_t)n);
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            if (conn->busy)
                return 0; /* written when Python's answer comes (complete) */
            handover(lane, conn, 0); /* the peer reads slowly: uvloop's transport buffers */
            return -1;
        }
        close_conn(lane, conn); /* reset by the peer */
        return -1;
    }
    conn->idle_since = monotonic_ns();
    trim(conn);
    if (conn->closing && !conn->busy) {
        close_conn(lane, conn);
        return -1;
    }
    return 0;
}

/* ---- the Python methods ------------------------------------------------------------- */

/* accept(listen_fd) -> list of new descriptors (non-blocking, TCP_NODELAY) to register. */
static PyObject *lane_accept(Lane *lane, PyObject *arg)
{
    int listen_fd = (int)PyLong_AsLong(arg);
    if (listen_fd == -1 && PyErr_Occurred())
        return NULL;
    PyObject *fds = PyList_New(0);
    for (int i = 0; fds != NULL && i < 128; i++) {
        int fd = accept4(listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED)
                continue;
            break; /* EAGAIN, or EMFILE and the like: the loop calls again */
        }
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        PyObject *number = PyLong_FromLong(fd);
        if (add_conn(lane, fd) == NULL || number == NULL || PyList_Append(fds, number) < 0) {
            Py_XDECREF(number);
            close(fd);
            Py_CLEAR(fds);
            return PyErr_NoMemory();
        }
        Py_DECREF(number);
    }
    return fds;
}

/* readable(fd): the loop says fd has bytes (or EOF): read them, queue the connection. */
static PyObject *lane_readable(Lane *lane, PyObject *arg)
{
    Conn *conn = find(lane, (int)PyLong_AsLong(arg));
    if (conn == NULL) {
        PyErr_Clear();
        Py_RETURN_NONE;
    }
    ssize_t n;
    do /* into the lane's buffer: a connection keeps only what it has not answered yet */
        n = read(conn->fd, lane->readbuf, READ_SIZE);
    while (n < 0 && errno == EINTR);
    if (n > 0) {
        if (buffer_append(&conn->in, lane->readbuf, (size_t)n) < 0)
            return PyErr_NoMemory();
    } else if (n == 0)
        conn->eof = 1;
    else if (errno != EAGAIN && errno != EWOULDBLOCK) {
        close_conn(lane, conn);
        Py_RETURN_NONE;
    }
    if (n == 0 && conn->in.len == 0 && !conn->busy && !conn->queued) {
        close_conn(lane, conn); /* a quiet close between requests */
        Py_RETURN_NONE;
    }
    if (n != 0 || conn->eof)
        queue(lane, conn);
    Py_RETURN_NONE;
}

/* flush(): this iteration's batch: every queued connection's requests, then the writes. */
static PyObject *lane_flush(Lane *lane, PyObject *unused)
{
    Conn *ran[MAX_BATCH];
    int count = 0;
    lane->yield = 0;
    while (lane->batch_head != NULL && count < MAX_BATCH && !lane->yield) {
        Conn *conn = lane->batch_head;
        lane->batch_head = conn->next;
        if (lane->batch_head == NULL)
            lane->batch_tail = NULL;
        conn->queued = 0;
        if (serve(lane, conn) == 0)
            ran[count++] = conn;
    }
    for (int i = 0; i < count; i++) {
        /* (a connection handed over or closed in phase 1 is not in `ran`) */
        write_out(lane, ran[i]);
    }
    if (lane->executions > 0) {
        PyObject *metrics = take_metrics(lane);
        PyObject *out = metrics ? PyObject_CallFunction(lane->tally, "KddO", lane->executions, lane->exec_total,
                                                        lane->exec_max, metrics) : NULL;
        if (out == NULL)
            report_bug("tally");
        Py_XDECREF(out);
        Py_XDECREF(metrics);
        lane->executions = 0;
        lane->exec_total = lane->exec_max = 0;
    }
    if (lane->batch_head != NULL) {
        PyObject *out = PyObject_CallNoArgs(lane->schedule);
        if (out == NULL)
            report_bug("schedule");
        Py_XDECREF(out);
    }
    Py_RETURN_NONE;
}

/* complete(fd, data, keep_alive) -> bool: Python's answer to the request it took; True when
 * the connection is still the lane's (the caller registers its reader again). */
static PyObject *lane_complete(Lane *lane, PyObject *args)
{
    int fd, keep_alive;
    const char *data;
    Py_ssize_t size;
    if (!PyArg_ParseTuple(args, "iy#p", &fd, &data, &size, &keep_alive))
        return NULL;
    Conn *conn = find(lane, fd);
    if (conn == NULL || !conn->busy)
        Py_RETURN_FALSE;
    conn->busy = 0;
    lane->yield = 0;
    if (buffer_append(&conn->out, data, (size_t)size) < 0)
        return PyErr_NoMemory();
    if (!keep_alive || lane->draining)
        conn->closing = 1;
    if (serve(lane, conn) < 0 || write_out(lane, conn) < 0)
        Py_RETURN_FALSE;
    if (conn->busy)
        Py_RETURN_FALSE; /* Python took the next request too: it registers the reader later */
    Py_RETURN_TRUE;
}

/* detach(fd) -> (unsent, rest, first): the connection Python took a request of is Python's
 * (its answer is streamed). Its reader is already unregistered. */
static PyObject *lane_detach(Lane *lane, PyObject *arg)
{
    Conn *conn = find(lane, (int)PyLong_AsLong(arg));
    if (conn == NULL) {
        PyErr_Clear();
        Py_RETURN_NONE;
    }
    PyObject *out = Py_BuildValue("y#y#O", conn->out.data, (Py_ssize_t)conn->out.len, conn->in.data,
                                  (Py_ssize_t)conn->in.len, conn->first ? Py_True : Py_False);
    if (out != NULL)
        free_conn(lane, conn);
    return out;
}

static int idle(const Conn *conn)
{
    return !conn->busy && !conn->queued && conn->in.len == 0 && conn->out.len == 0;
}

/* sweep(keepalive_timeout): close connections idle for longer (silently, as Python does). */
static PyObject *lane_sweep(Lane *lane, PyObject *arg)
{
    double timeout = PyFloat_AsDouble(arg);
    if (timeout == -1.0 && PyErr_Occurred())
        return NULL;
    int64_t before = monotonic_ns() - (int64_t)(timeout * 1e9);
    for (int fd = 0; fd < lane->conns_cap; fd++) {
        Conn *conn = lane->conns[fd];
        if (conn != NULL && idle(conn) && (lane->draining || conn->idle_since < before))
            close_conn(lane, conn);
    }
    Py_RETURN_NONE;
}

/* drain(): answers from now on close their connection; idle connections close now. */
static PyObject *lane_drain(Lane *lane, PyObject *unused)
{
    lane->draining = 1;
    PyObject *zero = PyFloat_FromDouble(0.0);
    PyObject *out = zero ? lane_sweep(lane, zero) : NULL;
    Py_XDECREF(zero);
    return out;
}

/* set_runtime(runtime | None, timeout, settle_budget, demoted: set | None, origin, binds=False,
 * internal=False, buckets=None): whether
 * and with what the lane runs plain requests itself (server/lane.py decides: LaneHost.sync). */
static PyObject *lane_set_runtime(Lane *lane, PyObject *args)
{
    PyObject *runtime, *demoted;
    double timeout, budget;
    const char *origin;
    int binds = 0, internal = 0;
    PyObject *buckets = Py_None;
    if (!PyArg_ParseTuple(args, "OddOs|ppO", &runtime, &timeout, &budget, &demoted, &origin, &binds, &internal,
                          &buckets))
        return NULL;
    if (buckets != Py_None && (!PyTuple_Check(buckets) || PyTuple_GET_SIZE(buckets) > MAX_BUCKETS)) {
        PyErr_SetString(PyExc_TypeError, "set_runtime: buckets is a tuple of at most 32 bounds, or None");
        return NULL;
    }
    if (runtime != Py_None && !PyObject_TypeCheck(runtime, &RuntimeType)) {
        PyErr_SetString(PyExc_TypeError, "set_runtime: a Runtime or None");
        return NULL;
    }
    if (demoted != Py_None && !PySet_Check(demoted)) {
        PyErr_SetString(PyExc_TypeError, "set_runtime: demoted is a set or None");
        return NULL;
    }
    char *copy = PyMem_Malloc(strlen(origin) + 1);
    if (copy == NULL)
        return PyErr_NoMemory();
    strcpy(copy, origin);
    PyMem_Free(lane->origin);
    lane->origin = copy;
    Py_XSETREF(lane->runtime, runtime == Py_None ? NULL : (Runtime *)Py_NewRef(runtime));
    Py_XSETREF(lane->demoted, demoted == Py_None ? NULL : Py_NewRef(demoted));
    lane->timeout = timeout;
    lane->settle_budget = budget;
    lane->binds = binds;
    lane->internal = internal;
    if (lane->executions == 0) { /* (else the batch's counts are still to be handed over) */
        lane->metrics = buckets != Py_None;
        lane->bucket_count = lane->metrics ? (int)PyTuple_GET_SIZE(buckets) : 0;
        for (int i = 0; i < lane->bucket_count; i++)
            lane->buckets[i] = PyFloat_AsDouble(PyTuple_GET_ITEM(buckets, i));
    }
    if (PyErr_Occurred())
        return NULL;
    Py_RETURN_NONE;
}

/* next_id() -> int: request ids are shared with the Python path (Dispatcher.request_id). */
static PyObject *lane_next_id(Lane *lane, PyObject *unused)
{
    return PyLong_FromUnsignedLongLong(++lane->next_id);
}

static PyObject *lane_get_count(Lane *lane, void *unused)
{
    return PyLong_FromLong(lane->count);
}

static PyObject *lane_get_fast(Lane *lane, void *unused)
{
    return PyBool_FromLong(lane->runtime != NULL);
}

/* ---- the type ----------------------------------------------------------------------- */

static const char *CALLBACKS[] = {"on_request", "on_unusual", "on_handover", "on_replace",
                                  "on_slow",    "tally",      "forget",      "schedule",
                                  "access",     "status_line", "begin",      "end"};

static PyObject **callback_slot(Lane *lane, int i)
{
    PyObject **slots[] = {&lane->on_request, &lane->on_unusual,  &lane->on_handover, &lane->on_replace,
                          &lane->on_slow,    &lane->tally,       &lane->forget,      &lane->schedule,
                          &lane->access,     &lane->status_line, &lane->begin,       &lane->end};
    return slots[i];
}

/* Lane(host, max_body, max_head, max_response, worker[, ids_issued]): `host` has the callbacks above. */
static int lane_init(Lane *lane, PyObject *args, PyObject *kwargs)
{
    PyObject *host;
    Py_ssize_t max_body, max_head, max_response;
    /* ids_issued: the worker's request ids so far (its fast start's): this lane goes on from
       there, so no id repeats within a worker. */
    unsigned long long ids_issued = 0;
    if (!PyArg_ParseTuple(args, "Onnni|K", &host, &max_body, &max_head, &max_response, &lane->worker,
                          &ids_issued))
        return -1;
    lane->next_id = ids_issued;
    lane->max_body = (size_t)max_body;
    lane->max_head = (size_t)max_head;
    lane->max_response = (size_t)max_response;
    for (int i = 0; i < (int)(sizeof CALLBACKS / sizeof *CALLBACKS); i++) {
        PyObject *callback = PyObject_GetAttrString(host, CALLBACKS[i]);
        if (callback == NULL)
            return -1;
        Py_XSETREF(*callback_slot(lane, i), callback);
    }
    return 0;
}

static int lane_traverse(Lane *lane, visitproc visit, void *arg)
{
    for (int i = 0; i < (int)(sizeof CALLBACKS / sizeof *CALLBACKS); i++)
        Py_VISIT(*callback_slot(lane, i));
    Py_VISIT(lane->runtime);
    Py_VISIT(lane->demoted);
    return 0;
}

static int lane_clear(Lane *lane)
{
    for (int i = 0; i < (int)(sizeof CALLBACKS / sizeof *CALLBACKS); i++)
        Py_CLEAR(*callback_slot(lane, i));
    Py_CLEAR(lane->runtime);
    Py_CLEAR(lane->demoted);
    return 0;
}

static void lane_dealloc(Lane *lane)
{
    PyObject_GC_UnTrack(lane);
    lane_clear(lane);
    for (int fd = 0; fd < lane->conns_cap; fd++)
        if (lane->conns[fd] != NULL) {
            close(fd);
            free_conn(lane, lane->conns[fd]);
        }
    PyMem_Free(lane->conns);
    for (int i = 0; i < 600; i++)
        Py_XDECREF(lane->status_lines[i]);
    buffer_free(&lane->scratch);
    PyMem_Free(lane->origin);
    Py_TYPE(lane)->tp_free((PyObject *)lane);
}

static PyMethodDef lane_methods[] = {
    {"accept", (PyCFunction)lane_accept, METH_O, "accept(listen_fd) -> [fd]: new connections, to register"},
    {"readable", (PyCFunction)lane_readable, METH_O, "readable(fd): read what arrived, queue the connection"},
    {"flush", (PyCFunction)lane_flush, METH_NOARGS, "flush(): answer the batch, then write"},
    {"complete", (PyCFunction)lane_complete, METH_VARARGS, "complete(fd, data, keep_alive) -> still the lane's"},
    {"detach", (PyCFunction)lane_detach, METH_O, "detach(fd) -> (unsent, rest, first): Python's now"},
    {"sweep", (PyCFunction)lane_sweep, METH_O, "sweep(keepalive_timeout): close idle connections"},
    {"drain", (PyCFunction)lane_drain, METH_NOARGS, "drain(): close idle connections, the rest after answers"},
    {"set_runtime", (PyCFunction)lane_set_runtime, METH_VARARGS,
     "set_runtime(runtime | None, timeout, settle_budget, demoted | None, origin, binds=False, internal=False, "
     "buckets=None)"},
    {"next_id", (PyCFunction)lane_next_id, METH_NOARGS, "next_id() -> int"},
    {NULL, NULL, 0, NULL},
};

static PyGetSetDef lane_getset[] = {
    {"count", (getter)lane_get_count, NULL, "connections the lane holds", NULL},
    {"fast", (getter)lane_get_fast, NULL, "the lane runs plain requests itself", NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

PyTypeObject LaneType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "zigttp.runtime._engine.Lane",
    .tp_basicsize = sizeof(Lane),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .tp_doc = "The plain-request lane: read -> parse -> call -> write in C (server/lane.py).",
    .tp_new = PyType_GenericNew,
    .tp_init = (initproc)lane_init,
    .tp_dealloc = (destructor)lane_dealloc,
    .tp_traverse = (traverseproc)lane_traverse,
    .tp_clear = (inquiry)lane_clear,
    .tp_methods = lane_methods,
    .tp_getset = lane_getset,
};

/* parse_request(data, max_body, max_head) -> (verdict, consumed, method, url, headers, body,
 * keep_alive): the lane's parser alone. protocol.RequestReader reads a whole plain request
 * with it (one call instead of httptools' callbacks); the differential fuzzes hold it to
 * httptools (tests/fuzz/test_lane_parse_fuzz.py, test_protocol_fuzz.py). verdict: "plain",
 * "python" or "handover". */
PyObject *lane_parse_request(PyObject *module, PyObject *args)
{
    const char *data;
    Py_ssize_t size, max_body, max_head;
    if (!PyArg_ParseTuple(args, "y#nn", &data, &size, &max_body, &max_head))
        return NULL;
    PlainRequest req;
    size_t used = 0;
    int kind = parse_plain(data, (size_t)size, (size_t)max_body, (size_t)max_head, &req, &used);
    if (kind == PARSE_HANDOVER)
        return Py_BuildValue("(sn)", "handover", (Py_ssize_t)0);
    PyObject *headers = PyList_New(0);
    for (int i = 0; headers != NULL && i < req.count && kind == PARSE_PLAIN; i++) {
        PyObject *pair = Py_BuildValue("(s#s#)", req.names[i].at, (Py_ssize_t)req.names[i].len,
                                       req.values[i].at ? req.values[i].at : "", (Py_ssize_t)req.values[i].len);
        if (pair == NULL || PyList_Append(headers, pair) < 0)
            Py_CLEAR(headers);
        Py_XDECREF(pair);
    }
    if (headers == NULL)
        return NULL;
    return Py_BuildValue("(snss#Ny#O)", kind == PARSE_PLAIN ? "plain" : "python", (Py_ssize_t)used,
                         llhttp_method_name(req.method), req.url.at ? req.url.at : "", (Py_ssize_t)req.url.len,
                         headers, req.body.at ? req.body.at : "", (Py_ssize_t)req.body.len,
                         req.keep_alive ? Py_True : Py_False);
}
