#!/bin/bash -e
# Builds the reactor and installs it under the destination.
BUILD_DIR="$1"
DESTINATION="$2"

for SCRIPT in /opt/app/build.d/*.sh; do
    source "$SCRIPT"
done
