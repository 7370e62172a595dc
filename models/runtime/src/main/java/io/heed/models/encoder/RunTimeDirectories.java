/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.encoder;

import ai.djl.util.Utils;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * The directories the engines unpack their native libraries into, and what to tell the user when a load fails because
 * one cannot be used. DJL and ONNX Runtime report such a failure in their own words (often only "library not found");
 * a TaskManager with a read-only home or temp directory should instead say which directory and which setting moves it.
 */
final class RunTimeDirectories {
    /** ONNX Runtime's own override: a directory that already holds its native libraries (then nothing is unpacked). */
    private static final String ORT_NATIVE_PATH = "onnxruntime.native.path";

    private RunTimeDirectories() {}

    /** Where DJL unpacks the HF tokenizer's native library: {@code DJL_CACHE_DIR}, by default {@code ~/.djl.ai}. */
    static Path tokenizerCache() {
        return Utils.getEngineCacheDir("tokenizers");
    }

    /** Where ONNX Runtime unpacks its native library, unless {@value #ORT_NATIVE_PATH} names one. */
    static Path onnxRuntimeTemp() {
        return Paths.get(System.getProperty("java.io.tmpdir"));
    }

    /** Why {@code dir} cannot take new files, or null when it can (created if missing). */
    static String unusable(Path dir) {
        try {
            Files.createDirectories(dir);
            Path probe = Files.createTempFile(dir, "heed-probe-", ".tmp");
            Files.delete(probe);
            return null;
        } catch (IOException | SecurityException e) {
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }

    /** The tokenizer's native library failed to load: name the directory when it is the cause. */
    static RuntimeException tokenizerLoadFailure(Path tokenizerJson, Throwable failure) {
        Path dir = tokenizerCache();
        String problem = unusable(dir);
        String message = "Cannot load the HF tokenizer for " + tokenizerJson + ": " + failure;
        if (problem != null) {
            message = "Cannot load the HF tokenizer's native library: DJL unpacks it into " + dir
                    + ", which cannot be written (" + problem + "). Point -DDJL_CACHE_DIR=<dir> (or the DJL_CACHE_DIR"
                    + " environment variable) at a writable directory; for a TaskManager, in env.java.opts.taskmanager"
                    + " (" + failure + ")";
        }
        return new IllegalStateException(message, failure);
    }

    /**
     * A hint to append when ONNX Runtime failed to load: its temp directory cannot be written, or empty when that is
     * not the cause.
     */
    static String onnxRuntimeHint() {
        if (System.getProperty(ORT_NATIVE_PATH) != null) {
            return "";
        }
        Path dir = onnxRuntimeTemp();
        String problem = unusable(dir);
        return problem == null
                ? ""
                : ". ONNX Runtime unpacks its native library into java.io.tmpdir (" + dir
                        + "), which cannot be written ("
                        + problem + "): point -Djava.io.tmpdir=<dir> at a writable directory, or -D" + ORT_NATIVE_PATH
                        + "=<dir> at one holding the unpacked library";
    }
}
