package com.contoso.sitebackup.testing;

import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.policy.HttpPipelineSyncPolicy;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import java.util.ArrayList;
import java.util.List;

/**
 * Counts the requests a blob client sends (each try of a request, retries included), as the storage service would
 * count them: a pipeline policy on a client of its own, against {@link Azurite#shared()}.
 */
public final class CountingRequests extends HttpPipelineSyncPolicy {
    private final List<String> requests = new ArrayList<>();

    /** A client of the shared Azurite that counts its requests here. */
    public BlobServiceClient client() {
        return new BlobServiceClientBuilder().connectionString(Azurite.shared().connectionString()).addPolicy(this)
                .buildClient();
    }

    @Override
    protected void beforeSendingRequest(HttpPipelineCallContext context) {
        HttpRequest request = context.getHttpRequest();
        synchronized (requests) {
            requests.add(request.getHttpMethod() + " " + request.getUrl().getPath()
                    + (request.getUrl().getQuery() == null ? "" : "?" + request.getUrl().getQuery()));
        }
    }

    /** Every request sent so far to the container {@code container}: method, path and query. */
    public List<String> to(String container) {
        synchronized (requests) {
            return requests.stream().filter(r -> r.contains("/" + Azurite.ACCOUNT + "/" + container + "/")
                    || r.contains("/" + Azurite.ACCOUNT + "/" + container + "?")).toList();
        }
    }

    /** Every request sent so far: method, path and query. */
    public List<String> all() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    /** Forgets the requests counted so far. */
    public void reset() {
        synchronized (requests) {
            requests.clear();
        }
    }
}
