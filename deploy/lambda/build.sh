#!/bin/sh
# Build function.zip for AWS Lambda: bootstrap + the handler BUILT by `zigttp build` (one
# verified artifact holding the whole module graph, so `./lib.js` imports come along and the
# cold start skips parsing) + zigttp (its engine extension compiled on this machine, which must
# match the Lambda architecture and Python) and its dependencies (manylinux wheels for them),
# vendored under python/.
#
# The artifact is named after the handler (handler.js -> handler.pyz); the function's handler
# setting may stay `handler.js`: zigttp lambda loads the sibling handler.pyz when the source is
# absent. PYTHON must have zigttp installed (default: the repository's .venv, else python3).
# NO_DEPS=1 skips vendoring the wheels (a zip for an image or layer that provides zigttp).
#
#   deploy/lambda/build.sh HANDLER [OUT.zip]      e.g. deploy/lambda/build.sh examples/hello.js
#   ARCH=aarch64 PYTHON_VERSION=3.12 deploy/lambda/build.sh handler.js
#
# The zip serves either way (docs/deployment.md):
#   * custom runtime: the `bootstrap` file runs `zigttp lambda` with `python -c` (needs a Python
#     interpreter of PYTHON_VERSION in the execution environment);
#   * managed runtime python$PYTHON_VERSION: handler `zigttp.aws.python_handler.handler`,
#     env ZIGTTP_HANDLER=handler.js (python/ is on sys.path via PYTHONPATH=/var/task/python).
set -eu
HANDLER="${1:?usage: build.sh HANDLER [OUT.zip]}"
OUT="${2:-function.zip}"
ARCH="${ARCH:-x86_64}"
PYTHON_VERSION="${PYTHON_VERSION:-3.11}"
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
if [ -z "${PYTHON:-}" ]; then
  if [ -x "${ROOT}/.venv/bin/python" ]; then PYTHON="${ROOT}/.venv/bin/python"; else PYTHON=python3; fi
fi
STAGE="$(mktemp -d)"
trap 'rm -rf "${STAGE}"' EXIT

NAME="$(basename "${HANDLER}")"
ARTIFACT="${NAME%.*}.pyz"
mkdir -p "${STAGE}/task/python"
if [ "${NO_DEPS:-0}" != 1 ]; then
  # zigttp's engine extension is compiled here, for this machine's architecture, Python and
  # glibc: build where those match the Lambda runtime (e.g. inside its base image), or use
  # the container-image route (deploy/lambda/Dockerfile). Its dependencies come as manylinux
  # wheels for ARCH and PYTHON_VERSION.
  HERE="$("${PYTHON}" -c 'import platform, sys; print(platform.machine(), "%d.%d" % sys.version_info[:2])')"
  if [ "${HERE}" != "${ARCH} ${PYTHON_VERSION}" ]; then
    echo "build.sh: this machine builds the engine extension for ${HERE} (arch, Python), not ${ARCH} ${PYTHON_VERSION}: run it on a matching machine or image" >&2
    exit 2
  fi
  "${PYTHON}" -m pip wheel --quiet --no-deps --wheel-dir "${STAGE}/wheels" "${ROOT}"
  "${PYTHON}" -m pip install --quiet --no-deps --target "${STAGE}/task/python" "${STAGE}"/wheels/zigttp-*.whl
  DEPS="$("${PYTHON}" -c 'import sys, zipfile
w = zipfile.ZipFile(sys.argv[1]); meta = next(n for n in w.namelist() if n.endswith(".dist-info/METADATA"))
print(" ".join(l.split(":", 1)[1].split(";")[0].replace(" ", "") for l in w.read(meta).decode().splitlines()
               if l.startswith("Requires-Dist:") and "extra ==" not in l))' "${STAGE}"/wheels/zigttp-*.whl)"
  # shellcheck disable=SC2086  # one word per requirement
  "${PYTHON}" -m pip install --quiet --target "${STAGE}/task/python" \
    --platform "manylinux2014_${ARCH}" --implementation cp --python-version "${PYTHON_VERSION}" \
    --only-binary=:all: ${DEPS}
  # .pyc files that are never checked against their source's mtime (PEP 552 unchecked-hash):
  # a zip keeps 2-second DOS times and an unzip may not restore them at all, while a .pyc is
  # valid only for its source's exact mtime; /var/task is read-only, so each stale one would
  # be compiled again at every cold start (~20 ms for zigttp's own modules, measured).
  "${PYTHON}" -m compileall -q -f --invalidation-mode unchecked-hash "${STAGE}/task/python"
fi
"${PYTHON}" -m zigttp build "${HANDLER}" -o "${STAGE}/task/${ARTIFACT}"
cp "${ROOT}/deploy/lambda/bootstrap" "${STAGE}/task/bootstrap"
chmod 755 "${STAGE}/task/bootstrap"
rm -f "${OUT}"
OUT_ABS="$(cd "$(dirname "${OUT}")" && pwd)/$(basename "${OUT}")"
(cd "${STAGE}/task" && "${PYTHON}" -m zipfile -c "${OUT_ABS}" .)
echo "wrote ${OUT} (handler ${ARTIFACT} built from ${NAME}, ${ARCH}, Python ${PYTHON_VERSION})"
