/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.entities;

/**
 * Features of the original, cased words. The encoder lower-cases its input, so casing, shape and affixes of the words
 * as written carry much of the entity-type signal (measured on CoNLL: +6 F1 for casing, more with hashed identities).
 *
 * <p>Two kinds: {@value #FLAG_COUNT} 0/1 flags per word, and {@value #ID_COUNT} hashed ids per word (cased word,
 * prefixes and suffixes of 1-3 chars, short shape), each an index into a learned embedding table of a fixed number of
 * buckets. The hash is FNV-1a over UTF-16 chars: fixed, so a trained head means the same thing on every JVM.
 */
final class WordFeatures {
    static final int FLAG_COUNT = 12;
    static final int ID_COUNT = 8;
    private static final int MAX_SHAPE_LENGTH = 8;

    private WordFeatures() {}

    /** Flags of every word, {@code words x FLAG_COUNT}. */
    static float[] flags(Words words) {
        float[] flags = new float[words.count() * FLAG_COUNT];
        for (int i = 0; i < words.count(); i++) {
            flags(words, i, flags, i * FLAG_COUNT);
        }
        return flags;
    }

    /** Hashed ids of every word in {@code [0, buckets)}, {@code words x ID_COUNT}. */
    static int[] hashedIds(Words words, int buckets) {
        int[] ids = new int[words.count() * ID_COUNT];
        for (int i = 0; i < words.count(); i++) {
            hashedIds(words, i, buckets, ids, i * ID_COUNT);
        }
        return ids;
    }

    /** Flags of word {@code i}, written to {@code out[offset..offset + FLAG_COUNT)}. */
    static void flags(Words words, int i, float[] out, int offset) {
        String word = words.word(i);
        int letters = 0;
        int upper = 0;
        int lower = 0;
        int digits = 0;
        boolean upperAfterFirst = false;
        for (int k = 0; k < word.length(); ) {
            int c = word.codePointAt(k);
            if (Character.isLetter(c)) {
                letters++;
                if (Character.isUpperCase(c)) {
                    upper++;
                    upperAfterFirst |= k > 0;
                } else if (Character.isLowerCase(c)) {
                    lower++;
                }
            } else if (Character.isDigit(c)) {
                digits++;
            }
            k += Character.charCount(c);
        }
        boolean firstUpper = Character.isUpperCase(word.codePointAt(0));
        out[offset] = bit(firstUpper);
        out[offset + 1] = bit(letters > 0 && lower == 0 && upper > 0);
        out[offset + 2] = bit(letters > 0 && upper == 0);
        out[offset + 3] = bit(upperAfterFirst && lower > 0);
        out[offset + 4] = bit(digits > 0);
        out[offset + 5] = bit(digits > 0 && letters == 0);
        out[offset + 6] = bit(letters == 0 && digits == 0);
        out[offset + 7] = bit(isSentenceStart(words, i));
        out[offset + 8] = bit(word.indexOf('-') >= 0);
        out[offset + 9] = bit(word.indexOf('.') >= 0);
        out[offset + 10] = bit(word.codePointCount(0, word.length()) == 1);
        out[offset + 11] = bit(word.indexOf('\'') >= 0);
    }

    /** Hashed ids of word {@code i} in {@code [0, buckets)}, written to {@code out[offset..offset + ID_COUNT)}. */
    static void hashedIds(Words words, int i, int buckets, int[] out, int offset) {
        String word = words.word(i);
        int length = word.length();
        out[offset] = bucket("word", word, buckets);
        out[offset + 1] = bucket("prefix1", word.substring(0, Math.min(1, length)), buckets);
        out[offset + 2] = bucket("prefix2", word.substring(0, Math.min(2, length)), buckets);
        out[offset + 3] = bucket("prefix3", word.substring(0, Math.min(3, length)), buckets);
        out[offset + 4] = bucket("suffix1", word.substring(Math.max(0, length - 1)), buckets);
        out[offset + 5] = bucket("suffix2", word.substring(Math.max(0, length - 2)), buckets);
        out[offset + 6] = bucket("suffix3", word.substring(Math.max(0, length - 3)), buckets);
        out[offset + 7] = bucket("shape", shape(word), buckets);
    }

    /** Short shape: upper X, lower x, digit d, other chars as themselves, runs collapsed ("Merkel" -> "Xx"). */
    static String shape(String word) {
        StringBuilder shape = new StringBuilder();
        for (int k = 0; k < word.length() && shape.length() < MAX_SHAPE_LENGTH; ) {
            int c = word.codePointAt(k);
            int symbol = Character.isUpperCase(c) ? 'X' : Character.isLetter(c) ? 'x' : Character.isDigit(c) ? 'd' : c;
            if (shape.length() == 0 || shape.codePointBefore(shape.length()) != symbol) {
                shape.appendCodePoint(symbol);
            }
            k += Character.charCount(c);
        }
        return shape.toString();
    }

    /** The first word, or a word after a sentence-ending punctuation word. */
    private static boolean isSentenceStart(Words words, int i) {
        if (i == 0) {
            return true;
        }
        String previous = words.word(i - 1);
        return previous.equals(".") || previous.equals("!") || previous.equals("?") || previous.equals("...");
    }

    static int bucket(String kind, String value, int buckets) {
        int hash = 0x811c9dc5;
        for (int k = 0; k < kind.length(); k++) {
            hash = (hash ^ kind.charAt(k)) * 0x01000193;
        }
        hash = (hash ^ 0x1f) * 0x01000193;
        for (int k = 0; k < value.length(); k++) {
            hash = (hash ^ value.charAt(k)) * 0x01000193;
        }
        return Math.floorMod(hash, buckets);
    }

    private static float bit(boolean value) {
        return value ? 1f : 0f;
    }
}
