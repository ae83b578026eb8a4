// Command durabletask-sidecar runs the Durable Task engine of github.com/microsoft/durabletask-go (pinned in
// go.mod) as a gRPC sidecar (TaskHubSidecarService) with a SQLite store, for this project's tests and local
// runner. It exists because the module's own main package starts its orchestration and activity workers
// with the library default of one work item at a time and cannot be told otherwise; this one takes the
// concurrency and the lock timeout as flags, and because the library's workers find new work only by polling
// their store (every 50 ms after work, growing by 1.05x to 5 s while idle), so a job's every step waited for
// the next poll; here a worker is woken as soon as a step the sidecar itself stored makes work for it (see
// wakingBackend), and polls as the library does for what no call announces (timers coming due, locks expiring).
// Everything else is the library's.
//
// It listens on --host:--port (port 0: a free port) and prints "listening on <host>:<port>" on stdout once
// the port accepts connections.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"net"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"google.golang.org/grpc"

	"github.com/microsoft/durabletask-go/backend"
	"github.com/microsoft/durabletask-go/backend/sqlite"
)

func main() {
	host := flag.String("host", "127.0.0.1", "address to listen on")
	port := flag.Int("port", 4001, "port to listen on; 0 picks a free one")
	db := flag.String("db", "", "SQLite file holding the task hub (created when missing); empty keeps it in memory")
	maxActivities := flag.Int("max-activities", 16, "activity work items dispatched at once")
	maxOrchestrations := flag.Int("max-orchestrations", 8, "orchestration work items dispatched at once")
	lockTimeout := flag.Duration("lock-timeout", 2*time.Minute,
		"how long a dispatched work item stays locked; after a crash it is dispatched again when this expires")
	verbose := flag.Bool("verbose", false, "log every work item (debug level)")
	flag.Parse()

	logger := &levelLogger{debug: *verbose}
	options := sqlite.NewSqliteOptions(dsn(*db))
	options.OrchestrationLockTimeout = *lockTimeout
	options.ActivityLockTimeout = *lockTimeout
	wake := newWakeUps()
	store := &wakingBackend{Backend: sqlite.NewSqliteBackend(options, logger), wake: wake}

	server := grpc.NewServer(grpc.MaxRecvMsgSize(1<<31-1), grpc.MaxSendMsgSize(1<<31-1))
	executor, register := backend.NewGrpcExecutor(store, logger)
	register(server)
	worker := backend.NewTaskHubWorker(store,
		&wakingWorker{TaskWorker: backend.NewOrchestrationWorker(store, executor, logger,
			backend.WithMaxParallelism(int32(*maxOrchestrations))), wake: wake.orchestrations, logger: logger},
		&wakingWorker{TaskWorker: backend.NewActivityTaskWorker(store, executor, logger,
			backend.WithMaxParallelism(int32(*maxActivities))), wake: wake.activities, logger: logger},
		logger)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := worker.Start(ctx); err != nil {
		log.Fatalf("cannot start the task hub worker: %v", err)
	}

	listener, err := net.Listen("tcp", net.JoinHostPort(*host, fmt.Sprint(*port)))
	if err != nil {
		log.Fatalf("cannot listen on %s:%d: %v", *host, *port, err)
	}
	fmt.Printf("listening on %s\n", listener.Addr())
	go func() {
		<-ctx.Done()
		// Stop dispatching first, so no work item is handed to a stream that is about to close.
		shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := worker.Shutdown(shutdown); err != nil {
			logger.Warnf("shutdown: %v", err)
		}
		server.Stop()
	}()
	if err := server.Serve(listener); err != nil {
		log.Fatalf("gRPC server stopped: %v", err)
	}
}

// dsn turns a file path into a SQLite URI with write-ahead logging: commits survive the process being
// killed (not a power loss between checkpoints), and readers do not wait for the writer.
func dsn(path string) string {
	if path == "" || strings.HasPrefix(path, "file:") {
		return path
	}
	return "file:" + path + "?_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_pragma=busy_timeout(5000)"
}

// levelLogger is the library's Logger on the standard log package, with debug output optional.
type levelLogger struct{ debug bool }

func (l *levelLogger) Debug(v ...any) {
	if l.debug {
		log.Print(append([]any{"DEBUG: "}, v...)...)
	}
}
func (l *levelLogger) Debugf(format string, v ...any) {
	if l.debug {
		log.Printf("DEBUG: "+format, v...)
	}
}
func (l *levelLogger) Info(v ...any)                  { log.Print(append([]any{"INFO: "}, v...)...) }
func (l *levelLogger) Infof(format string, v ...any)  { log.Printf("INFO: "+format, v...) }
func (l *levelLogger) Warn(v ...any)                  { log.Print(append([]any{"WARNING: "}, v...)...) }
func (l *levelLogger) Warnf(format string, v ...any)  { log.Printf("WARNING: "+format, v...) }
func (l *levelLogger) Error(v ...any)                 { log.Print(append([]any{"ERROR: "}, v...)...) }
func (l *levelLogger) Errorf(format string, v ...any) { log.Printf("ERROR: "+format, v...) }
