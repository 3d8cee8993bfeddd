# zigttp container image: one handler served by `zigttp serve` on $PORT.
#
#   docker build -t zigttp-app --build-arg APP=examples --build-arg HANDLER=hello.js .
#   docker run --rm -p 8080:8080 zigttp-app              # flags may follow: -m 64mb -n 4
#
# APP is the directory holding the handler and whatever it imports (copied to /app);
# HANDLER is the handler's file name inside it.
#
# Build stage: build the zigttp wheel (compiling its engine extension) and fetch dependency wheels.
FROM python:3.11-slim AS build
WORKDIR /src
# The engine extension (native/engine over vendor/quickjs-ng) is compiled here: the build
# stage has a C compiler, the final image does not (Debian's versions, not pinned).
# hadolint ignore=DL3008
RUN apt-get update && apt-get install -y --no-install-recommends gcc libc6-dev \
    && rm -rf /var/lib/apt/lists/*
COPY pyproject.toml setup.py README.md ./
COPY native ./native
COPY vendor ./vendor
COPY zigttp ./zigttp
RUN pip wheel --no-cache-dir --wheel-dir /wheels .

# Runtime stage: slim Python, no compilers, a non-root user.
FROM python:3.11-slim
ARG APP=examples
ARG HANDLER=hello.js
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PORT=8080 \
    ZIGTTP_HANDLER=/app/${HANDLER}
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir --no-index --find-links=/wheels /wheels/zigttp-*.whl \
    && rm -rf /wheels \
    && useradd --create-home --uid 10001 --shell /usr/sbin/nologin zigttp
WORKDIR /app
COPY --chown=root:root ${APP} /app
USER 10001
EXPOSE 8080
# /_zigttp/health answers 200 once the pool is warm (issue 6). Python is in the image; curl is not.
HEALTHCHECK --interval=10s --timeout=3s --start-period=15s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/_zigttp/health' % os.environ.get('PORT', '8080'), timeout=2)"]
# SIGTERM (docker stop, Kubernetes) makes zigttp stop accepting, finish in-flight requests
# (up to its drain deadline) and exit 0. The exec form keeps zigttp as PID 1 so it gets the signal.
STOPSIGNAL SIGTERM
ENTRYPOINT ["zigttp", "serve", "--host", "0.0.0.0"]
