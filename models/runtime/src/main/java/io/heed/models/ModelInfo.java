/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models;

/**
 * Where results came from.
 *
 * @param modelId       encoder and heads, e.g. {@code heed/all-MiniLM-L6-v2-int8+sentiment-attention-v1}
 * @param weightsSha256 SHA-256 over the encoder's and heads' weight files: changes whenever any weight changes
 * @param engine        inference engine and version
 * @param device        device the encoder runs on
 */
public record ModelInfo(String modelId, String weightsSha256, String engine, String device) {}
