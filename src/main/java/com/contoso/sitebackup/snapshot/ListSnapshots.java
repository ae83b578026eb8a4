package com.contoso.sitebackup.snapshot;

import com.contoso.sitebackup.config.AppServices;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import java.util.Objects;
import java.util.Optional;
import java.util.logging.Level;

/**
 * HTTP trigger {@code GET /snapshots/{container}?prefix=<prefix>} (or {@code ?rootDirectory=<dir>}): the
 * snapshots of one backup, oldest first; see {@link ListSnapshotsHandler} for the answers.
 */
public final class ListSnapshots {
    public static final String NAME = "ListSnapshots";

    private final ListSnapshotsHandler handler;

    /** Used by the Functions worker. */
    public ListSnapshots() {
        this(ListSnapshotsHandler.from(AppServices.shared()));
    }

    public ListSnapshots(ListSnapshotsHandler handler) {
        this.handler = Objects.requireNonNull(handler, "handler");
    }

    @FunctionName(NAME)
    public HttpResponseMessage run(
            @HttpTrigger(name = "req", methods = {HttpMethod.GET}, authLevel = AuthorizationLevel.FUNCTION,
                    route = "snapshots/{container}") HttpRequestMessage<Optional<String>> request,
            @BindingName("container") String container,
            ExecutionContext context) {
        ListSnapshotsHandler.Answer answer = handler.list(container, request.getQueryParameters());
        if (answer.failure() != null) {
            context.getLogger().log(Level.SEVERE, "Could not list the snapshots of container " + container,
                    answer.failure());
        }
        return request.createResponseBuilder(HttpStatus.valueOf(answer.status()))
                .header("Content-Type", "application/json")
                .body(answer.body())
                .build();
    }
}
