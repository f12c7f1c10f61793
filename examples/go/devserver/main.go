// SPDX-License-Identifier: MIT

// Command devserver is a small development server that picks its port
// with libloopback: a free port outside the kernel's ephemeral range,
// leased so no other libloopback user on this host is given it while the
// server runs, and already bound and listening when the server gets it
// (no window in which anybody else could take it).
//
//	$ devserver
//	serving on http://127.0.0.1:28417/
//
// The first line printed is always the URL. -requests N stops after N
// requests (for scripts and tests); -first/-last pick from your own range.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"net/netip"
	"os"
	"sync"

	"libloopback.invalid/loopback"
)

// handler answers every request with who serves it.
func handler(port uint16, done func()) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		holders, err := loopback.LeaseHolders(port, loopback.TCP)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]interface{}{
			"port": port, "pid": os.Getpid(), "path": r.URL.Path, "lease_holders": holders,
		})
		done()
	})
}

// serve serves HTTP on ln until it is closed, or until n requests have
// been answered (n > 0).
func serve(ln *loopback.LeasedListener, n int) error {
	port := uint16(ln.Addr().(*net.TCPAddr).Port)
	var (
		mu       sync.Mutex
		count    int
		srv      http.Server
		shutdown = make(chan error, 1)
	)
	srv.Handler = handler(port, func() {
		mu.Lock()
		defer mu.Unlock()
		if count++; n > 0 && count == n {
			// Shutdown waits for this response to be written.
			go func() { shutdown <- srv.Shutdown(context.Background()) }()
		}
	})
	if err := srv.Serve(ln); err != http.ErrServerClosed {
		return err
	}
	return <-shutdown
}

func main() {
	requests := flag.Int("requests", 0, "stop after N requests (0: serve until killed)")
	first := flag.Uint("first", 0, "first port of your own range")
	last := flag.Uint("last", 0, "last port of your own range")
	flag.Parse()
	if *first > 65535 || *last > 65535 {
		log.Fatal("devserver: -first/-last out of range")
	}
	ln, err := loopback.Listen(&loopback.PickOptions{First: uint16(*first), Last: uint16(*last)},
		netip.Addr{})
	if err != nil {
		log.Fatalf("devserver: %v", err)
	}
	defer ln.Close()
	fmt.Printf("serving on http://%s/\n", ln.Addr())
	if err := serve(ln, *requests); err != nil {
		log.Fatalf("devserver: %v", err)
	}
}
