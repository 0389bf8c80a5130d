check_built() {
    local WHAT="$1"
    [ -f "$DESTINATION/$WHAT" ] || { echo "missing: $WHAT" >&2; exit 1; }
}
check_built webapp/app.jar
