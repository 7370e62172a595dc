/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models;

import io.heed.models.summary.Summarizer;
import java.util.List;

/** {@link Task#SUMMARY}: sentences chosen from the encoder's states of the same pass. */
final class SummaryTask implements TaskHead {
    private final Summarizer summarizer;

    SummaryTask(Summarizer summarizer) {
        this.summarizer = summarizer;
    }

    @Override
    public boolean readsEncoder() {
        return true;
    }

    @Override
    public PerText start(List<String> texts) {
        return (i, text, encoded, into) -> into.summary(summarizer.summarize(text, encoded.states()));
    }

    @Override
    public String modelIdPart() {
        return "+summary-attention-v1";
    }

    @Override
    public String weightsSha256() {
        // The bundled sentence scorer ships with the weights; no file of its own is chosen at run time.
        return "";
    }
}
