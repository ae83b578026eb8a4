package main

import (
	"context"
	"errors"
	"time"

	"github.com/microsoft/durabletask-go/api"
	"github.com/microsoft/durabletask-go/backend"
)

// wakeUps holds one signal per worker: a buffered channel of one, so any number of announcements between two
// fetches wake the worker once, and an announcement never blocks the call that stored the work.
type wakeUps struct {
	orchestrations chan struct{}
	activities     chan struct{}
}

func newWakeUps() *wakeUps {
	return &wakeUps{orchestrations: make(chan struct{}, 1), activities: make(chan struct{}, 1)}
}

func announce(c chan struct{}) {
	select {
	case c <- struct{}{}:
	default:
	}
}

// wakingBackend is the library's store with an announcement after each call that can make work: a new instance or
// event (orchestration work), a completed orchestration step (new activities, timers, messages to other instances, or
// its own next step), a completed activity (its orchestration's next step), an abandoned item (to be fetched again).
// An announcement only makes a worker fetch now instead of at its next poll; the store stays the one truth.
type wakingBackend struct {
	backend.Backend
	wake *wakeUps
}

func (b *wakingBackend) CreateOrchestrationInstance(ctx context.Context, e *backend.HistoryEvent,
	opts ...backend.OrchestrationIdReusePolicyOptions) error {
	return wakeAfter(b.Backend.CreateOrchestrationInstance(ctx, e, opts...), b.wake.orchestrations)
}

func (b *wakingBackend) AddNewOrchestrationEvent(ctx context.Context, id api.InstanceID, e *backend.HistoryEvent) error {
	return wakeAfter(b.Backend.AddNewOrchestrationEvent(ctx, id, e), b.wake.orchestrations)
}

func (b *wakingBackend) CompleteOrchestrationWorkItem(ctx context.Context, wi *backend.OrchestrationWorkItem) error {
	return wakeAfter(b.Backend.CompleteOrchestrationWorkItem(ctx, wi), b.wake.activities, b.wake.orchestrations)
}

func (b *wakingBackend) AbandonOrchestrationWorkItem(ctx context.Context, wi *backend.OrchestrationWorkItem) error {
	return wakeAfter(b.Backend.AbandonOrchestrationWorkItem(ctx, wi), b.wake.orchestrations)
}

func (b *wakingBackend) CompleteActivityWorkItem(ctx context.Context, wi *backend.ActivityWorkItem) error {
	return wakeAfter(b.Backend.CompleteActivityWorkItem(ctx, wi), b.wake.orchestrations)
}

func (b *wakingBackend) AbandonActivityWorkItem(ctx context.Context, wi *backend.ActivityWorkItem) error {
	return wakeAfter(b.Backend.AbandonActivityWorkItem(ctx, wi), b.wake.activities)
}

// wakeAfter announces to each of workers once the store's call has returned err (whatever it is: a failed call may
// have stored part of its work, and a fetch that finds nothing costs one query), and answers err.
func wakeAfter(err error, workers ...chan struct{}) error {
	for _, w := range workers {
		announce(w)
	}
	return err
}

// Poll intervals while idle, as the library's own worker loop has them (backend/worker.go of v0.6.0): 50 ms after
// work, growing by 1.05x to 5 s. They matter only for work no call announces: a timer coming due, a lock expiring.
const (
	firstPoll  = 50 * time.Millisecond
	pollGrowth = 1.05
	lastPoll   = 5 * time.Second
)

// wakingWorker runs the library's worker (its ProcessNext, StopAndDrain: dispatch, concurrency, abandoning on stop)
// with its own fetch loop in place of the library's Start: fetch until nothing is left, then wait for an
// announcement or the next poll, whichever comes first.
type wakingWorker struct {
	backend.TaskWorker
	wake   chan struct{}
	logger backend.Logger
	cancel context.CancelFunc
	// first and last poll interval while idle; zero: firstPoll and lastPoll.
	first, last time.Duration
}

func (w *wakingWorker) intervals() (time.Duration, time.Duration) {
	if w.first == 0 {
		return firstPoll, lastPoll
	}
	return w.first, w.last
}

func (w *wakingWorker) Start(parent context.Context) {
	ctx, cancel := context.WithCancel(parent)
	w.cancel = cancel
	first, last := w.intervals()
	go func() {
		interval := first
		for {
			ok, err := w.ProcessNext(ctx)
			switch {
			case ok:
				interval = first
				continue
			case err != nil && errors.Is(err, ctx.Err()):
				return
			case err != nil:
				// As the library does: log it and wait 5 s, so a broken store is not fetched from in a tight loop.
				w.logger.Errorf("unexpected worker error: %v. Adding 5 extra seconds of backoff.", err)
				if !sleep(ctx, 5*time.Second, nil) {
					return
				}
				continue
			}
			if !sleep(ctx, interval, w.wake) {
				return
			}
			interval = min(time.Duration(float64(interval)*pollGrowth), last)
		}
	}()
}

// sleep waits for d, a signal on wake, or the end of ctx; false when ctx ended.
func sleep(ctx context.Context, d time.Duration, wake <-chan struct{}) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	case <-wake:
		return true
	}
}

func (w *wakingWorker) StopAndDrain() {
	if w.cancel != nil {
		w.cancel()
	}
	w.TaskWorker.StopAndDrain()
}
