#!/bin/sh
# Install what the registry integration tests need: contrib/deps.sh holds the
# one list of packages (and stops the docker-registry package's own service).
set -eu
exec "$(dirname "$0")/../../contrib/deps.sh" test
