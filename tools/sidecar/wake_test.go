package main

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/microsoft/durabletask-go/api"
	"github.com/microsoft/durabletask-go/backend"
)

// countingWorker finds a work item only when one was queued, and counts its fetches.
type countingWorker struct {
	mu      sync.Mutex
	fetches int
	queued  int
	fetched chan int
}

func (c *countingWorker) Start(context.Context) {}
func (c *countingWorker) StopAndDrain()         {}
func (c *countingWorker) ProcessNext(context.Context) (bool, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.fetches++
	found := c.queued > 0
	if found {
		c.queued--
	}
	select {
	case c.fetched <- c.fetches:
	default:
	}
	return found, nil
}

func (c *countingWorker) queue() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.queued++
}

// TestAnnouncedWorkIsFetchedBeforeTheNextPoll: with a poll interval of an hour, a worker that has found nothing
// fetches again only when work is announced, and takes the announced item on that fetch.
func TestAnnouncedWorkIsFetchedBeforeTheNextPoll(t *testing.T) {
	inner := &countingWorker{fetched: make(chan int, 100)}
	wake := newWakeUps()
	w := &wakingWorker{TaskWorker: inner, wake: wake.activities, logger: &levelLogger{}, first: time.Hour, last: time.Hour}
	w.Start(context.Background())
	defer w.StopAndDrain()

	awaitFetch(t, inner.fetched, 1) // the first fetch, at start: nothing there
	select {
	case n := <-inner.fetched:
		t.Fatalf("fetch %d with nothing announced and an hour until the next poll", n)
	case <-time.After(200 * time.Millisecond):
	}

	inner.queue()
	announce(wake.activities)
	awaitFetch(t, inner.fetched, 2) // woken: finds the item
	awaitFetch(t, inner.fetched, 3) // looks again at once after finding one: nothing, so it waits
	inner.mu.Lock()
	defer inner.mu.Unlock()
	if inner.queued != 0 {
		t.Fatalf("the announced item was not taken: %d left", inner.queued)
	}
}

// TestAnnouncementsWakeTheRightWorker: each call that stores work wakes the workers that take it, and only those.
func TestAnnouncementsWakeTheRightWorker(t *testing.T) {
	cases := []struct {
		name                       string
		call                       func(b *wakingBackend)
		orchestrations, activities bool
	}{
		{"create instance", func(b *wakingBackend) { _ = b.CreateOrchestrationInstance(context.Background(), nil) }, true, false},
		{"new event", func(b *wakingBackend) { _ = b.AddNewOrchestrationEvent(context.Background(), "i", nil) }, true, false},
		{"orchestration step done", func(b *wakingBackend) { _ = b.CompleteOrchestrationWorkItem(context.Background(), nil) }, true, true},
		{"orchestration step abandoned", func(b *wakingBackend) { _ = b.AbandonOrchestrationWorkItem(context.Background(), nil) }, true, false},
		{"activity done", func(b *wakingBackend) { _ = b.CompleteActivityWorkItem(context.Background(), nil) }, true, false},
		{"activity abandoned", func(b *wakingBackend) { _ = b.AbandonActivityWorkItem(context.Background(), nil) }, false, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			wake := newWakeUps()
			c.call(&wakingBackend{Backend: nopBackend{}, wake: wake})
			if got := len(wake.orchestrations) == 1; got != c.orchestrations {
				t.Errorf("orchestration worker woken: %v, want %v", got, c.orchestrations)
			}
			if got := len(wake.activities) == 1; got != c.activities {
				t.Errorf("activity worker woken: %v, want %v", got, c.activities)
			}
		})
	}
}

// nopBackend stores nothing: the announcements are what is tested.
type nopBackend struct{ backend.Backend }

func (nopBackend) CreateOrchestrationInstance(context.Context, *backend.HistoryEvent, ...backend.OrchestrationIdReusePolicyOptions) error {
	return nil
}
func (nopBackend) AddNewOrchestrationEvent(context.Context, api.InstanceID, *backend.HistoryEvent) error {
	return nil
}
func (nopBackend) CompleteOrchestrationWorkItem(context.Context, *backend.OrchestrationWorkItem) error {
	return nil
}
func (nopBackend) AbandonOrchestrationWorkItem(context.Context, *backend.OrchestrationWorkItem) error {
	return nil
}
func (nopBackend) CompleteActivityWorkItem(context.Context, *backend.ActivityWorkItem) error {
	return nil
}
func (nopBackend) AbandonActivityWorkItem(context.Context, *backend.ActivityWorkItem) error {
	return nil
}

func awaitFetch(t *testing.T, fetched <-chan int, want int) {
	t.Helper()
	select {
	case n := <-fetched:
		if n != want {
			t.Fatalf("fetch %d, want %d", n, want)
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("no fetch %d within 10 s", want)
	}
}
