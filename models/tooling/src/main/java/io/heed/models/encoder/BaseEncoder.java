/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.encoder;

import java.nio.file.Path;

/**
 * Encoders the fine-tuning can start from: fp32 ONNX graphs with their tokenizers, each from a Maven Central artifact
 * on the tooling classpath (never on a TaskManager's). {@link #MINILM_L6} is the bundled encoder; the others are
 * candidates measured against it (quality vs records/s, see {@code EncoderComparison}); bge-small ships, fine-tuned, as
 * the selectable {@link EncoderWeights#BGE_SMALL}.
 */
public enum BaseEncoder {
    /** all-MiniLM-L6-v2: 6 layers, hidden 384 (the bundled encoder, {@link EncoderVariant#FP32}). */
    MINILM_L6(
            "minilm-l6",
            EncoderVariant.FP32.onnxResource(),
            EncoderVariant.INT8.onnxResource(),
            EncoderVariant.FP32.tokenizerResource(),
            "all-MiniLM-L6-v2"),
    /**
     * BAAI/bge-small-en-v1.5: 12 layers, hidden 384, the same uncased WordPiece vocabulary; int8 is the export's
     * dynamic quantisation by ONNX Runtime, as MiniLM's.
     */
    BGE_SMALL(
            "bge-small",
            "bge-small-en-v1.5.onnx",
            "bge-small-en-v1.5-q.onnx",
            "bge-small-en-v1.5-tokenizer.json",
            "bge-small-en-v1.5");

    private final String optionName;
    private final String onnxResource;
    private final String int8Resource;
    private final String tokenizerResource;
    private final String modelId;

    BaseEncoder(String optionName, String onnxResource, String int8Resource, String tokenizerResource, String modelId) {
        this.optionName = optionName;
        this.onnxResource = onnxResource;
        this.int8Resource = int8Resource;
        this.tokenizerResource = tokenizerResource;
        this.modelId = modelId;
    }

    /** The fp32 ONNX graph, unpacked to a local file (cached by content hash). */
    public Path onnxFile() {
        return ModelFiles.unpack(onnxResource).path();
    }

    /** The int8 export of the same model (weights quantised per tensor by ONNX Runtime's dynamic quantiser). */
    public Path int8File() {
        return ModelFiles.unpack(int8Resource).path();
    }

    /** The matching tokenizer.json, unpacked to a local file. */
    public Path tokenizerFile() {
        return ModelFiles.unpack(tokenizerResource).path();
    }

    /** The shipped weights fine-tuned from this encoder (their patch, heads and card are in the source tree). */
    public EncoderWeights tunedWeights() {
        return this == MINILM_L6 ? EncoderWeights.TUNED : EncoderWeights.BGE_SMALL;
    }

    /** The base model's name, e.g. {@code all-MiniLM-L6-v2}. */
    public String modelId() {
        return modelId;
    }

    /** Where a fine-tuning of this encoder writes by default, under the tooling module's target directory. */
    public String workDirName() {
        return this == MINILM_L6 ? "encoder-finetune" : "encoder-finetune-" + optionName;
    }

    @Override
    public String toString() {
        return optionName;
    }

    /** Parses "minilm-l6" / "bge-small" (any case). */
    public static BaseEncoder parse(String value) {
        for (BaseEncoder base : values()) {
            if (base.optionName.equalsIgnoreCase(value.trim())) {
                return base;
            }
        }
        throw new IllegalArgumentException("Unknown base encoder '" + value + "': expected minilm-l6 or bge-small");
    }
}
