package com.contoso.sitebackup.testing;

import com.contoso.sitebackup.standin.stack.SidecarProcess;

import com.google.gson.Gson;
import com.microsoft.durabletask.DurableTaskClient;
import com.microsoft.durabletask.DurableTaskGrpcClientBuilder;
import com.microsoft.durabletask.azurefunctions.DurableClientContext;

/** The durable client of a {@link SidecarProcess} engine, as tests and the functions under test get it. */
public final class DurableClients {
    private DurableClients() {
    }

    /** A new gRPC client of {@code sidecar}; close it. */
    public static DurableTaskClient client(SidecarProcess sidecar) {
        return new DurableTaskGrpcClientBuilder().port(sidecar.port()).build();
    }

    /**
     * The {@code DurableClientContext} a function's {@code @DurableClientInput} receives, bound from the JSON the
     * host sends with Gson as the Java worker binds it: its {@code getClient()} talks to {@code sidecar}, and its
     * status URLs carry the query string {@code code=test-system-key}.
     */
    public static DurableClientContext context(SidecarProcess sidecar) {
        String json = "{\"rpcBaseUrl\": \"http://127.0.0.1:" + sidecar.port() + "/\", \"taskHubName\": \"SiteBackupHub\","
                + " \"requiredQueryStringParameters\": \"code=test-system-key\"}";
        return new Gson().fromJson(json, DurableClientContext.class);
    }
}
