/* The builtin-integrity check after every request, in C (SECURITY.md, "Carry prototype
 * pollution from one request to the next").
 *
 * seal() runs the prelude's snapshot(), which makes the shared prototypes non-extensible and
 * answers the watched builtins as a flat list [object, key, object, key, ...] (the objects
 * captured when the prelude loaded, never handler values). The own property descriptor of
 * each (object, key) is recorded here; after each request every one is compared with its
 * record: the same kind (data or accessor), the same value, getter and setter (===). A
 * request that replaced, deleted or turned one into an accessor taints the runtime, which
 * the host replaces before its next request.
 *
 * Why C: the JS check (a function compiled per context comparing `o.push === v...`) was one
 * more call into JS per request (~8 k instructions of a ~55 k /api/health request); reading
 * own properties (JS_PeekOwnProperty, engine patch 8: no reference taken) runs no handler code
 * at all (no getter is called, where `o.push` would call one a request had put there), so it
 * needs no deadline and no GIL hand-off: ~1.5 k instructions for the 30 names.
 */
#include "engine.h"

struct Watched {
    JSValue object;
    JSAtom key;
    int found; /* 0: the key was not an own property at seal() */
    JSPropertyDescriptor desc;
};

static void free_desc(JSContext *ctx, JSPropertyDescriptor *desc)
{
    JS_FreeValue(ctx, desc->value);
    JS_FreeValue(ctx, desc->getter);
    JS_FreeValue(ctx, desc->setter);
}

void integrity_free(Runtime *self)
{
    for (int i = 0; i < self->watched_count; i++) {
        struct Watched *w = &self->watched[i];
        JS_FreeValue(self->ctx, w->object);
        JS_FreeAtom(self->ctx, w->key);
        if (w->found)
            free_desc(self->ctx, &w->desc);
    }
    PyMem_Free(self->watched);
    PyMem_Free(self->recorded);
    self->watched = NULL;
    self->recorded = NULL;
    self->watched_count = 0;
}

/* 0, or -1 with the engine's exception pending (an exotic object's own-property hook). */
static int own_descriptor(JSContext *ctx, JSValueConst object, JSAtom key, JSPropertyDescriptor *desc, int *found)
{
    int got = JS_GetOwnProperty(ctx, desc, object, key);
    if (got < 0)
        return -1;
    *found = got > 0;
    return 0;
}

/* Record the watched list snapshot() answered. 1 recorded; 0 when `list` is not an array
 * (a stand-in prelude: the host then asks its intact() instead); -1 with an exception. */
int integrity_snapshot(Runtime *self, JSValueConst list)
{
    JSContext *ctx = self->ctx;
    int64_t length;
    if (!JS_IsArray(list))
        return 0;
    if (JS_GetLength(ctx, list, &length) < 0)
        return -1;
    integrity_free(self);
    int count = (int)(length / 2);
    self->watched = PyMem_Calloc(count > 0 ? (size_t)count : 1, sizeof(struct Watched));
    self->recorded = PyMem_Calloc(count > 0 ? (size_t)count : 1, sizeof(JSRecordedProperty));
    if (self->watched == NULL || self->recorded == NULL) {
        JS_ThrowOutOfMemory(ctx);
        return -1;
    }
    for (int i = 0; i < count; i++) {
        JSValue object = JS_GetPropertyUint32(ctx, list, (uint32_t)(2 * i));
        JSValue key = JS_GetPropertyUint32(ctx, list, (uint32_t)(2 * i + 1));
        JSAtom atom = JS_IsObject(object) ? JS_ValueToAtom(ctx, key) : JS_ATOM_NULL;
        JS_FreeValue(ctx, key);
        struct Watched *w = &self->watched[self->watched_count];
        if (atom == JS_ATOM_NULL || own_descriptor(ctx, object, atom, &w->desc, &w->found) < 0) {
            if (atom != JS_ATOM_NULL)
                JS_FreeAtom(ctx, atom);
            JS_FreeValue(ctx, object);
            if (!JS_HasException(ctx))
                JS_ThrowTypeError(ctx, "internal: snapshot() answered a non-object to watch");
            return -1;
        }
        w->object = object;
        w->key = atom;
        /* the same, borrowed, for the engine's in-place check (JS_OwnPropertiesAre) */
        JSRecordedProperty *r = &self->recorded[self->watched_count];
        r->object = object;
        r->key = atom;
        r->getset = !w->found ? -1 : (w->desc.flags & JS_PROP_GETSET) != 0;
        r->value = w->found ? w->desc.value : JS_UNDEFINED;
        r->getter = w->found ? w->desc.getter : JS_UNDEFINED;
        r->setter = w->found ? w->desc.setter : JS_UNDEFINED;
        self->watched_count++;
    }
    return 1;
}

/* === without a call for the common case: the same object (or undefined) is the same tag
 * and pointer. */
static int same_value(JSContext *ctx, JSValueConst a, JSValueConst b)
{
    int tag = JS_VALUE_GET_TAG(a);
    if (tag != JS_VALUE_GET_TAG(b))
        return JS_IsStrictEqual(ctx, a, b); /* (an int and a float may still be ===) */
    if (tag == JS_TAG_OBJECT)
        return JS_VALUE_GET_PTR(a) == JS_VALUE_GET_PTR(b);
    return tag == JS_TAG_UNDEFINED || JS_IsStrictEqual(ctx, a, b);
}

static int same_descriptor(JSContext *ctx, const JSPropertyDescriptor *a, const JSPropertyDescriptor *b)
{
    if ((a->flags & JS_PROP_GETSET) != (b->flags & JS_PROP_GETSET))
        return 0;
    if (!(a->flags & JS_PROP_GETSET))
        return same_value(ctx, a->value, b->value);
    return same_value(ctx, a->getter, b->getter) && same_value(ctx, a->setter, b->setter);
}

/* One the engine's in-place check stopped at (JS_OwnPropertiesAre, engine patch 15: changed,
 * or it cannot say), compared as it is: JS_PeekOwnProperty (engine patch 8) takes no
 * reference; JS_GetOwnProperty where it cannot say either. */
static int still_same(JSContext *ctx, const struct Watched *w)
{
    JSPropertyDescriptor now;
    int found = JS_PeekOwnProperty(ctx, w->object, w->key, &now.flags, &now.value, &now.getter, &now.setter);
    if (found >= 0)
        return found == w->found && (!found || same_descriptor(ctx, &now, &w->desc));
    if (own_descriptor(ctx, w->object, w->key, &now, &found) < 0) {
        JS_FreeValue(ctx, JS_GetException(ctx));
        return 0;
    }
    int same = found == w->found && (!found || same_descriptor(ctx, &now, &w->desc));
    if (found)
        free_desc(ctx, &now);
    return same;
}

/* 1 when every watched builtin is as seal() recorded it, else 0; -1 when there is no
 * record (the caller asks the prelude's intact()). */
int integrity_check(Runtime *self)
{
    if (self->watched == NULL)
        return -1;
    int i = 0;
    for (;;) { /* the engine reads them in place (~10 instructions each) up to one it cannot vouch for */
        i += JS_OwnPropertiesAre(self->ctx, self->watched_count - i, self->recorded + i);
        if (i >= self->watched_count)
            return 1;
        if (!still_same(self->ctx, &self->watched[i]))
            return 0;
        i++;
    }
}
