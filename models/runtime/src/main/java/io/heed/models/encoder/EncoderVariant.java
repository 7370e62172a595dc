/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.encoder;

/**
 * The bundled encoder, all-MiniLM-L6-v2 (BERT, 6 layers, hidden 384, uncased WordPiece), in the two precisions its
 * Maven Central artifacts ship. With the default (tuned) weights, the int8 graph quantises activations per token row,
 * so a text's result is bit-identical whatever batch it runs in, as with fp32; the stock int8 graph used with {@link
 * EncoderWeights#FROZEN} keeps the artifact's per-tensor scales, so its results depend slightly on the batch.
 */
public enum EncoderVariant {
    INT8("all-minilm-l6-v2-q", "heed/all-MiniLM-L6-v2-int8"),
    FP32("all-minilm-l6-v2", "heed/all-MiniLM-L6-v2-fp32");

    private final String resourceStem;
    private final String modelId;

    EncoderVariant(String resourceStem, String modelId) {
        this.resourceStem = resourceStem;
        this.modelId = modelId;
    }

    /** Classpath resource of the ONNX graph inside the langchain4j model jar. */
    public String onnxResource() {
        return resourceStem + ".onnx";
    }

    /** Name stem shared by this precision's resources. */
    String resourceStem() {
        return resourceStem;
    }

    /** Classpath resource of the matching Hugging Face tokenizer.json. */
    public String tokenizerResource() {
        return resourceStem + "-tokenizer.json";
    }

    /**
     * The ONNX graph unpacked to a local file (cached by content hash). For tools that read or edit the graph itself,
     * such as encoder fine-tuning; inference goes through {@link TransformerEncoder}.
     */
    public java.nio.file.Path onnxFile() {
        return ModelFiles.unpack(onnxResource()).path();
    }

    /** The matching tokenizer.json unpacked to a local file (cached by content hash). */
    public java.nio.file.Path tokenizerFile() {
        return ModelFiles.unpack(tokenizerResource()).path();
    }

    public String modelId() {
        return modelId;
    }

    /** Parses "int8" / "fp32" (any case). */
    public static EncoderVariant parse(String value) {
        for (EncoderVariant variant : values()) {
            if (variant.name().equalsIgnoreCase(value.trim())) {
                return variant;
            }
        }
        throw new IllegalArgumentException("Unknown encoder '" + value + "': expected int8 or fp32");
    }
}
