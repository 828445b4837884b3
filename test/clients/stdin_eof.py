"""The test's signal to a long-running client script: its standard input closing."""
import sys
import threading


def stdin_closed():
    """An Event set once standard input reaches end of file (read on a daemon thread)."""
    closed = threading.Event()

    def wait_for_eof():
        sys.stdin.read()
        closed.set()

    threading.Thread(target=wait_for_eof, daemon=True).start()
    return closed
