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
    /** Scratch space of the tooling: fine-tuning runs, caches. */
    public static final Path WORK_DIR = Path.of("models", "tooling", "target");

    private SourceTree() {}

    /** The resources root of the module that ships the heads trained for {@code weights}. */
    public static Path resources(EncoderWeights weights) {
        return module(weights).resolve(Path.of("src", "main", "resources"));
    }

    /** The committed encoder patch of fine-tuned {@code weights} and its card ({@code finetune.json}). */
    public static Path patchDir(EncoderWeights weights) {
        if (weights == EncoderWeights.FROZEN) {
            throw new IllegalArgumentException("the frozen weights are published as they are: they have no patch");
        }
        return module(weights).resolve(Path.of("src", "main", "patch"));
    }

    private static Path module(EncoderWeights weights) {
        String module = switch (weights) {
            case FROZEN -> "runtime";
            case TUNED -> "weights";
            case BGE_SMALL -> "weights-bge-small";
        };
        return Path.of("models", module);
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
