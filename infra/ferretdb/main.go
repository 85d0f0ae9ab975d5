// Command ferretdb runs FerretDB v1 embedded, with the PostgreSQL backend, for HRP's local infra.
// Embedding avoids the version.txt panic of `go install .../cmd/ferretdb` (FerretDB#2982).
//
// Why PostgreSQL and not SQLite: FerretDB 1.24's SQLite backend answers every query, even an
// `_id` equality, by scanning the collection (an event-store read was O(position)), where the
// PostgreSQL backend uses indexes: measured 613 ms vs 7.7 ms per stream read at 20k commits.
package main

import (
	"context"
	"flag"
	"log"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:27017", "TCP address to listen on")
	postgresURL := flag.String("postgresql-url", "postgres://postgres@127.0.0.1:5433/postgres", "PostgreSQL URL")
	flag.Parse()

	f, err := ferretdb.New(&ferretdb.Config{
		Listener:      ferretdb.ListenerConfig{TCP: *listen},
		Handler:       "postgresql",
		PostgreSQLURL: *postgresURL,
		Logger:        slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})),
	})
	if err != nil {
		log.Fatal(err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	log.Printf("ferretdb listening on %s (postgresql backend)", *listen)
	f.Run(ctx)
}
