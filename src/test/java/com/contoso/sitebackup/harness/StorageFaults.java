package com.contoso.sitebackup.harness;

import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpPipelineNextPolicy;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.HttpPipelinePolicy;
import com.azure.core.http.HttpHeaders;
import com.azure.core.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import reactor.core.publisher.Flux;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Mono;

/**
 * Transient storage faults injected into a blob client's HTTP pipeline: every {@code every}-th request is
 * answered with a 503 Server Busy without reaching the service, and every {@code every}-th one after that
 * fails with a timeout. The policy sits after the SDK's retry policy, so each retry is a new request.
 */
public final class StorageFaults implements HttpPipelinePolicy {
    private final int every;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong busy = new AtomicLong();
    private final AtomicLong timeouts = new AtomicLong();

    public StorageFaults(int every) {
        this.every = every;
    }

    @Override
    public Mono<HttpResponse> process(HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
        long n = requests.incrementAndGet();
        if (n % every == 0) {
            busy.incrementAndGet();
            return Mono.just(new ServerBusy(context.getHttpRequest()));
        }
        if (n % every == every / 2) {
            timeouts.incrementAndGet();
            return Mono.error(new TimeoutException("injected timeout on request " + n));
        }
        return next.process();
    }

    /** A bodiless 503 answer, as a throttled storage account gives. */
    private static final class ServerBusy extends HttpResponse {
        ServerBusy(HttpRequest request) {
            super(request);
        }

        @Override
        public int getStatusCode() {
            return 503;
        }

        @Override
        @Deprecated
        public String getHeaderValue(String name) {
            return null;
        }

        @Override
        public HttpHeaders getHeaders() {
            return new HttpHeaders().set("x-ms-error-code", "ServerBusy");
        }

        @Override
        public Flux<ByteBuffer> getBody() {
            return Flux.empty();
        }

        @Override
        public Mono<byte[]> getBodyAsByteArray() {
            return Mono.empty();
        }

        @Override
        public Mono<String> getBodyAsString() {
            return Mono.empty();
        }

        @Override
        public Mono<String> getBodyAsString(Charset charset) {
            return Mono.empty();
        }
    }

    public long busyResponses() {
        return busy.get();
    }

    public long timeouts() {
        return timeouts.get();
    }

    /**
     * A client for {@code connectionString} whose SDK retries are quick (tests run in seconds) but patient
     * enough to ride out a storage restart of a second or two; with {@code faults} in its pipeline if not null.
     */
    public static BlobServiceClient client(String connectionString, StorageFaults faults) {
        BlobServiceClientBuilder builder = new BlobServiceClientBuilder().connectionString(connectionString)
                .retryOptions(new RequestRetryOptions(RetryPolicyType.EXPONENTIAL, 8, Duration.ofSeconds(30),
                        Duration.ofMillis(50), Duration.ofSeconds(1), null));
        if (faults != null) {
            builder.addPolicy(faults);
        }
        return builder.buildClient();
    }
}
