# Sourced by the style checks: lists the project's C files (tracked by git,
# so a moved or new folder is never silently left out; a tree without git
# falls back to find). Prints paths relative to the source root, one a line.
c_sources() {
    if git -C "$1" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
        git -C "$1" ls-files '*.c' '*.h'
    else
        (cd "$1" && find sim include tests -name '*.[ch]' | sort)
    fi
}
