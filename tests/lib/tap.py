"""TAP output and tcsim runs, shared by the Python test scripts under tests/.

A script finds this module from its own location:

    sys.dont_write_bytecode = True  # no __pycache__ in the source tree
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
    import tap

It checks with tap.ok(cond, what, detail), which prints "ok N - what" or
"not ok N - what" and, on failure, the detail as "# " comment lines;
tap.skip(what, reason) counts a check that cannot run here; tap.done()
prints the plan "1..N" last and returns the exit status (1 when a check
failed). run = tap.runner(tcsim) gives run(ARGS, **kw): subprocess.run of
tcsim ARGS with stdout and stderr captured as text.
"""
import subprocess

# Comment lines of detail shown under a failed check (None: all of them).
detail_lines = 20

_count = 0
_failed = False


def ok(cond, what, detail=""):
    """One numbered check; returns cond."""
    global _count, _failed
    _count += 1
    print(("ok %d - %s" if cond else "not ok %d - %s") % (_count, what))
    if not cond:
        _failed = True
        if isinstance(detail, (list, tuple)):
            lines = [str(x) for x in detail]
        else:
            lines = str(detail).splitlines()
        for line in lines[:detail_lines]:
            print("# " + line)
    return cond


def skip(what, reason):
    """A check that cannot run here: counts as passed, with the TAP SKIP directive."""
    global _count
    _count += 1
    print("ok %d - %s# SKIP %s" % (_count, what + " " if what else "", reason))


def done():
    """Prints the plan; the exit status for the script: 0 when every check passed."""
    print("1..%d" % _count)
    return 1 if _failed else 0


def runner(tcsim, **defaults):
    """A function run(args, **kw) that runs tcsim ARGS and captures its output as text."""

    def run(args, **kw):
        return subprocess.run([tcsim] + list(args), capture_output=True, text=True,
                              **dict(defaults, **kw))

    return run
