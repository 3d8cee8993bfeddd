#!/bin/sh
# Build function.zip for AWS Lambda: bootstrap + handler + zigttp and its dependencies
# (manylinux wheels for the Lambda architecture and Python version), vendored under python/.
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
PYTHON="${PYTHON:-python3}"
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
STAGE="$(mktemp -d)"
trap 'rm -rf "${STAGE}"' EXIT

"${PYTHON}" -m pip wheel --quiet --no-deps --wheel-dir "${STAGE}/wheels" "${ROOT}"
"${PYTHON}" -m pip install --quiet --target "${STAGE}/task/python" \
  --platform "manylinux2014_${ARCH}" --implementation cp --python-version "${PYTHON_VERSION}" \
  --only-binary=:all: "${STAGE}"/wheels/zigttp-*.whl
cp "${ROOT}/deploy/lambda/bootstrap" "${STAGE}/task/bootstrap"
cp "${HANDLER}" "${STAGE}/task/$(basename "${HANDLER}")"
chmod 755 "${STAGE}/task/bootstrap"
rm -f "${OUT}"
OUT_ABS="$(cd "$(dirname "${OUT}")" && pwd)/$(basename "${OUT}")"
(cd "${STAGE}/task" && "${PYTHON}" -m zipfile -c "${OUT_ABS}" .)
echo "wrote ${OUT} (handler $(basename "${HANDLER}"), ${ARCH}, Python ${PYTHON_VERSION})"
