package com.contoso.sitebackup.durable;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** The input of {@link SliceGroup}: which slice orchestrator runs slices {@code from} to {@code to - 1}. */
@JsonIgnoreProperties(ignoreUnknown = true)
public final class SliceGroupRequest {
    private final String sliceOrchestrator;
    private final SliceRequest slice;
    private final int from;
    private final int to;

    @JsonCreator
    public SliceGroupRequest(@JsonProperty("sliceOrchestrator") String sliceOrchestrator,
                             @JsonProperty("slice") SliceRequest slice,
                             @JsonProperty("from") int from,
                             @JsonProperty("to") int to) {
        this.sliceOrchestrator = sliceOrchestrator;
        this.slice = slice;
        this.from = from;
        this.to = to;
    }

    public String getSliceOrchestrator() {
        return sliceOrchestrator;
    }

    public SliceRequest getSlice() {
        return slice;
    }

    public int getFrom() {
        return from;
    }

    public int getTo() {
        return to;
    }
}
