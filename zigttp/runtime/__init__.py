"""JS execution: the engine binding, the runtime pool, limits and request/response marshalling."""
