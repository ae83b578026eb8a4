package com.contoso.sitebackup.standin.stack;

import com.contoso.sitebackup.testing.Sidecars;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.durabletask.DurableTaskClient;
import com.microsoft.durabletask.DurableTaskGrpcClientBuilder;
import com.microsoft.durabletask.OrchestrationMetadata;
import com.microsoft.durabletask.OrchestrationRuntimeStatus;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SidecarProcessTest {
    @TempDir
    Path dir;

    @Test
    void start_freshDirectory_listensOnLoopbackWithItsOwnTaskHub() throws Exception {
        try (SidecarProcess sidecar = Sidecars.start(dir)) {
            ManagedChannel channel = ManagedChannelBuilder.forTarget(sidecar.address()).usePlaintext().build();
            try {
                DurableTaskClient client = new DurableTaskGrpcClientBuilder().grpcChannel(channel).build();
                String id = client.scheduleNewOrchestrationInstance("NoSuchOrchestrator", "input");

                OrchestrationMetadata metadata = client.getInstanceMetadata(id, true);
                assertEquals("NoSuchOrchestrator", metadata.getName());
                assertEquals(OrchestrationRuntimeStatus.PENDING, metadata.getRuntimeStatus());
                assertTrue(sidecar.port() > 0);
                assertTrue(Files.isRegularFile(sidecar.database()), "task hub file " + sidecar.database());
            } finally {
                channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void start_afterKill_samePortAndTheInstancesOfTheTaskHubFile() throws Exception {
        try (SidecarProcess sidecar = Sidecars.start(dir)) {
            int port = sidecar.port();
            String id = withClient(sidecar, client -> client.scheduleNewOrchestrationInstance("Pending", "42"));

            sidecar.kill();
            sidecar.start();

            assertEquals(port, sidecar.port());
            OrchestrationMetadata metadata = withClient(sidecar, client -> client.getInstanceMetadata(id, true));
            assertEquals("\"42\"", metadata.getSerializedInput());
            assertEquals(OrchestrationRuntimeStatus.PENDING, metadata.getRuntimeStatus());
        }
    }

    private interface ClientCall<T> {
        T call(DurableTaskClient client) throws Exception;
    }

    private static <T> T withClient(SidecarProcess sidecar, ClientCall<T> call) throws Exception {
        ManagedChannel channel = ManagedChannelBuilder.forTarget(sidecar.address()).usePlaintext().build();
        try {
            return call.call(new DurableTaskGrpcClientBuilder().grpcChannel(channel).build());
        } finally {
            channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
    }
}
