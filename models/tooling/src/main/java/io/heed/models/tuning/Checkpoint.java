/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.tuning;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import io.heed.models.HeadFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A directory of named {@link HeadFile}s plus a JSON object of scalars (step, best score, ...). Written to a sibling
 * temporary directory and moved into place, so an interrupted write never leaves a half checkpoint to resume from.
 */
final class Checkpoint {
    private static final Gson GSON =
            new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();
    static final String INFO = "checkpoint.json";

    private Checkpoint() {}

    static void write(Path dir, Map<String, HeadFile> files, Object info) throws IOException {
        Path parent = dir.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempDirectory(parent, dir.getFileName() + ".tmp-");
        for (Map.Entry<String, HeadFile> file : files.entrySet()) {
            try (OutputStream out = Files.newOutputStream(tmp.resolve(file.getKey()))) {
                file.getValue().write(out);
            }
        }
        Files.writeString(tmp.resolve(INFO), GSON.toJson(info) + "\n", StandardCharsets.UTF_8);
        deleteRecursively(dir);
        Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
    }

    static HeadFile read(Path dir, String name) throws IOException {
        try (InputStream in = Files.newInputStream(dir.resolve(name))) {
            return HeadFile.read(in, dir.resolve(name).toString());
        }
    }

    static JsonObject info(Path dir) throws IOException {
        return GSON.fromJson(Files.readString(dir.resolve(INFO), StandardCharsets.UTF_8), JsonObject.class);
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
