#!/bin/sh
# Build function.zip for AWS Lambda: bootstrap + the handler BUILT by `zigttp build` (one
# verified artifact holding the whole module graph, so `./lib.js` imports come along and the
# cold start skips parsing) + zigttp and its dependencies (manylinux wheels for the Lambda
# architecture and Python version), vendored under python/.
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
#   * custom runtime: the `bootstrap` file runs `python -m zigttp lambda` (needs a Python
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
  "${PYTHON}" -m pip wheel --quiet --no-deps --wheel-dir "${STAGE}/wheels" "${ROOT}"
  "${PYTHON}" -m pip install --quiet --target "${STAGE}/task/python" \
    --platform "manylinux2014_${ARCH}" --implementation cp --python-version "${PYTHON_VERSION}" \
    --only-binary=:all: "${STAGE}"/wheels/zigttp-*.whl
fi
"${PYTHON}" -m zigttp build "${HANDLER}" -o "${STAGE}/task/${ARTIFACT}"
cp "${ROOT}/deploy/lambda/bootstrap" "${STAGE}/task/bootstrap"
chmod 755 "${STAGE}/task/bootstrap"
rm -f "${OUT}"
OUT_ABS="$(cd "$(dirname "${OUT}")" && pwd)/$(basename "${OUT}")"
(cd "${STAGE}/task" && "${PYTHON}" -m zipfile -c "${OUT_ABS}" .)
echo "wrote ${OUT} (handler ${ARTIFACT} built from ${NAME}, ${ARCH}, Python ${PYTHON_VERSION})"
