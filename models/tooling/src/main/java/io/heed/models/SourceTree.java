/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models;

import io.heed.models.encoder.EncoderWeights;
import java.nio.file.Path;

/**
 * Where the training commands read and write inside a checkout (they run from its root): the heads of the stock
 * encoder ship in the run-time module, the fine-tuned encoder's patch and heads in the weights module.
 */
public final class SourceTree {
    /** The committed encoder patch and its card ({@code finetune.json}). */
    public static final Path PATCH_DIR = Path.of("models", "weights", "src", "main", "patch");
    /** Scratch space of the tooling: fine-tuning runs, caches. */
    public static final Path WORK_DIR = Path.of("models", "tooling", "target");

    private SourceTree() {}

    /** The resources root of the module that ships the heads trained for {@code weights}. */
    public static Path resources(EncoderWeights weights) {
        String module = weights == EncoderWeights.FROZEN ? "runtime" : "weights";
        return Path.of("models", module, "src", "main", "resources");
    }

    /**
     * The file a trainer writes for a bundled {@code resource}: in the directory {@code out} when one is given, else
     * where it ships for {@code weights}.
     */
    public static Path output(EncoderWeights weights, String resource, String out) {
        if (out == null || out.isBlank()) {
            return resources(weights).resolve(resource);
        }
        return Path.of(out).resolve(resource.substring(resource.lastIndexOf('/') + 1));
    }
}
