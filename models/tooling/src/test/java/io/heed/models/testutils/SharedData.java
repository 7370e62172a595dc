/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.testutils;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The evaluation data in {@code ../shared/data} ({@code -Dheed.data.dir}). A plain clone has none: tests that need it
 * are skipped with a message saying so. CI has it and sets {@code HEED_REQUIRE_DATA} (the {@code require-data}
 * profile turns that into {@code -Dheed.data.required=true}), and there a missing file fails the test instead, so a
 * CI run never passes by skipping what it claims to check.
 */
public final class SharedData {
    private SharedData() {}

    /** The data directory. */
    public static Path dir() {
        return Path.of(System.getProperty("heed.data.dir", "../shared/data"));
    }

    /**
     * {@code file} if it is readable; else the test is skipped, or fails where data is required.
     *
     * @param what what the test checks with it, for the message
     */
    public static Path require(Path file, String what) {
        if (Files.isReadable(file)) {
            return file;
        }
        String message =
                file.toAbsolutePath() + " not found: " + what + " needs the shared data folder (-Dheed.data.dir)";
        if (Boolean.getBoolean("heed.data.required")) {
            throw new AssertionError(message + "; this run requires it (HEED_REQUIRE_DATA)");
        }
        assumeTrue(false, message + "; skipping");
        return file;
    }
}
