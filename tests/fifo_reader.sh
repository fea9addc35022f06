# Sourced by tests that write into a FIFO with a reader at its other end. On a loaded machine
# the reader can take seconds to start, longer than procbench's wait for one (3 s), and a run
# that gave up leaves the reader blocked in open() for ever: `wait` would hang the test.
#   fifo_reader FIFO OUT   start `cat FIFO >OUT` and wait (up to 10 s) until it runs cat
#   fifo_reader_end OK     OK=1: wait for the reader to drain; else end it (never a hang)
fifo_reader() {
	cat "$1" >"$2" &
	fifo_reader_pid=$!
	for _ in $(seq 200); do
		[ "$(tr '\0' ' ' </proc/$fifo_reader_pid/cmdline 2>/dev/null)" = "cat $1 " ] && return 0
		sleep 0.05
	done
}
fifo_reader_end() {
	[ "$1" = 1 ] || kill "$fifo_reader_pid" 2>/dev/null
	wait "$fifo_reader_pid" 2>/dev/null
}
