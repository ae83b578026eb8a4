package com.contoso.sitebackup.testing;

import com.contoso.sitebackup.standin.stack.SidecarProcess;

import com.microsoft.durabletask.DurableTaskClient;
import com.microsoft.durabletask.DurableTaskGrpcWorker;
import com.microsoft.durabletask.DurableTaskGrpcWorkerBuilder;
import com.microsoft.durabletask.OrchestrationMetadata;
import com.microsoft.durabletask.TaskOrchestration;
import com.microsoft.durabletask.TaskOrchestrationFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A gRPC worker on a {@link SidecarProcess} engine that runs stand-ins under the names of real orchestrators: each
 * stand-in stays Running until it receives the event {@value #FINISH}, then completes. Tests of what starts
 * orchestrations (the starter, the timer) can so hold an instance Running, as a long backup would, and let
 * it finish when they choose, with statuses the real durable client reports.
 */
public final class StandInWorker implements AutoCloseable {
    /** The event that lets a stand-in complete. */
    public static final String FINISH = "finish";
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final DurableTaskGrpcWorker worker;
    private final Thread thread;

    private StandInWorker(DurableTaskGrpcWorker worker, Thread thread) {
        this.worker = worker;
        this.thread = thread;
    }

    /** Starts a worker on {@code sidecar} running a stand-in for each of {@code orchestrators}. */
    public static StandInWorker start(SidecarProcess sidecar, List<String> orchestrators) {
        DurableTaskGrpcWorkerBuilder builder = new DurableTaskGrpcWorkerBuilder().port(sidecar.port());
        for (String name : orchestrators) {
            builder.addOrchestration(new TaskOrchestrationFactory() {
                @Override
                public String getName() {
                    return name;
                }

                @Override
                public TaskOrchestration create() {
                    return ctx -> {
                        ctx.waitForExternalEvent(FINISH).await();
                        ctx.complete(name + " finished");
                    };
                }
            });
        }
        DurableTaskGrpcWorker worker = builder.build();
        // Our own thread, not worker.start()'s: close() must end the SDK's reconnect loop, which only an
        // interrupt does (closing the channel alone leaves it retrying every 5 s for the rest of the JVM).
        Thread thread = new Thread(worker::startAndBlock, "stand-in worker");
        thread.setDaemon(true);
        thread.start();
        return new StandInWorker(worker, thread);
    }

    /** Waits until instance {@code id} runs (the worker has picked it up). */
    public static OrchestrationMetadata awaitRunning(DurableTaskClient client, String id) {
        try {
            return client.waitForInstanceStart(id, WAIT, true);
        } catch (TimeoutException e) {
            throw new AssertionError("instance " + id + " did not start within " + WAIT, e);
        }
    }

    /** Lets stand-in {@code id} finish, and waits until it has. */
    public static OrchestrationMetadata finish(DurableTaskClient client, String id) {
        client.raiseEvent(id, FINISH, null);
        try {
            return client.waitForInstanceCompletion(id, WAIT, true);
        } catch (TimeoutException e) {
            throw new AssertionError("instance " + id + " did not finish within " + WAIT, e);
        }
    }

    @Override
    public void close() {
        worker.close();
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
