/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.operators;

/**
 * Unpaired UTF-16 surrogates (a high surrogate not followed by a low one, or a low one alone) are not characters: no
 * UTF-8 encoding of them exists. A JSON {@code \ud800} escape puts one in a Java string as it is. Left there, the
 * tokenizer, which receives the text as (modified) UTF-8 through JNI, falls back to a lossy decoding that turns each
 * one into three U+FFFD and shifts the char offsets of every later token past the end of the text; and the Avro
 * output would write each as {@code '?'}. Replacing each with one U+FFFD keeps the text's length and every offset,
 * and the model sees the very text that goes out.
 */
final class UnpairedSurrogates {
    static final char REPLACEMENT = '\ufffd';

    private UnpairedSurrogates() {}

    /** The text with every unpaired surrogate replaced by U+FFFD; the same instance when it has none. */
    static String replace(String text) {
        char[] chars = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                if (chars == null) {
                    chars = text.toCharArray();
                }
                chars[i] = REPLACEMENT;
            }
        }
        return chars == null ? text : new String(chars);
    }
}
