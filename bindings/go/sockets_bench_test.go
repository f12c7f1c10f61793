// SPDX-License-Identifier: MIT

package loopback

import (
	"syscall"
	"testing"
)

// The in-process cost of listing every socket with owners, as
// bench/bench-python-sockets.py runs it on a busy host beside psutil:
//
//	go test -c -o sockets.test && ./sockets.test -test.run '^$' -test.bench Sockets -test.benchtime 5x
//
// BenchmarkSockets reports sockets/op too, so a quiet host is visible.
func BenchmarkSockets(b *testing.B) {
	benchSockets(b, &Query{})
}

// BenchmarkSocketsNoOwners lists without looking for owners.
func BenchmarkSocketsNoOwners(b *testing.B) {
	benchSockets(b, &Query{Owners: OwnersNone})
}

func benchSockets(b *testing.B, q *Query) {
	n := 0
	cpu0 := cpuTime()
	for i := 0; i < b.N; i++ {
		l, err := Sockets(q)
		if err != nil {
			b.Fatal(err)
		}
		n = len(l.Sockets)
	}
	b.ReportMetric((cpuTime()-cpu0)/float64(b.N), "cpu-ms/op")
	b.ReportMetric(float64(n), "sockets/op")
}

// cpuTime is the user + system time of the process so far, in ms: on a
// loaded machine steadier than the wall clock.
func cpuTime() float64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e6
}
