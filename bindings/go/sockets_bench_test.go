// SPDX-License-Identifier: MIT

package loopback

import "testing"

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
	for i := 0; i < b.N; i++ {
		l, err := Sockets(q)
		if err != nil {
			b.Fatal(err)
		}
		n = len(l.Sockets)
	}
	b.ReportMetric(float64(n), "sockets/op")
}
