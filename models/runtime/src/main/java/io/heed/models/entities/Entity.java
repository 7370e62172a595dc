/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.entities;

import java.util.Objects;

/**
 * A named entity found in a text.
 *
 * @param text  the entity as it appears: {@code originalText.substring(start, end)}
 * @param type  PER, ORG, LOC or MISC
 * @param start UTF-16 char offset of the first char in the original text
 * @param end   UTF-16 char offset just past the last char (exclusive)
 * @param score mean probability the head gave the tags of the entity's words, in [0, 1]
 */
public record Entity(String text, String type, int start, int end, float score) {
    public Entity {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(type, "type");
        if (start < 0 || end <= start || end - start != text.length()) {
            throw new IllegalArgumentException("bad span [" + start + ", " + end + ") for '" + text + "'");
        }
        if (!(score >= 0f && score <= 1f)) {
            throw new IllegalArgumentException("score must be within [0, 1], got " + score);
        }
    }
}
